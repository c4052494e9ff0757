/**
 * The embedding request and response both model servers speak (SageMaker InvokeEndpoint body and
 * Vertex `:predict`): `{"instances": [{"text": …}]}` in, `{"predictions": [{"embedding": [...]}]}` out,
 * in order. The local endpoints (serving-stacks emulate) answer the same for an embedding model.
 */

export function embeddingRequest(texts: readonly string[]): { instances: { text: string }[] } {
  return { instances: texts.map((text) => ({ text })) };
}

/** The vectors of a prediction response, or an error saying what in it is not an embedding. */
export function embeddingsOf(response: unknown, expected: number): number[][] {
  const predictions = (response as { predictions?: unknown } | null)?.predictions;
  if (!Array.isArray(predictions)) throw new Error('response has no predictions array');
  if (predictions.length !== expected) throw new Error(`response has ${predictions.length} predictions for ${expected} texts`);
  return predictions.map((p, i) => {
    const vector = Array.isArray(p) ? p : (p as { embedding?: unknown } | null)?.embedding;
    if (!Array.isArray(vector) || !vector.every((x) => typeof x === 'number')) throw new Error(`predictions[${i}] is not an embedding (a number array or {"embedding": [...]})`);
    return vector as number[];
  });
}
