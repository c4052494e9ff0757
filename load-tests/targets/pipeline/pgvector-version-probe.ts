/**
 * The k-NN probe on pgvector, through `pg`: `ORDER BY embedding <op> $query` (the metric's distance
 * operator, the one the HNSW index serves) restricted to the document's row, tombstones excluded.
 */
import { Pool } from 'pg';
import { EMBEDDING_FIELD, PGVECTOR_DELETED_COLUMN, PGVECTOR_DISTANCE_OPERATOR, PGVECTOR_TABLE, PGVECTOR_VERSION_COLUMN } from '../../../constructs/pgvector-schema';
import type { ClassifiedError } from '../error-classification';
import type { PgvectorSearchStore } from './pipeline-target-spec';
import { probeVector, type VersionProbe } from './version-probe';

const PG_VERSION: string = require('pg/package.json').version;

export class PgvectorVersionProbe implements VersionProbe {
  readonly client = `pg ${PG_VERSION}`;
  readonly url: string;
  private readonly pool: Pool;
  private readonly query: string;
  private readonly vector: string;

  constructor(spec: PgvectorSearchStore, dimensions: number, maxSockets: number, timeoutMs: number) {
    this.pool = new Pool({ connectionString: spec.url, max: Math.min(maxSockets, 20), query_timeout: timeoutMs + 1000 });
    this.query =
      `SELECT ${PGVECTOR_VERSION_COLUMN} AS version FROM ${PGVECTOR_TABLE} WHERE id = $1 AND NOT ${PGVECTOR_DELETED_COLUMN} ` +
      `ORDER BY ${EMBEDDING_FIELD} ${PGVECTOR_DISTANCE_OPERATOR[spec.metric]} $2::vector LIMIT 1`;
    this.vector = `[${probeVector(dimensions).join(',')}]`;
    const url = new URL(spec.url);
    this.url = `${url.protocol}//${url.host}${url.pathname}`;
  }

  async warmUp(): Promise<void> {
    await this.searchableVersion('loadtest-warm-up');
  }

  async searchableVersion(documentId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ version: string }>(this.query, [documentId, this.vector]);
    // bigint arrives as a string; versions are safe integers.
    return rows.length ? Number(rows[0].version) : undefined;
  }

  classify(error: unknown): ClassifiedError {
    return classifyPostgresError(error);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * By SQLSTATE class (https://www.postgresql.org/docs/current/errcodes-appendix.html): 53 insufficient
 * resources is the server shedding load, 57014 a cancelled (timed-out) statement, 08 and Node's
 * network codes a connection that never answered; any other the server's own failure.
 */
function classifyPostgresError(error: unknown): ClassifiedError {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; severity?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : undefined;
  // Only the server's answers carry a severity; Node's network errors have codes too (ECONNREFUSED).
  if (code === undefined || e.severity === undefined || code.startsWith('08')) return { errorClass: 'client', name: code ?? (typeof e.name === 'string' ? e.name : 'Error'), message };
  const errorClass = code.startsWith('53') ? 'throttled' : code === '57014' ? 'timeout' : 'server5xx';
  return { errorClass, name: `SQLSTATE ${code}`, message };
}
