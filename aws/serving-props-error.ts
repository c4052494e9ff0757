/**
 * A construct was given props it cannot realise (a serverless endpoint with data capture, an async
 * endpoint without a result queue, …). The message lists every problem with its prop path; `bin/aws.ts`
 * prints it without a stack trace, like a topology error. `synthesizeServingTemplates` also throws it
 * when the policy packs reject the stack the props produce, with the packs' report as the message.
 */
export class ServingPropsError extends Error {
  override readonly name = 'ServingPropsError';
}
