/**
 * The pgvector schema: one table of embeddings keyed by document id, an HNSW index with the spec's
 * m and ef_construction, and the spec's ef_search as the database default. The AWS stack hands it
 * to the application's migrations (`AuroraVectorStore.schemaStatements`; the same SQL runs on
 * AlloyDB) and the local store runs it at start: one builder, so the local store is the schema the
 * migrations create, not a copy of it.
 */
import type { ResolvedVectorStore } from './resolved-topology';

/** The database the stacks create (Aurora's defaultDatabaseName). */
export const PGVECTOR_DATABASE = 'vectors';
export const PGVECTOR_TABLE = 'embeddings';
/** The column holding each document's embedding; the same name as the OpenSearch field. */
export const EMBEDDING_FIELD = 'embedding';
/**
 * The document version the embedding-refresh pipeline wrote, and whether that version deleted the
 * document (a tombstone: no embedding, kept so a late older upsert cannot bring it back). Rows
 * loaded before the pipeline have version 0, which every pipeline version replaces. Queries exclude
 * tombstones with `WHERE NOT deleted` (their NULL embedding is not in the HNSW index either).
 */
export const PGVECTOR_VERSION_COLUMN = 'version';
export const PGVECTOR_DELETED_COLUMN = 'deleted';

/** pgvector's HNSW operator class for each metric (pgvector README, "HNSW"). */
export const PGVECTOR_OPERATOR_CLASS = { cosine: 'vector_cosine_ops', 'dot-product': 'vector_ip_ops', euclidean: 'vector_l2_ops' } as const;

/**
 * The distance operator an index of each operator class serves: `ORDER BY embedding <op> $1` uses
 * the index only with its own class's operator (`<#>` is the negative inner product, `<->` the L2 distance).
 */
export const PGVECTOR_DISTANCE_OPERATOR = { cosine: '<=>', 'dot-product': '<#>', euclidean: '<->' } as const;

/** What the schema is built from: the resolved vectorStore, or a part of it. */
export interface PgvectorSchemaSettings {
  readonly dimensions: number;
  readonly metric: ResolvedVectorStore['metric'];
  readonly index: Pick<ResolvedVectorStore['index'], 'm' | 'efConstruction' | 'efSearch'>;
}

/**
 * Creates the extension, the table and the HNSW index, and sets ef_search for every new session of
 * `database`. Idempotent: safe to run on every start.
 */
export function pgvectorSchema(store: PgvectorSchemaSettings, database: string = PGVECTOR_DATABASE): string[] {
  const opclass = PGVECTOR_OPERATOR_CLASS[store.metric];
  return [
    'CREATE EXTENSION IF NOT EXISTS vector;',
    `CREATE TABLE IF NOT EXISTS ${PGVECTOR_TABLE} (id text PRIMARY KEY, ${EMBEDDING_FIELD} vector(${store.dimensions}), metadata jsonb);`,
    // Added, not in CREATE TABLE, so a table made before the pipeline gains them too.
    `ALTER TABLE ${PGVECTOR_TABLE} ADD COLUMN IF NOT EXISTS ${PGVECTOR_VERSION_COLUMN} bigint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS ${PGVECTOR_DELETED_COLUMN} boolean NOT NULL DEFAULT false;`,
    // A tombstone has no embedding.
    `ALTER TABLE ${PGVECTOR_TABLE} ALTER COLUMN ${EMBEDDING_FIELD} DROP NOT NULL;`,
    `CREATE INDEX IF NOT EXISTS ${PGVECTOR_TABLE}_hnsw ON ${PGVECTOR_TABLE} USING hnsw (${EMBEDDING_FIELD} ${opclass}) WITH (m = ${store.index.m}, ef_construction = ${store.index.efConstruction});`,
    `ALTER DATABASE ${database} SET hnsw.ef_search = ${store.index.efSearch};`,
  ];
}
