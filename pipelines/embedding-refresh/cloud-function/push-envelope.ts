/**
 * The body of a Pub/Sub push request (cloud.google.com/pubsub/docs/push, "Receive messages"):
 * `{ message: { data (base64), attributes, messageId, publishTime, orderingKey }, subscription,
 * deliveryAttempt }`. `deliveryAttempt` is present when the subscription dead-letters
 * (cloud.google.com/pubsub/docs/handling-failures).
 */
import { z } from 'zod';
import type { Delivery } from '../delivery';

export const pushEnvelopeSchema = z.object({
  message: z.object({
    data: z.base64().default(''),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().min(1),
    publishTime: z.string().optional(),
    orderingKey: z.string().optional(),
  }),
  subscription: z.string().min(1),
  deliveryAttempt: z.number().int().positive().optional(),
});

export type PushEnvelope = z.input<typeof pushEnvelopeSchema>;

/** The delivery in a push body, or why the body is not a push envelope. */
export function deliveryOfPush(body: unknown): { ok: true; delivery: Delivery } | { ok: false; reason: string } {
  const parsed = pushEnvelopeSchema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `not a Pub/Sub push envelope: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const { message, deliveryAttempt } = parsed.data;
  return { ok: true, delivery: { messageId: message.messageId, body: Buffer.from(message.data, 'base64').toString('utf8'), deliveryAttempt: deliveryAttempt ?? 1 } };
}
