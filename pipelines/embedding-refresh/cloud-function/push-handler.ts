/**
 * The Cloud Functions host: one Pub/Sub push request, one message. A 2xx status acknowledges it; any
 * other status makes Pub/Sub redeliver it with the subscription's backoff and dead-letter it after
 * maxDeliveryAttempts. With message ordering on, Pub/Sub pushes one message per ordering key (the
 * document id) at a time (cloud.google.com/pubsub/docs/ordering), so no two writes of a document race.
 * The function's instances serve up to the pipeline's batch size of requests at once.
 *
 * Authentication is the platform's: the function admits only callers with run.invoker, which only the
 * push subscription's OIDC identity holds.
 */
import { isAcknowledged } from '../delivery';
import { RefreshWorker, type RefreshWorkerOptions } from '../refresh-worker';
import { deliveryOfPush } from './push-envelope';

/** The parts of the Functions Framework's (Express) request and response the handler uses. */
export interface PushRequest {
  readonly body: unknown;
}
export interface PushResponse {
  status(code: number): PushResponse;
  json(body: unknown): unknown;
}

export type Log = (line: string) => void;

/** Acknowledged. */
const ACK = 204;
/** Not a push envelope: the request is wrong, not the message; Pub/Sub never sends one. */
const BAD_REQUEST = 400;
/** Poison: it will never succeed, but is redelivered until dead-lettered, like every failure. */
const UNPROCESSABLE = 422;
/** A failure a retry may fix. */
const UNAVAILABLE = 503;

export function pushHandler(ports: () => RefreshWorkerOptions | Promise<RefreshWorkerOptions>, log: Log = (line) => console.log(line)) {
  let worker: Promise<RefreshWorker> | undefined;
  return async (req: PushRequest, res: PushResponse): Promise<void> => {
    const push = deliveryOfPush(req.body);
    if (!push.ok) {
      log(JSON.stringify({ severity: 'ERROR', message: push.reason }));
      res.status(BAD_REQUEST).json({ error: push.reason });
      return;
    }
    worker ??= Promise.resolve(ports()).then((options) => new RefreshWorker(options));
    const [outcome] = await (await worker).handleBatch([push.delivery]);
    log(JSON.stringify({ severity: isAcknowledged(outcome) ? 'INFO' : 'WARNING', message: 'embedding-refresh message', ...outcome, deliveryAttempt: push.delivery.deliveryAttempt }));
    const status = isAcknowledged(outcome) ? ACK : outcome.status === 'poison' ? UNPROCESSABLE : UNAVAILABLE;
    res.status(status).json(outcome);
  };
}
