/**
 * The retrieval path a `--target rag` run drives, as plain data so every worker thread builds its
 * own clients: embed the query, k-NN search, rerank the candidates, on one cloud's protocols.
 */

/** One query of the corpus with its exact top-k neighbours (the ground truth recall is measured against). */
export interface RagQuery {
  readonly text: string;
  /** Document ids of the exact nearest neighbours, closest first. */
  readonly neighbors: readonly string[];
}

interface RagSpecBase {
  readonly kind: 'rag';
  /** Neighbours the search asks for; recall@k compares them with the first k of each query's ground truth. */
  readonly k: number;
  readonly queries: readonly RagQuery[];
  /**
   * Passage text by document id: what the reranker reads. A deployed product reads it from its
   * document store; here it comes with the corpus, so both clouds rerank the same text.
   */
  readonly passages: Readonly<Record<string, string>>;
  /** Sockets each client may open. */
  readonly maxSockets: number;
  /** The generator's per-request timeout, so clients' own deadlines can follow it. */
  readonly timeoutMs: number;
}

export interface AwsRagSpec extends RagSpecBase {
  readonly cloud: 'aws';
  readonly region: string;
  readonly embedderEndpoint: string;
  readonly rerankerEndpoint: string;
  /** @default - the regional runtime endpoint */
  readonly sagemakerUrl?: string;
  /** The collection endpoint (`https://{id}.{region}.aoss.amazonaws.com`) or the local store's URL. */
  readonly opensearchUrl: string;
  readonly index: string;
  /** The `knn_vector` field. */
  readonly vectorField: string;
  /** The field that holds the document id (vector collections generate `_id`s themselves). */
  readonly idField: string;
  /** `method_parameters.ef_search` of each query. @default - the index's own */
  readonly efSearch?: number;
}

export interface GcpRagSpec extends RagSpecBase {
  readonly cloud: 'gcp';
  readonly location: string;
  /** `projects/P/locations/L/endpoints/ID` of the embedder and the reranker. */
  readonly embedderEndpoint: string;
  readonly rerankerEndpoint: string;
  /** @default - https://{location}-aiplatform.googleapis.com */
  readonly apiUrl?: string;
  /** `projects/P/locations/L/indexEndpoints/ID`. */
  readonly indexEndpoint: string;
  readonly deployedIndexId: string;
  /**
   * Where findNeighbors goes: the index endpoint's own address (public domain, or its PSC address
   * inside the VPC), or the local store. @default - apiUrl
   */
  readonly matchUrl?: string;
  /** `fractionLeafNodesToSearchOverride` of each query. @default - the index's own */
  readonly leafFraction?: number;
}

export type RagTargetSpec = AwsRagSpec | GcpRagSpec;
