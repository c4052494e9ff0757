/**
 * The local pgvector store: a real Postgres with the real pgvector extension (PGlite: Postgres
 * compiled to WebAssembly, in this process), served on the Postgres wire protocol on its own
 * loopback port, so `pg` and every other Postgres client connect unchanged. It holds the schema the
 * stacks' migrations create (constructs/pgvector-schema.ts). Not Aurora or AlloyDB: one PGlite
 * backend serves every connection in turn, so a session setting one client makes applies to all.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EMBEDDING_FIELD, PGVECTOR_TABLE, pgvectorSchema, type PgvectorSchemaSettings } from '../../constructs';
import { LocalStateError } from '../local-state/local-state-error';

/** PGlite's one database. */
export const LOCAL_PGVECTOR_DATABASE = 'postgres';
const LOCAL_PGVECTOR_USER = 'postgres';
/** Clients connected at once; PGlite runs their statements one at a time. */
const MAX_CONNECTIONS = 32;

export interface LocalPgvectorOptions {
  /** Directory the database lives in across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** @default 0 - a free port */
  readonly port?: number;
}

export interface LocalPgvector {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, for `new pg.Client({ connectionString })`. */
  readonly url: string;
  readonly table: string;
  readonly column: string;
  /** `PostgreSQL 17.5 …, pgvector 0.8.0`: printed, since this is not the cloud's database. */
  readonly version: string;
  /** Stops the socket server, then closes PGlite (which flushes the data directory). */
  close(): Promise<void>;
}

export async function startLocalPgvector(store: PgvectorSchemaSettings, options: LocalPgvectorOptions = {}): Promise<LocalPgvector> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  try {
    await refuseOtherDimensions(db, store.dimensions, options.dataDir);
    for (const statement of pgvectorSchema(store, LOCAL_PGVECTOR_DATABASE)) await db.exec(statement);
    // ALTER DATABASE applies to sessions that start later; PGlite's one session started already.
    await db.exec(`SET hnsw.ef_search = ${store.index.efSearch};`);
    const server = new PGLiteSocketServer({ db, host: options.host ?? '127.0.0.1', port: options.port ?? 0, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const version = await versions(db);
    return {
      url: `postgres://${LOCAL_PGVECTOR_USER}@${server.getServerConn()}/${LOCAL_PGVECTOR_DATABASE}`,
      table: PGVECTOR_TABLE,
      column: EMBEDDING_FIELD,
      version,
      close: async () => {
        await server.stop();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** A data directory made for another topology keeps its table: say so, rather than fail on every insert. */
async function refuseOtherDimensions(db: PGlite, dimensions: number, dataDir: string | undefined): Promise<void> {
  // A vector column's type modifier is its dimension count.
  const found = await db.query<{ dimensions: number }>(
    `SELECT a.atttypmod AS dimensions FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relname = $1 AND a.attname = $2 AND c.relkind = 'r'`,
    [PGVECTOR_TABLE, EMBEDDING_FIELD],
  );
  const stored = found.rows[0]?.dimensions;
  if (stored !== undefined && stored !== dimensions) {
    throw new LocalStateError(
      `${dataDir}: its pgvector table ${PGVECTOR_TABLE} holds ${stored}-dimension vectors but the topology's vectorStore.dimensions is ${dimensions}; use another --data-dir`,
    );
  }
}

async function versions(db: PGlite): Promise<string> {
  const postgres = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  const pgvector = (await db.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'")).rows[0].v;
  return `PostgreSQL ${postgres} (PGlite), pgvector ${pgvector}`;
}
