/**
 * Entry point of a load-test worker thread: builds its shard from `workerData`, reports ready,
 * runs when told to start, streams progress, and posts its result (encoded histograms).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TargetSetupError, type TargetDescription } from '../targets/target';
import { Shard, type ShardProgress, type ShardResult, type ShardSpec } from './shard';

export type WorkerMessage =
  | { readonly type: 'ready'; readonly description: TargetDescription }
  | { readonly type: 'progress'; readonly progress: ShardProgress }
  | { readonly type: 'result'; readonly result: ShardResult }
  /** `setup`: the target could not be set up (a TargetSetupError), as opposed to a failure mid-run. */
  | { readonly type: 'error'; readonly message: string; readonly setup: boolean };

export type ControlMessage = { readonly type: 'start'; readonly startAtEpochMs: number } | { readonly type: 'stop' };

const PROGRESS_INTERVAL_MS = 250;

if (parentPort) {
  const port = parentPort;
  const post = (message: WorkerMessage) => port.postMessage(message);
  Shard.open(workerData as ShardSpec).then(
    (shard) => {
      port.on('message', (message: ControlMessage) => {
        if (message.type === 'stop') return shard.stop();
        const progress = setInterval(() => post({ type: 'progress', progress: shard.progress() }), PROGRESS_INTERVAL_MS);
        shard
          .run(message.startAtEpochMs)
          .then(
            (result) => post({ type: 'result', result }),
            (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e), setup: false }),
          )
          .finally(() => {
            clearInterval(progress);
            void shard.close().finally(() => port.close());
          });
      });
      post({ type: 'ready', description: shard.description });
    },
    (e: unknown) => {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e), setup: e instanceof TargetSetupError });
      port.close();
    },
  );
}
