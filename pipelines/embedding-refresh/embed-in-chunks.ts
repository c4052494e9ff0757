/**
 * Embeds many texts in as few requests as the embedder allows. When a request fails, its texts are
 * embedded one by one, so one text the model rejects fails only its own message, not its neighbours.
 */
import type { Embedder } from './ports';

export type EmbedResult = { readonly ok: true; readonly vector: readonly number[] } | { readonly ok: false; readonly reason: string };

export async function embedInChunks(embedder: Embedder, texts: readonly string[], dimensions: number | undefined): Promise<EmbedResult[]> {
  const results: EmbedResult[] = [];
  const size = Math.max(1, embedder.maxBatchSize);
  for (let start = 0; start < texts.length; start += size) {
    const chunk = texts.slice(start, start + size);
    const vectors = await tryEmbed(embedder, chunk);
    if (vectors.ok) {
      results.push(...vectors.vectors.map((v) => checked(v, dimensions)));
    } else if (chunk.length === 1) {
      results.push({ ok: false, reason: vectors.reason });
    } else {
      for (const text of chunk) {
        const single = await tryEmbed(embedder, [text]);
        results.push(single.ok ? checked(single.vectors[0], dimensions) : { ok: false, reason: single.reason });
      }
    }
  }
  return results;
}

async function tryEmbed(
  embedder: Embedder,
  texts: readonly string[],
): Promise<{ ok: true; vectors: readonly (readonly number[])[] } | { ok: false; reason: string }> {
  try {
    const vectors = await embedder.embed(texts);
    if (vectors.length !== texts.length) return { ok: false, reason: `embedder returned ${vectors.length} vectors for ${texts.length} texts` };
    return { ok: true, vectors };
  } catch (e) {
    return { ok: false, reason: `embedder failed: ${(e as Error).message}` };
  }
}

/** A vector the store would reject (wrong length, not finite) fails here, with the reason, instead of in the write. */
function checked(vector: readonly number[], dimensions: number | undefined): EmbedResult {
  if (dimensions !== undefined && vector.length !== dimensions) return { ok: false, reason: `embedder returned ${vector.length} dimensions, the store takes ${dimensions}` };
  if (!vector.every(Number.isFinite)) return { ok: false, reason: 'embedder returned a vector with a non-finite value' };
  return { ok: true, vector };
}
