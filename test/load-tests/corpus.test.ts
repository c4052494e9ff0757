/** `serving-stacks corpus`: reproducible files, ground truth that agrees with brute force, and its usage errors. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { servingStacksProgram } from '../../bin/program';
import { CORPUS_GENERATOR_VERSION, generateCorpus, type CorpusManifest } from '../../load-tests/corpus';
import { NEWS_TOPIC_NAMES } from '../../load-tests/models';
import type { VectorMetric } from '../../load-tests/vector-store';
import { runInProcess } from '../cli/run-in-process';

const FILES = ['documents.jsonl', 'queries.jsonl', 'corpus.json'];
const tempDir = () => mkdtempSync(join(tmpdir(), 'corpus-'));
const cli = (args: readonly string[]) => runInProcess(servingStacksProgram(), ['corpus', ...args]);

afterEach(() => {
  process.exitCode = undefined;
});

/** Brute force written apart from ExactIndex: every distance, sorted, ties by id. */
function bruteForce(metric: VectorMetric, query: readonly number[], documents: readonly { id: string; embedding: readonly number[] }[], k: number): string[] {
  const q = Float32Array.from(query);
  const scored = documents.map((d) => {
    const v = Float32Array.from(d.embedding);
    let dot = 0;
    let qq = 0;
    let vv = 0;
    let sq = 0;
    v.forEach((x, i) => {
      dot += x * q[i];
      qq += q[i] * q[i];
      vv += x * x;
      sq += (x - q[i]) ** 2;
    });
    const distance = metric === 'euclidean' ? sq : metric === 'dot-product' ? -dot : qq === 0 || vv === 0 ? 1 : 1 - dot / Math.sqrt(qq * vv);
    return { id: d.id, distance };
  });
  scored.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  return scored.slice(0, k).map((s) => s.id);
}

describe('serving-stacks corpus', () => {
  it('writes byte-identical files for the same seed, and a manifest that names seed, dimensions, metric, counts and digests', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    for (const [dir, seed] of [[a, '3'], [b, '3'], [c, '4']] as const) {
      const run = await cli(['--documents', '300', '--queries', '20', '--k', '5', '--seed', seed, '--out', dir]);
      expect(run.exitCode).toBeUndefined();
      expect(run.stdout).toMatch(new RegExp(`^Wrote 300 documents and 20 queries to ${dir} \\(seed ${seed}; 768 dimensions, cosine; exact top 5\\)\n`));
    }
    for (const file of FILES) expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), file).toBe(true);
    expect(readFileSync(join(a, 'documents.jsonl')).equals(readFileSync(join(c, 'documents.jsonl')))).toBe(false);

    const manifest = JSON.parse(readFileSync(join(a, 'corpus.json'), 'utf8')) as CorpusManifest;
    expect(manifest).toMatchObject({
      generator: { name: 'serving-stacks corpus', version: CORPUS_GENERATOR_VERSION },
      seed: 3,
      dimensions: 768,
      metric: 'cosine',
      topology: { name: 'news', environment: 'dev' },
      counts: { documents: 300, queries: 20, k: 5 },
    });
    for (const file of ['documents', 'queries'] as const) {
      const digest = createHash('sha256').update(readFileSync(join(a, manifest.files[file].path))).digest('hex');
      expect(manifest.files[file].sha256).toBe(digest);
    }
  });

  it('keeps the documents when only the query count changes, and N documents are the first N of a larger corpus', () => {
    const options = { queries: 5, k: 3, seed: 11, dimensions: 32, metric: 'cosine' } as const;
    const small = generateCorpus({ ...options, documents: 40 });
    const large = generateCorpus({ ...options, documents: 80, queries: 9 });
    expect(large.documents.slice(0, 40)).toEqual(small.documents);
  });

  it('gives every document filterable metadata and a unit-length embedding of the topology\'s dimensions', () => {
    const { documents } = generateCorpus({ documents: 200, queries: 0, k: 1, seed: 5, dimensions: 48, metric: 'cosine' });
    const languages = new Set(documents.map((d) => d.language));
    expect([...languages].sort()).toEqual(['en', 'es', 'fr', 'pt']);
    for (const d of documents) {
      expect(NEWS_TOPIC_NAMES).toContain(d.section);
      expect(d.publishedAt).toMatch(/^2026-1[01]-\d\dT\d\d:\d\dZ$/);
      expect(Date.parse(d.publishedAt)).toBeLessThan(Date.UTC(2026, 11, 1));
      expect(d.embedding).toHaveLength(48);
      expect(Math.hypot(...d.embedding)).toBeCloseTo(1, 4);
    }
  });

  it.each(['cosine', 'dot-product', 'euclidean'] as const)('computes ground truth that agrees with brute force under %s', (metric) => {
    const corpus = generateCorpus({ documents: 400, queries: 25, k: 10, seed: 9, dimensions: 64, metric });
    for (const query of corpus.queries) expect(query.groundTruth).toEqual(bruteForce(metric, query.embedding, corpus.documents, 10));
    // Paraphrases are near their source: the ground truth is about the corpus, not noise.
    const sourceFound = corpus.queries.filter((q) => q.groundTruth.includes(q.sourceId)).length;
    expect(sourceFound).toBeGreaterThan(0);
  });

  it.each([
    [['--documents', '0'], '--documents: expected a whole number from 1 to 9999999, got "0"'],
    [['--documents', '10', '--k', '20'], '--k: expected at most --documents (10), got "20"'],
    [['--documents', '10', '--queries', '-1'], '--queries: expected a whole number from 0 to 9999999, got "-1"'],
    [['--documents', '10', '--seed', 'x'], '--seed: expected a whole number from 0 to 4294967295, got "x"'],
    [['--documents', '10', '--load', 'localhost:8780'], '--load: expected the emulator\'s URL, e.g. http://127.0.0.1:8780, got "localhost:8780"'],
    [['--documents', '10', '--topology', 'test/fixtures/conformance/gpu-round-up.yaml'], 'has no vectorStore: the corpus takes its dimensions and metric from it'],
    [['--documents', '10', '--env', 'qa'], '--env: no preset "qa"'],
  ])('fails with a usage error on %j', async (args, message) => {
    const run = await cli([...args, '--out', tempDir()]);
    expect(run.stderr).toContain(message);
    expect(run.exitCode).toBe(1);
  });

  it('fails with a usage error when --documents or --out is missing', async () => {
    const noDocuments = await cli(['--out', tempDir()]);
    expect([noDocuments.exitCode, noDocuments.stderr]).toEqual([1, expect.stringContaining("required option '--documents <n>' not specified")]);
    const noOut = await cli(['--documents', '5']);
    expect([noOut.exitCode, noOut.stderr]).toEqual([1, expect.stringContaining("required option '--out <dir>' not specified")]);
  });

  it('says so when no emulator answers at --load, after writing the files', async () => {
    const dir = tempDir();
    // Port 9 (discard) on loopback: nothing listens there in a test environment.
    const run = await cli(['--documents', '5', '--k', '3', '--out', dir, '--load', 'http://127.0.0.1:9']);
    expect(run.stderr).toMatch(/^error: no emulator answers at http:\/\/127\.0\.0\.1:9 \(.+\); start one with serving-stacks emulate\n$/);
    expect(run.exitCode).toBe(1);
    expect(readFileSync(join(dir, 'corpus.json'), 'utf8')).toContain('"documents": 5');
  });
});
