/**
 * The pgvector store of a `vectorStore.engine: pgvector` topology, as a service of the local
 * endpoints: Postgres is not HTTP, so it listens on its own loopback port and takes no route on the
 * emulator's; it lists its connection string under `vectorStore.pgvector` in `GET /emulator`, prints
 * it at start, and stops with the emulator.
 */
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { ResolvedVectorStore } from '../../constructs';
import { startLocalPgvector, type LocalPgvector } from '../vector-store/local-pgvector';
import type { EmulatorService } from './emulator-service';

/** What `GET /emulator` shows under `vectorStore.pgvector`. */
export interface PgvectorListing {
  readonly url: string;
  readonly table: string;
  readonly column: string;
}

export async function startPgvectorService(store: ResolvedVectorStore, options: { readonly dataDir?: string } = {}): Promise<EmulatorService> {
  // Its own folder: --data-dir is shared by every stateful local service.
  const local = await startLocalPgvector(store, { dataDir: options.dataDir && join(options.dataDir, 'pgvector') });
  return pgvectorService(local);
}

function pgvectorService(local: LocalPgvector): EmulatorService {
  const listing: PgvectorListing = { url: local.url, table: local.table, column: local.column };
  return {
    name: 'vectorStore',
    maxBodyBytes: 0,
    matches: () => false,
    handle: () => {
      throw new Error('the pgvector store takes no HTTP requests: it speaks the Postgres protocol on its own port');
    },
    internalError: (res: ServerResponse) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('pgvector store error\n');
    },
    listing: () => ({ pgvector: listing }),
    banner: () => [
      `vectorStore: pgvector at ${local.url} (table ${local.table}, column ${local.column})`,
      `  ${local.version}: real Postgres and pgvector in WebAssembly, one session shared by every connection; not Aurora or AlloyDB`,
    ],
    close: () => local.close(),
  };
}
