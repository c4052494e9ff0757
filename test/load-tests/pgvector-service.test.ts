/**
 * `emulate` on a pgvector topology: the local Postgres listed in `GET /emulator` and printed at start,
 * loaded by `corpus --load` through `pg`, closed with the emulator, and kept across a restart with
 * `--data-dir`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { servingStacksProgram } from '../../bin/program';
import { loadTopologyFile, preset, resolveTopology } from '../../constructs';
import { localServices } from '../../load-tests/emulator';
import { runInProcess } from '../cli/run-in-process';

const TOPOLOGY = 'test/fixtures/pgvector-small.yaml';
const cli = (args: readonly string[], whileRunning?: Parameters<typeof runInProcess>[2]) => runInProcess(servingStacksProgram(), args, whileRunning);

afterEach(() => {
  process.exitCode = undefined;
});

interface Listing {
  vectorStore: { pgvector: { url: string; table: string; column: string } };
}

/** Runs `emulate` until `use` is done, handing it the emulator's URL once its banner is out. */
async function emulating(dataDir: string, use: (emulatorUrl: string) => Promise<void>): Promise<string> {
  const run = await cli(['emulate', '--topology', TOPOLOGY, '--port', '0', '--data-dir', dataDir], async ({ stdout, finished }) => {
    while (!/Pool metrics/.test(stdout()) && !finished()) await new Promise((r) => setTimeout(r, 20));
    try {
      await use(/at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout())?.[1] ?? '');
    } finally {
      process.emit('SIGINT');
    }
  });
  return run.stdout;
}

async function rowCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM embeddings')).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('the pgvector store of emulate', () => {
  it('is listed and printed, takes a corpus through corpus --load, closes with the emulator and keeps its rows across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pgvector-data-'));
    let pgUrl = '';
    let loaded = '';
    const first = await emulating(dataDir, async (url) => {
      const listing = (await (await fetch(`${url}/emulator`)).json()) as Listing;
      expect(listing.vectorStore).toEqual({ pgvector: { url: expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/), table: 'embeddings', column: 'embedding' } });
      pgUrl = listing.vectorStore.pgvector.url;
      const corpus = await cli(['corpus', '--topology', TOPOLOGY, '--documents', '120', '--queries', '3', '--out', join(dataDir, 'corpus'), '--load', url]);
      expect(corpus.stderr).toBe('');
      loaded = corpus.stdout;
      expect(await rowCount(pgUrl)).toBe(120);
    });
    expect(first).toContain(`vectorStore: pgvector at ${pgUrl} (table embeddings, column embedding)`);
    expect(first).toMatch(/PostgreSQL 17\.\d+ \(PGlite\), pgvector \d+\.\d+\.\d+: real Postgres and pgvector in WebAssembly, one session shared by every connection; not Aurora or AlloyDB/);
    expect(loaded).toContain(`Loaded 120 documents into pgvector at ${pgUrl} table embeddings`);
    // Closed with the emulator: nothing listens on its port any more.
    await expect(rowCount(pgUrl)).rejects.toThrow(/ECONNREFUSED/);

    await emulating(dataDir, async (url) => {
      const listing = (await (await fetch(`${url}/emulator`)).json()) as Listing;
      expect(await rowCount(listing.vectorStore.pgvector.url)).toBe(120);
    });
  });

  it('refuses a data directory whose table has other dimensions than the topology', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pgvector-data-'));
    const resolved = resolveTopology(loadTopologyFile(TOPOLOGY));
    for (const service of await localServices(resolved, { dataDir })) await service.close?.();
    const wider = { ...resolved, vectorStore: { ...resolved.vectorStore!, dimensions: 96 } };
    await expect(localServices(wider, { dataDir })).rejects.toThrow(
      `${join(dataDir, 'pgvector')}: its pgvector table embeddings holds 64-dimension vectors but the topology's vectorStore.dimensions is 96; use another --data-dir`,
    );
  });

  it('is not started for the managed engine', async () => {
    const services = await localServices(resolveTopology(preset('dev')));
    try {
      expect(services.map((s) => s.listing('http://127.0.0.1:1'))).not.toContainEqual({ pgvector: expect.anything() });
    } finally {
      for (const service of services) await service.close?.();
    }
  });
});
