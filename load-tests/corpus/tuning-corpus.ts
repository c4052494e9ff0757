/**
 * The news corpus as index tuning measures it: document vectors, query vectors and each query's
 * exact top k, either generated in memory (generateCorpus) or read from a corpus directory
 * written by `serving-stacks corpus` (load-tests/CORPUS-FORMAT.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TuningCorpus } from '../vector-store/tune-index';
import type { VectorMetric } from '../vector-store/vector-distance';
import { readCorpusJsonLines, type CorpusErrorFactory } from './corpus-json-lines';
import type { NewsCorpus } from './news-corpus';
import { CORPUS_FILES } from './write-corpus';

const METRICS: readonly string[] = ['cosine', 'dot-product', 'euclidean'] satisfies VectorMetric[];

export function tuningCorpusOf(corpus: NewsCorpus): TuningCorpus {
  return {
    dimensions: corpus.options.dimensions,
    metric: corpus.options.metric,
    documents: corpus.documents.map((d) => ({ id: d.id, vector: Float32Array.from(d.embedding) })),
    queries: corpus.queries.map((q) => Float32Array.from(q.embedding)),
    groundTruth: corpus.queries.map((q) => q.groundTruth),
  };
}

/** A corpus directory's vectors and ground truth; every malformed line is reported with its file and line number. */
export function readTuningCorpus(dir: string, error: CorpusErrorFactory): TuningCorpus {
  const manifest = readManifest(dir, error);
  const vector = (value: unknown, file: string, line: number): Float32Array => {
    if (!Array.isArray(value) || value.length !== manifest.dimensions || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      const got = Array.isArray(value) ? `${value.length} values` : JSON.stringify(value)?.slice(0, 40);
      throw error(`--corpus ${dir}: ${file} line ${line}: "embedding" must be ${manifest.dimensions} finite numbers (corpus.json dimensions), got ${got}`);
    }
    return Float32Array.from(value as number[]);
  };
  const documents = readCorpusJsonLines(dir, CORPUS_FILES.documents, error).map((d, i) => {
    if (typeof d.id !== 'string') throw error(`--corpus ${dir}: ${CORPUS_FILES.documents} line ${i + 1} needs a string "id"`);
    return { id: d.id, vector: vector(d.embedding, CORPUS_FILES.documents, i + 1) };
  });
  const queryLines = readCorpusJsonLines(dir, CORPUS_FILES.queries, error);
  const groundTruth = queryLines.map((q, i) => {
    if (!Array.isArray(q.groundTruth) || !q.groundTruth.every((id) => typeof id === 'string')) {
      throw error(`--corpus ${dir}: ${CORPUS_FILES.queries} line ${i + 1} needs "groundTruth", an array of document ids`);
    }
    return q.groundTruth as string[];
  });
  if (documents.length === 0 || queryLines.length === 0) {
    throw error(`--corpus ${dir}: needs at least one document and one query, got ${documents.length} and ${queryLines.length}; write it with \`serving-stacks corpus --documents N --queries Q\``);
  }
  return {
    dimensions: manifest.dimensions,
    metric: manifest.metric,
    documents,
    queries: queryLines.map((q, i) => vector(q.embedding, CORPUS_FILES.queries, i + 1)),
    groundTruth,
  };
}

/** The manifest fields the vectors' meaning depends on: ground truth was ranked under its metric. */
function readManifest(dir: string, error: CorpusErrorFactory): Pick<TuningCorpus, 'dimensions' | 'metric'> {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, CORPUS_FILES.manifest), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw error(`--corpus ${dir}: cannot read ${CORPUS_FILES.manifest} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); write the corpus with \`serving-stacks corpus --out ${dir}\``);
  }
  const { dimensions, metric } = manifest;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 2) {
    throw error(`--corpus ${dir}: ${CORPUS_FILES.manifest} "dimensions" must be a whole number of at least 2, got ${JSON.stringify(dimensions)}`);
  }
  if (typeof metric !== 'string' || !METRICS.includes(metric)) {
    throw error(`--corpus ${dir}: ${CORPUS_FILES.manifest} "metric" must be cosine, dot-product or euclidean, got ${JSON.stringify(metric)}`);
  }
  return { dimensions, metric: metric as VectorMetric };
}
