/**
 * The embedding-refresh writer for pgvector (Aurora PostgreSQL, AlloyDB, the local PGlite store)
 * through `pg`. Unlike the other stores, Postgres writes conditionally: the upsert's
 * `ON CONFLICT (id) DO UPDATE … WHERE table.version < EXCLUDED.version` keeps the newer row even if
 * two workers race past the worker's version check, so an older version never overwrites a newer one
 * here, with or without per-document ordering. The table is constructs/pgvector-schema.ts's.
 */
import type { Pool } from 'pg';
import { EMBEDDING_FIELD, PGVECTOR_DELETED_COLUMN, PGVECTOR_TABLE, PGVECTOR_VERSION_COLUMN } from '../../../constructs/pgvector-schema';
import type { StoredVersion, VectorRecord, VectorWriter, WriteOutcome } from '../ports';

const T = PGVECTOR_TABLE;
const VERSION = PGVECTOR_VERSION_COLUMN;
const DELETED = PGVECTOR_DELETED_COLUMN;

/**
 * One statement for the whole batch (arrays unnested into rows), so a batch is one round trip and one
 * transaction. The worker sends at most one record per document, as ON CONFLICT requires.
 */
const UPSERT = `INSERT INTO ${T} (id, ${EMBEDDING_FIELD}, metadata, ${VERSION}, ${DELETED})
SELECT id, embedding::vector, metadata, version, deleted FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[], $5::boolean[]) AS r(id, embedding, metadata, version, deleted)
ON CONFLICT (id) DO UPDATE SET ${EMBEDDING_FIELD} = EXCLUDED.${EMBEDDING_FIELD}, metadata = EXCLUDED.metadata, ${VERSION} = EXCLUDED.${VERSION}, ${DELETED} = EXCLUDED.${DELETED}
WHERE ${T}.${VERSION} < EXCLUDED.${VERSION}`;

export class PgvectorVectorWriter implements VectorWriter {
  constructor(private readonly pool: Pick<Pool, 'query'>) {}

  async readVersions(documentIds: readonly string[]): Promise<ReadonlyMap<string, StoredVersion>> {
    const { rows } = await this.pool.query<{ id: string; version: string; deleted: boolean }>(
      `SELECT id, ${VERSION} AS version, ${DELETED} AS deleted FROM ${T} WHERE id = ANY($1::text[])`,
      [documentIds],
    );
    // bigint arrives as a string; versions are safe integers (refresh-message.ts).
    return new Map(rows.map((r) => [r.id, { version: Number(r.version), deleted: r.deleted }]));
  }

  /** A record older than the stored row is not an error: the row already holds a newer state, as the worker wants. */
  async write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]> {
    if (records.length === 0) return [];
    await this.pool.query(UPSERT, [
      records.map((r) => r.documentId),
      records.map((r) => (r.kind === 'upsert' ? `[${r.vector.join(',')}]` : null)),
      records.map((r) => (r.kind === 'upsert' ? JSON.stringify(r.metadata) : null)),
      records.map((r) => String(r.version)),
      records.map((r) => r.kind === 'tombstone'),
    ]);
    return records.map(() => ({ ok: true }));
  }
}
