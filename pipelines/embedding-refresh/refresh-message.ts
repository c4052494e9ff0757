/**
 * The embedding-refresh message, format version 1 (pipelines/EMBEDDING-REFRESH-FORMAT.md): one
 * document's new version to embed, or its deletion. Parsed with zod; a message that does not parse is
 * poison, and the error names every bad field, its value and what is allowed.
 */
import { z } from 'zod';

/**
 * Printable ASCII without spaces, at most 128: the document id is the SQS FIFO MessageGroupId
 * (alphanumerics and punctuation, 128 characters) and the Pub/Sub ordering key.
 */
export const DOCUMENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** Longer documents go by `uri`: an SQS message holds at most 1 MiB. */
export const MAX_TEXT_CHARACTERS = 100_000;
const MAX_METADATA_KEYS = 32;

const metadataValue = z.union([z.string().max(1024), z.number(), z.boolean()]);

const common = {
  formatVersion: z.literal(1).describe('Message format version.'),
  documentId: z.string().regex(DOCUMENT_ID_PATTERN, 'printable ASCII without spaces, 1 to 128 characters'),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Monotonic per document: a higher version replaces a lower one.'),
};

const upsertMessage = z
  .strictObject({
    ...common,
    op: z.literal('upsert'),
    text: z.string().min(1).max(MAX_TEXT_CHARACTERS).optional(),
    uri: z.string().regex(/^(s3|gs|https):\/\/\S+$/, 'an s3://, gs:// or https:// URI').optional(),
    metadata: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a letter or _, then letters, digits or _, at most 64'), metadataValue)
      .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`)
      .default({}),
  })
  .refine((m) => (m.text === undefined) !== (m.uri === undefined), { message: 'give exactly one of text and uri', path: ['text'] });

const deleteMessage = z.strictObject({ ...common, op: z.literal('delete') });

export const refreshMessageSchema = z.discriminatedUnion('op', [upsertMessage, deleteMessage]);

export type RefreshMessage = z.output<typeof refreshMessageSchema>;
export type UpsertMessage = Extract<RefreshMessage, { op: 'upsert' }>;

export type ParsedMessage = { readonly ok: true; readonly message: RefreshMessage } | { readonly ok: false; readonly reason: string };

/** The message in `body`, or why it is poison: not JSON, or each field that breaks the format. */
export function parseRefreshMessage(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: `body is not JSON: ${(e as Error).message}` };
  }
  const formatVersion = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof json === 'object' && json !== null && formatVersion !== 1) {
    return { ok: false, reason: `formatVersion: this worker reads format 1, got ${JSON.stringify(formatVersion)}` };
  }
  const parsed = refreshMessageSchema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}${valueAt(json, issue.path)}`).join('; ') };
}

function valueAt(json: unknown, path: readonly PropertyKey[]): string {
  let value = json;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return `, got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
