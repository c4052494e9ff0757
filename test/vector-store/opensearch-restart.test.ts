/**
 * `emulate --data-dir`: the local OpenSearch collection that `localServices` builds for a managed
 * vector store keeps every acknowledged change across a restart (indexes, documents with their
 * generated ids, updates and deletions), and searches them at once after the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology, type ResolvedTopology } from '../../constructs';
import { ManualClock } from '../../load-tests/clock';
import { localServices, startEmulator } from '../../load-tests/emulator';

const dataDir = mkdtempSync(join(tmpdir(), 'aoss-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function vector(seed: number): number[] {
  return Array.from({ length: 768 }, (_, i) => Math.sin(seed * 7.3 + i * 0.11));
}

async function withCollection<T>(resolved: ResolvedTopology, use: (client: Client, clock: ManualClock) => Promise<T>): Promise<T> {
  const clock = new ManualClock(0);
  const services = await localServices(resolved, { dataDir, clock });
  const emulator = await startEmulator(resolved, { services });
  const client = new Client({ node: `${emulator.url}/opensearch` });
  try {
    return await use(client, clock);
  } finally {
    await client.close();
    await emulator.close();
  }
}

async function allDocuments(client: Client): Promise<Record<string, { id: string; section: string }>> {
  const response = await client.search({ index: 'embeddings', body: { size: 100, _source: ['id', 'section'], query: { match_all: {} } } });
  return Object.fromEntries(response.body.hits.hits.map((h) => [h._id, h._source as { id: string; section: string }]));
}

describe('local OpenSearch collection with a data directory', () => {
  it('loses nothing acknowledged across a restart', async () => {
    const resolved = resolveTopology(preset('dev'));
    const before = await withCollection(resolved, async (client, clock) => {
      const body = Array.from({ length: 20 }, (_, i) => [{ index: { _index: 'embeddings' } }, { id: `a-${i}`, section: 'world', embedding: vector(i) }]).flat();
      const loaded = await client.bulk({ body });
      expect(loaded.body.errors).toBe(false);
      const ids = loaded.body.items.map((item) => item.index!._id!);
      await client.bulk({ body: [{ update: { _index: 'embeddings', _id: ids[0] } }, { doc: { section: 'sport' } }, { delete: { _index: 'embeddings', _id: ids[1] } }] });
      await client.indices.create({ index: 'drafts', body: { settings: { index: { knn: true } }, mappings: { properties: { v: { type: 'knn_vector', dimension: 2 } } } } });
      clock.advanceBy(1_000);
      return allDocuments(client);
    });
    expect(Object.keys(before)).toHaveLength(19);

    // A fresh clock and no wait: what was acknowledged before the restart is searchable at once.
    await withCollection(resolved, async (client) => {
      expect(await allDocuments(client)).toEqual(before);
      expect(Object.values(before).filter((d) => d.section === 'sport')).toEqual([{ id: 'a-0', section: 'sport' }]);
      expect((await client.indices.exists({ index: 'drafts' })).body).toBe(true);
      const nearest = await client.search({ index: 'embeddings', body: { size: 1, query: { knn: { embedding: { vector: vector(7), k: 1 } } } } });
      expect((nearest.body.hits.hits[0]._source as { id: string }).id).toBe('a-7');
    });
  });

  it('serves no OpenSearch collection for a pgvector store', async () => {
    const topology = preset('dev');
    const resolved = resolveTopology({ ...topology, vectorStore: { ...topology.vectorStore!, engine: 'pgvector' } });
    const services = await localServices(resolved, {});
    try {
      const listed = services.map((s) => s.listing('http://127.0.0.1:1') as Record<string, unknown>);
      expect(listed.some((l) => 'pgvector' in l)).toBe(true);
      expect(listed.some((l) => 'opensearch' in l)).toBe(false);
    } finally {
      for (const s of services) await s.close?.();
    }
  });
});
