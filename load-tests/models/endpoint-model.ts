/**
 * The small real model behind each emulated endpoint, so that answers mean something: a ranker
 * scores candidates, an embedder returns unit vectors, a reranker orders documents for a query.
 * Instances are JSON values, the same on both protocols (SageMaker `{"instances": [...]}`
 * bodies, Vertex `instances`).
 */
import type { ResolvedEndpoint } from '../../constructs';
import { HashingTextEmbedder } from './hashing-text-embedder';
import { LinearRanker, RANKER_FEATURES } from './linear-ranker';
import { Reranker } from './reranker';

export const MODEL_KINDS = ['ranker', 'embedder', 'reranker'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Dimensions of the embedder when the topology has no vector store to match. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 768;

/** Bad instances: the model server answers 400, which SageMaker reports as a ModelError. */
export class ModelInputError extends Error {
  override readonly name = 'ModelInputError';
}

export interface EndpointModel {
  readonly kind: ModelKind;
  /** One prediction per instance; throws ModelInputError for an instance the model cannot read. */
  predict(instances: readonly unknown[]): unknown[];
}

/**
 * Which model an endpoint serves: by its name first (`…rerank…`, `…embed…`, `…rank…`), then by
 * framework (Hugging Face models embed, everything else ranks).
 */
export function modelKindFor(endpoint: Pick<ResolvedEndpoint, 'name' | 'variants'>): ModelKind {
  const name = endpoint.name.toLowerCase();
  if (name.includes('rerank')) return 'reranker';
  if (name.includes('embed')) return 'embedder';
  if (name.includes('rank')) return 'ranker';
  return endpoint.variants[0]?.model.framework === 'huggingface' ? 'embedder' : 'ranker';
}

export function createModel(kind: ModelKind, options: { readonly embeddingDimensions?: number } = {}): EndpointModel {
  const embedder = new HashingTextEmbedder(options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS);
  switch (kind) {
    case 'ranker': {
      const ranker = new LinearRanker();
      return { kind, predict: (instances) => instances.map((x, i) => round(scoreInstance(ranker, x, i))) };
    }
    case 'embedder':
      return { kind, predict: (instances) => instances.map((x, i) => ({ embedding: Array.from(embedder.embed(textOf(x, i)), round) })) };
    case 'reranker': {
      const reranker = new Reranker(embedder);
      return {
        kind,
        predict: (instances) =>
          instances.map((x, i) => {
            const { query, documents } = rerankInput(x, i);
            const { scores, ranking } = reranker.rerank(query, documents);
            return { scores: scores.map(round), ranking };
          }),
      };
    }
  }
}

/** Six decimals: float32-level precision, and half the JSON of a full double. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function scoreInstance(ranker: LinearRanker, instance: unknown, i: number): number {
  const features = Array.isArray(instance) ? instance : isRecord(instance) ? instance.features : undefined;
  if (!Array.isArray(features)) {
    throw new ModelInputError(`instances[${i}]: expected an array of ${RANKER_FEATURES.length} numbers or {"features": [...]}`);
  }
  try {
    return ranker.score(features as number[]);
  } catch (e) {
    throw new ModelInputError(`instances[${i}]: ${(e as Error).message}`);
  }
}

function textOf(instance: unknown, i: number): string {
  if (typeof instance === 'string') return instance;
  if (isRecord(instance)) {
    // `content` is what Vertex text-embedding models take; `text` and `inputs` are common elsewhere.
    for (const key of ['text', 'content', 'inputs']) if (typeof instance[key] === 'string') return instance[key];
  }
  throw new ModelInputError(`instances[${i}]: expected a string or {"text": "..."}`);
}

function rerankInput(instance: unknown, i: number): { query: string; documents: string[] } {
  if (isRecord(instance) && typeof instance.query === 'string' && Array.isArray(instance.documents)) {
    const documents = instance.documents;
    if (documents.every((d): d is string => typeof d === 'string')) return { query: instance.query, documents };
  }
  throw new ModelInputError(`instances[${i}]: expected {"query": "...", "documents": ["...", ...]}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
