/**
 * `loadtest --target rag`: the retrieval path of the topology (its embedder, vector store and
 * reranker) on the cloud `--cloud` names, with the corpus's queries and ground truth. Problems are
 * collected, naming the flag and what is allowed, like the rest of the load test plan.
 */
import type { ResolvedTopology } from '../../../constructs';
import { modelKindFor } from '../../models/endpoint-model';
import type { RagEndpoints } from './rag-endpoints';
import type { RagQuery, RagTargetSpec } from './rag-target-spec';

export interface RagCorpus {
  readonly queries: readonly RagQuery[];
  readonly passages: Readonly<Record<string, string>>;
}

export interface RagPlanInput {
  readonly cloud?: 'aws' | 'gcp';
  readonly k: number;
  readonly corpus?: RagCorpus;
  readonly endpoints?: RagEndpoints;
  readonly efSearch?: number;
  readonly leafFraction?: number;
  readonly region?: string;
  readonly location?: string;
}

export function planRagTarget(input: RagPlanInput, topology: ResolvedTopology, maxSockets: number, timeoutMs: number, errors: string[]): RagTargetSpec | undefined {
  const embedder = topology.endpoints.find((e) => modelKindFor(e) === 'embedder');
  const reranker = topology.endpoints.find((e) => modelKindFor(e) === 'reranker');
  const where = `topology ${topology.name}/${topology.environment}`;
  if (!embedder) errors.push(`--target rag: ${where} has no embedder endpoint (an endpoint named …embed…) to embed the queries`);
  if (!reranker) errors.push(`--target rag: ${where} has no reranker endpoint (an endpoint named …rerank…) to rerank the candidates`);
  if (!topology.vectorStore) errors.push(`--target rag: ${where} has no vectorStore to search`);
  else if (topology.vectorStore.engine !== 'managed') {
    errors.push(`--target rag: vectorStore.engine ${topology.vectorStore.engine} is searched with SQL; the RAG load test drives the managed engines (OpenSearch Serverless, Vertex AI Vector Search)`);
  }
  if (!input.cloud) errors.push('--cloud: required with --target rag, aws (SageMaker + OpenSearch) or gcp (Vertex AI + Vector Search)');
  if (!input.corpus) errors.push('--corpus: required with --target rag: a directory written by `serving-stacks corpus`');
  else if (input.corpus.queries.length === 0) errors.push('--corpus: the corpus has no queries');
  else {
    const shortest = Math.min(...input.corpus.queries.map((q) => q.neighbors.length));
    if (shortest < input.k) errors.push(`--k: ${input.k} is more than the corpus's ground truth holds (${shortest} neighbours per query); at most ${shortest}, or make the corpus with a larger --k`);
  }
  if (input.efSearch !== undefined && input.cloud === 'gcp') errors.push('--ef-search: an HNSW knob (OpenSearch); Vector Search takes --leaf-fraction');
  if (input.leafFraction !== undefined && input.cloud === 'aws') errors.push('--leaf-fraction: a tree-AH knob (Vector Search); OpenSearch takes --ef-search');
  const stores = input.cloud ? input.endpoints?.[input.cloud] : undefined;
  if (input.cloud && !stores) errors.push(`--endpoint-url: the ${input.cloud === 'aws' ? 'OpenSearch' : 'Vector Search'} store was not found: point --endpoint-url at \`serving-stacks emulate\`, or give --stack-outputs with the deployed stack's outputs`);
  if (errors.length || !embedder || !reranker || !input.corpus || !input.cloud) return undefined;
  const base = { kind: 'rag' as const, k: input.k, queries: input.corpus.queries, passages: input.corpus.passages, maxSockets, timeoutMs };
  const aws = input.endpoints?.aws;
  const gcp = input.endpoints?.gcp;
  if (input.cloud === 'aws' && aws) {
    return {
      ...base,
      cloud: 'aws',
      region: input.region ?? topology.regions.aws,
      embedderEndpoint: embedder.aws.endpointName,
      rerankerEndpoint: reranker.aws.endpointName,
      ...aws,
      ...(input.efSearch !== undefined ? { efSearch: input.efSearch } : {}),
    };
  }
  if (input.cloud === 'gcp' && gcp) {
    return {
      ...base,
      cloud: 'gcp',
      location: input.location ?? topology.regions.gcp,
      ...gcp,
      ...(input.leafFraction !== undefined ? { leafFraction: input.leafFraction } : {}),
    };
  }
  return undefined;
}
