/** The dev topology's local endpoints with their queues on a manual clock, and the official clients pointed at them. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { PubSub, v1, type ClientConfig as ClientOptions } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import { parseTopology, presetInput, resolveTopology, type ResolvedQueue, type ResolvedTopology } from '../../constructs';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { LocalQueues } from '../../load-tests/queues/local-queues';

export interface QueuesRig {
  readonly emulator: EmulatorHandle;
  readonly clock: ManualClock;
  readonly service: LocalQueues;
  /** The dev topology's embedding-refresh queue. */
  readonly queue: ResolvedQueue;
  readonly sqs: SQSClient;
  readonly pubsub: PubSub;
  readonly subscriber: v1.SubscriberClient;
  close(): Promise<void>;
}

export const PROJECT = 'local';

/**
 * The dev topology's queues as standard (unordered) queues: without its pipeline, the embedding-refresh
 * queue takes messages without message groups. The ordered variant is `resolveTopology(preset('dev'))`.
 */
export function unorderedDev(): ResolvedTopology {
  return resolveTopology(parseTopology({ ...presetInput('dev'), pipelines: {} }));
}

export async function startQueuesRig(options: { dataDir?: string; resolved?: ResolvedTopology } = {}): Promise<QueuesRig> {
  const resolved = options.resolved ?? unorderedDev();
  const clock = new ManualClock();
  const services = await localServices(resolved, { clock, dataDir: options.dataDir });
  const emulator = await startEmulator(resolved, { clock, services });
  const service = services.find((s): s is LocalQueues => s instanceof LocalQueues);
  if (!service) throw new Error('the dev topology has queues, so localServices must serve them');
  const queue = resolved.queues.find((q) => q.purpose === 'embedding-refresh');
  if (!queue) throw new Error('the dev topology has an embedding-refresh queue');
  // Unchanged clients: a custom endpoint and fake static credentials for SQS; REST fallback mode for Pub/Sub.
  const sqs = new SQSClient({ region: resolved.regions.aws, endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const authClient = new OAuth2Client();
  // Any token: the emulator checks none. An expiry keeps the client from trying to refresh it.
  authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 24 * 3600_000 });
  // google-gax pins its own google-auth-library, so the same client class has two declarations.
  const auth = authClient as unknown as ClientOptions['authClient'];
  // PubSub passes these gax options through to its clients, though its ClientConfig type does not list them.
  const restFallback = { fallback: true, protocol: 'http' };
  const pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: `127.0.0.1:${emulator.port}`, authClient: auth, ...restFallback });
  const subscriber = new v1.SubscriberClient({ apiEndpoint: '127.0.0.1', port: emulator.port, fallback: true, protocol: 'http', authClient: auth });
  return {
    emulator,
    clock,
    service,
    queue,
    sqs,
    pubsub,
    subscriber,
    close: async () => {
      sqs.destroy();
      await subscriber.close();
      await pubsub.close();
      await emulator.close();
    },
  };
}

/**
 * Resolves once the server has set one more timer on the manual clock than `before` (a long poll
 * waiting for its deadline), so a test advances the clock only after the wait began.
 */
export async function untilTimerSet(clock: ManualClock, before: number): Promise<void> {
  for (let turns = 0; clock.pendingTimers <= before; turns++) {
    if (turns > 100_000) throw new Error('the server never started waiting');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
