/** A `--data-dir` the local services cannot use as it is (made for another topology): the message says what to do. */
export class LocalStateError extends Error {
  override readonly name = 'LocalStateError';
}
