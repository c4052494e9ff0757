/**
 * A construct was given props it cannot realise (a serverless endpoint with data capture, an async
 * endpoint without a result queue, …). The message lists every problem with its prop path; `bin/aws.ts`
 * prints it without a stack trace, like a topology error.
 */
export class ServingPropsError extends Error {
  override readonly name = 'ServingPropsError';
}
