/**
 * The embedding-refresh writer for an OpenSearch Serverless vector collection, through the official
 * client (`@opensearch-project/opensearch`, signed for `aoss` by the host). Vector collections
 * generate `_id`s and refuse upserts, so a document is found by its `id` field
 * (aws/private/vector-index-mapping.ts) and replaced by a bulk that deletes every copy found and
 * indexes the new one.
 *
 * Each document carries `version` (a long) and `deleted` (a boolean). They are not in the index
 * mapping: OpenSearch maps them dynamically on the first write (long and boolean), which leaves the
 * mapping, and so the index name that hashes it, unchanged; a new mapped field would create a new
 * index. A tombstone is a document with `deleted: true` and no embedding, so k-NN never returns it.
 * Message metadata goes beside them, under its own keys; `id`, `version`, `deleted` and the
 * embedding field are the pipeline's and win over metadata keys of the same name.
 */
import type { Client } from '@opensearch-project/opensearch';
import { EMBEDDING_FIELD } from '../../../constructs/pgvector-schema';
import type { StoredVersion, VectorRecord, VectorWriter, WriteOutcome } from '../ports';
import { awaitVisible, type VisibilityOptions } from './await-visible';

export const DOCUMENT_ID_FIELD = 'id';
export const VERSION_FIELD = 'version';
export const DELETED_FIELD = 'deleted';
/** OpenSearch's default max_result_window: the most hits one search returns. */
const MAX_HITS = 10_000;

export interface OpenSearchWriterOptions extends VisibilityOptions {
  readonly index: string;
  /** @default 'embedding' */
  readonly vectorField?: string;
}

interface Copy {
  readonly _id: string;
  readonly documentId: string;
  readonly version: number;
  readonly deleted: boolean;
}

export class OpenSearchVectorWriter implements VectorWriter {
  private readonly vectorField: string;

  constructor(
    private readonly client: Pick<Client, 'search' | 'bulk'>,
    private readonly options: OpenSearchWriterOptions,
  ) {
    this.vectorField = options.vectorField ?? EMBEDDING_FIELD;
  }

  /** The highest version among a document's copies (a failed replace can leave two until the next write). */
  async readVersions(documentIds: readonly string[]): Promise<ReadonlyMap<string, StoredVersion>> {
    const found = new Map<string, StoredVersion>();
    for (const copy of await this.copiesOf(documentIds)) {
      const current = found.get(copy.documentId);
      if (!current || copy.version > current.version) found.set(copy.documentId, { version: copy.version, deleted: copy.deleted });
    }
    return found;
  }

  async write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]> {
    if (records.length === 0) return [];
    const { index } = this.options;
    const old = await this.copiesOf(records.map((r) => r.documentId));
    const body: object[] = [];
    const itemsOf: number[][] = records.map(() => []);
    const recordOf = new Map(records.map((r, i) => [r.documentId, i]));
    for (const copy of old) {
      itemsOf[recordOf.get(copy.documentId)!].push(body.length);
      body.push({ delete: { _index: index, _id: copy._id } });
    }
    records.forEach((r, i) => {
      itemsOf[i].push(body.length);
      body.push({ index: { _index: index } }, this.sourceOf(r));
    });
    const response = await this.client.bulk({ body });
    // One response item per action line; the document line after `index` has none.
    const items = (response.body.items ?? []) as Record<string, { status: number; error?: { type?: string; reason?: string } }>[];
    const actionIndex = actionPositions(body);
    const outcomes: WriteOutcome[] = records.map((r, i) => {
      for (const line of itemsOf[i]) {
        const item = Object.values(items[actionIndex.get(line)!] ?? {})[0];
        // A copy already deleted (404) is what the delete wanted.
        if (!item || (item.status >= 300 && !(item.status === 404 && line < body.length && 'delete' in body[line]))) {
          return { ok: false, reason: item ? `${item.error?.type ?? item.status}: ${item.error?.reason ?? 'bulk item failed'}` : `no bulk item for ${r.documentId}` };
        }
      }
      return { ok: true };
    });
    return this.visible(records, outcomes, new Set(old.map((c) => c._id)));
  }

  /**
   * Fails the written records search does not show within the timeout: shown means the new copy is
   * found at its version and none of the replaced copies is (until then, a read would mix the two).
   */
  private async visible(records: readonly VectorRecord[], outcomes: WriteOutcome[], replaced: ReadonlySet<string>): Promise<WriteOutcome[]> {
    const written = records.filter((_, i) => outcomes[i].ok);
    const pending = await awaitVisible(async () => {
      const copies = await this.copiesOf(written.map((r) => r.documentId));
      const shown = (r: VectorRecord) => {
        const own = copies.filter((c) => c.documentId === r.documentId);
        return own.some((c) => c.version === r.version) && !own.some((c) => replaced.has(c._id));
      };
      return new Set(written.filter((r) => !shown(r)).map((r) => r.documentId));
    }, this.options);
    return records.map((r, i) =>
      pending.has(r.documentId) ? { ok: false, reason: `written but not searchable within ${this.options.timeoutMs ?? 30_000} ms; a retry finds it` } : outcomes[i],
    );
  }

  private sourceOf(r: VectorRecord): Record<string, unknown> {
    const own = { [DOCUMENT_ID_FIELD]: r.documentId, [VERSION_FIELD]: r.version, [DELETED_FIELD]: r.kind === 'tombstone' };
    return r.kind === 'upsert' ? { ...r.metadata, ...own, [this.vectorField]: r.vector } : own;
  }

  private async copiesOf(documentIds: readonly string[]): Promise<Copy[]> {
    if (documentIds.length === 0) return [];
    const response = await this.client.search({
      index: this.options.index,
      body: {
        size: MAX_HITS,
        _source: [DOCUMENT_ID_FIELD, VERSION_FIELD, DELETED_FIELD],
        query: { terms: { [DOCUMENT_ID_FIELD]: [...new Set(documentIds)] } },
      },
    });
    const hits = response.body.hits.hits as { _id: string; _source?: Record<string, unknown> }[];
    if (hits.length >= MAX_HITS) throw new Error(`more than ${MAX_HITS} copies of ${documentIds.length} documents in ${this.options.index}: send smaller batches`);
    return hits.map((h) => ({
      _id: h._id,
      documentId: String(h._source?.[DOCUMENT_ID_FIELD]),
      // A document loaded before the pipeline has no version: any pipeline version replaces it.
      version: Number(h._source?.[VERSION_FIELD] ?? 0),
      deleted: h._source?.[DELETED_FIELD] === true,
    }));
  }
}

/** For each action line of a bulk body, the position of its response item (document lines have none). */
function actionPositions(body: readonly object[]): Map<number, number> {
  const positions = new Map<number, number>();
  let item = 0;
  for (let line = 0; line < body.length; line++) {
    positions.set(line, item++);
    if ('index' in body[line]) line++;
  }
  return positions;
}
