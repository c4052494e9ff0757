/**
 * Loads a corpus into a pgvector table with `pg` (node-postgres): multi-row upserts keyed by
 * document id, the embedding in pgvector's text form, section, publication date, language and text
 * in the jsonb metadata column (filters read `metadata->>'section'`).
 */
import { Client, DatabaseError, escapeIdentifier } from 'pg';
import type { PgvectorListing } from '../emulator/pgvector-service';
import { CorpusLoadError, type CorpusLoader } from './corpus-loader';
import type { CorpusDocument } from './news-corpus';
import { metadataOf } from './corpus-metadata';

/** Rows per INSERT: 3 parameters each, far below Postgres's 65,535 parameters per statement. */
const ROWS_PER_STATEMENT = 200;

export class PgvectorCorpusLoader implements CorpusLoader {
  readonly engine = 'pgvector';
  readonly target: string;
  private readonly client: Client;
  private connected?: Promise<void>;
  private open = false;

  constructor(private readonly listing: PgvectorListing) {
    this.client = new Client({ connectionString: listing.url });
    this.target = `${redactPassword(listing.url)} table ${listing.table}`;
  }

  async load(documents: readonly CorpusDocument[], onProgress?: (loaded: number) => void): Promise<void> {
    await this.connect();
    const table = escapeIdentifier(this.listing.table);
    const column = escapeIdentifier(this.listing.column);
    for (let i = 0; i < documents.length; i += ROWS_PER_STATEMENT) {
      const batch = documents.slice(i, i + ROWS_PER_STATEMENT);
      const values = batch.map((_, r) => `($${3 * r + 1}, $${3 * r + 2}, $${3 * r + 3})`).join(', ');
      const params = batch.flatMap((d) => [d.id, `[${d.embedding.join(',')}]`, JSON.stringify(metadataOf(d))]);
      await this.run(
        `INSERT INTO ${table} (id, ${column}, metadata) VALUES ${values} ON CONFLICT (id) DO UPDATE SET ${column} = EXCLUDED.${column}, metadata = EXCLUDED.metadata`,
        params,
      );
      onProgress?.(i + batch.length);
    }
  }

  async close(): Promise<void> {
    if (this.open) await this.client.end();
  }

  private connect(): Promise<void> {
    this.connected ??= this.client.connect().then(
      () => void (this.open = true),
      (e: Error) => {
        throw new CorpusLoadError(`cannot connect to ${this.target}: ${e.message}`);
      },
    );
    return this.connected;
  }

  private async run(sql: string, params: unknown[]): Promise<void> {
    try {
      await this.client.query(sql, params);
    } catch (e) {
      if (e instanceof DatabaseError) throw new CorpusLoadError(`${this.target}: ${e.message} (SQLSTATE ${e.code})`);
      throw e;
    }
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
