/**
 * The `PUT /{index}` body of a vector index: `settings.index.knn: true` and one `knn_vector` field
 * with its dimension and HNSW method (https://docs.opensearch.org/latest/mappings/supported-field-types/knn-vector/,
 * https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/). Other
 * fields are kept as given (for `GET /{index}`) and stored in `_source`; filters read `_source`.
 */
import type { VectorMetric } from '../vector-distance';
import type { VectorIndexSettings } from '../vector-index';
import { illegalArgument, mapperParsing, OpenSearchError } from './opensearch-error';

export type KnnEngine = 'faiss' | 'nmslib' | 'lucene';
export type SpaceType = 'l2' | 'cosinesimil' | 'innerproduct';

/** The spaces the local store ranks by, with the local distance each one maps to (vector-distance.ts). */
const SPACE_METRICS: Readonly<Record<SpaceType, VectorMetric>> = { l2: 'euclidean', cosinesimil: 'cosine', innerproduct: 'dot-product' };
const ENGINES: readonly KnnEngine[] = ['faiss', 'nmslib', 'lucene'];

/** OpenSearch's HNSW defaults (knn-methods-engines: m 16, ef_construction 100; ef_search 100). */
export const DEFAULT_HNSW = { m: 16, efConstruction: 100, efSearch: 100 } as const;

export interface KnnIndexDefinition {
  /** The body's `mappings` and `settings`, as `GET /{index}` shows them. */
  readonly mappings: Record<string, unknown>;
  readonly settings: Record<string, unknown>;
  readonly vectorField: string;
  readonly dimension: number;
  readonly engine: KnnEngine;
  readonly spaceType: SpaceType;
  readonly hnsw: { readonly m: number; readonly efConstruction: number; readonly efSearch: number };
}

export function vectorIndexSettings(definition: KnnIndexDefinition): VectorIndexSettings {
  return { dimensions: definition.dimension, metric: SPACE_METRICS[definition.spaceType], hnsw: definition.hnsw };
}

export function parseKnnIndexBody(body: unknown): KnnIndexDefinition {
  const root = objectOr(body, 'the request body');
  const settings = objectOr(root.settings ?? {}, 'settings');
  const mappings = objectOr(root.mappings ?? {}, 'mappings');
  const properties = objectOr(mappings.properties ?? {}, 'mappings.properties');
  const indexSettings = objectOr(settings.index ?? {}, 'settings.index');
  // `index.knn` may be written nested or flat; OpenSearch accepts both and the string "true".
  const knn = indexSettings.knn ?? settings['index.knn'];
  const vectorFields = Object.entries(properties).filter(([, field]) => isObject(field) && field.type === 'knn_vector');
  if (vectorFields.length !== 1) {
    throw mapperParsing(
      `the local OpenSearch store serves indexes with exactly one knn_vector field; mappings.properties has ${vectorFields.length} (${vectorFields.map(([name]) => name).join(', ') || 'none'})`,
    );
  }
  const [vectorField, field] = vectorFields[0] as [string, Record<string, unknown>];
  if (knn !== true && knn !== 'true') {
    throw mapperParsing(`Cannot set modelId or method parameters when index.knn setting is false (field [${vectorField}]); set settings.index.knn: true`);
  }
  const dimension = field.dimension;
  if (dimension === undefined) throw mapperParsing(`Dimension value missing for vector: ${vectorField}`);
  if (typeof dimension !== 'number' || !Number.isInteger(dimension) || dimension < 1 || dimension > 16_000) {
    throw mapperParsing(`Dimension value must be an integer between 1 and 16000 for vector: ${vectorField}, got ${JSON.stringify(dimension)}`);
  }
  const method = objectOr(field.method ?? {}, `mappings.properties.${vectorField}.method`);
  if (method.name !== undefined && method.name !== 'hnsw') {
    throw mapperParsing(`the local OpenSearch store implements method [hnsw] only; [${vectorField}].method.name is [${String(method.name)}]`);
  }
  const engine = (method.engine ?? 'faiss') as KnnEngine;
  if (!ENGINES.includes(engine)) throw mapperParsing(`Invalid engine [${String(engine)}] for [${vectorField}]; allowed: ${ENGINES.join(', ')}`);
  const spaceType = (method.space_type ?? field.space_type ?? 'l2') as SpaceType;
  if (!(spaceType in SPACE_METRICS)) {
    throw mapperParsing(`the local OpenSearch store supports space_type ${Object.keys(SPACE_METRICS).join(', ')}; [${vectorField}] has [${String(spaceType)}]`);
  }
  const parameters = objectOr(method.parameters ?? {}, `mappings.properties.${vectorField}.method.parameters`);
  // NMSLIB takes ef_search from the index setting, Faiss from the method parameters (knn-methods-engines).
  const efSearch = parameters.ef_search ?? indexSettings['knn.algo_param.ef_search'] ?? settings['index.knn.algo_param.ef_search'];
  const hnsw = {
    m: positiveInt(parameters.m ?? DEFAULT_HNSW.m, `${vectorField}.method.parameters.m`),
    efConstruction: positiveInt(parameters.ef_construction ?? DEFAULT_HNSW.efConstruction, `${vectorField}.method.parameters.ef_construction`),
    efSearch: positiveInt(efSearch ?? DEFAULT_HNSW.efSearch, `${vectorField}.method.parameters.ef_search`),
  };
  return { mappings, settings, vectorField, dimension, engine, spaceType, hnsw };
}

function positiveInt(value: unknown, path: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw illegalArgument(`[${path}] must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOr(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw new OpenSearchError(400, 'mapper_parsing_exception', `Failed to parse mapping: [${path}] must be an object, got ${JSON.stringify(value)}`);
  return value;
}
