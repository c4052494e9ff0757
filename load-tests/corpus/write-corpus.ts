/**
 * Writes a corpus as files (load-tests/CORPUS-FORMAT.md): documents.jsonl, queries.jsonl and the
 * corpus.json manifest. Nothing in them depends on the clock or the machine, so the same options
 * give byte-identical files; the manifest's digests let a reader check that.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_GENERATOR_VERSION, type NewsCorpus } from './news-corpus';

export const CORPUS_FILES = { documents: 'documents.jsonl', queries: 'queries.jsonl', manifest: 'corpus.json' } as const;
/** The embedder every vector comes from (load-tests/models/hashing-text-embedder.ts). */
const LINES_PER_WRITE = 256;
const EMBEDDER = 'hashing-text-embedder: signed feature hashing of word unigrams and bigrams, L2-normalised';

export interface CorpusManifest {
  readonly generator: { readonly name: 'serving-stacks corpus'; readonly version: number };
  readonly seed: number;
  readonly dimensions: number;
  readonly metric: string;
  readonly embedder: string;
  /** The topology whose vectorStore gave dimensions and metric. */
  readonly topology: { readonly name: string; readonly environment: string };
  readonly counts: { readonly documents: number; readonly queries: number; readonly k: number };
  /** File name and SHA-256 (hex) of each data file. */
  readonly files: { readonly documents: FileDigest; readonly queries: FileDigest };
}

export interface FileDigest {
  readonly path: string;
  readonly sha256: string;
}

export function writeCorpus(corpus: NewsCorpus, dir: string, topology: CorpusManifest['topology']): CorpusManifest {
  mkdirSync(dir, { recursive: true });
  const { options } = corpus;
  const manifest: CorpusManifest = {
    generator: { name: 'serving-stacks corpus', version: CORPUS_GENERATOR_VERSION },
    seed: options.seed,
    dimensions: options.dimensions,
    metric: options.metric,
    embedder: EMBEDDER,
    topology,
    counts: { documents: corpus.documents.length, queries: corpus.queries.length, k: options.k },
    files: {
      documents: writeJsonLines(dir, CORPUS_FILES.documents, corpus.documents),
      queries: writeJsonLines(dir, CORPUS_FILES.queries, corpus.queries),
    },
  };
  writeFileSync(join(dir, CORPUS_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** One JSON object a line, written in chunks (a large corpus is hundreds of MB as one string). */
function writeJsonLines(dir: string, name: string, records: readonly object[]): FileDigest {
  const hash = createHash('sha256');
  const fd = openSync(join(dir, name), 'w');
  try {
    for (let i = 0; i < records.length; i += LINES_PER_WRITE) {
      const text = records
        .slice(i, i + LINES_PER_WRITE)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join('');
      hash.update(text);
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
  return { path: name, sha256: hash.digest('hex') };
}
