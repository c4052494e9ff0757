/**
 * Where the stores of a retrieval run are, found before planning: from the local endpoints'
 * `GET /emulator` listing, or from a deployed stack's outputs. Model endpoints come from the
 * topology (its embedder and reranker).
 */
export interface AwsRagEndpoints {
  /** @default - the regional SageMaker runtime */
  readonly sagemakerUrl?: string;
  readonly opensearchUrl: string;
  readonly index: string;
  readonly vectorField: string;
  readonly idField: string;
}

export interface GcpRagEndpoints {
  /** @default - the regional Vertex API */
  readonly apiUrl?: string;
  /** The index endpoint's address (public domain or PSC address). @default - apiUrl */
  readonly matchUrl?: string;
  /** Full resource names of the prediction endpoints; by the topology's names on the local endpoints. */
  readonly embedderEndpoint: string;
  readonly rerankerEndpoint: string;
  readonly indexEndpoint: string;
  readonly deployedIndexId: string;
}

export interface RagEndpoints {
  readonly aws?: AwsRagEndpoints;
  readonly gcp?: GcpRagEndpoints;
}
