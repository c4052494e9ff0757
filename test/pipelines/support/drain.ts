/** Runs `workers` concurrent consumers of `queue` until it is empty: the way Lambda pollers or push deliveries overlap. */
import type { RefreshWorker } from '../../../pipelines/embedding-refresh/refresh-worker';
import type { FifoQueue } from './fifo-queue';
import { yieldTurns } from './memory-ports';

/** Enough rounds for any test's queue; more means a consumer never finishes, which must fail, not hang. */
const MAX_ROUNDS = 10_000;

export async function drain(queue: FifoQueue, worker: RefreshWorker, options: { workers: number; batchSize: number }): Promise<void> {
  let rounds = 0;
  const consume = async () => {
    while (!queue.isDrained) {
      if (++rounds > MAX_ROUNDS) throw new Error(`queue not drained after ${MAX_ROUNDS} rounds`);
      const batch = queue.receive(options.batchSize);
      if (batch.length === 0) {
        await yieldTurns(1);
        continue;
      }
      queue.settle(await worker.handleBatch(batch));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, consume));
}
