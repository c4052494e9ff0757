/** A RAG run's inputs (corpus, store addresses) are missing or malformed; the message names the flag. */
export class RagInputError extends Error {
  override readonly name = 'RagInputError';
}
