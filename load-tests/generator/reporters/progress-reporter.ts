/**
 * Progress while a test runs: a bar on a terminal (cli-progress), plain lines elsewhere (CI logs
 * keep them readable). Both write to stderr, so stdout carries only the result. cli-progress
 * fills `{duration}` with its own elapsed time, so the planned length is `{runSeconds}`.
 */
import { SingleBar } from 'cli-progress';
import type { RunProgress } from '../run-load-test';

export interface ProgressReporter {
  update(progress: RunProgress): void;
  stop(): void;
}

/** Plain lines at most this often. */
const LINE_INTERVAL_SECONDS = 5;

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, label = 'loadtest'): ProgressReporter {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `${label} {bar} {percentage}% | {elapsed}/{runSeconds} s | sent {sent} | ok {ok} | errors {errors} | in flight {inFlight}`,
      hideCursor: true,
      clearOnComplete: true,
    });
    let started = false;
    return {
      update(p) {
        const fields = { elapsed: Math.round(p.elapsedSeconds), runSeconds: p.durationSeconds, sent: p.sent, ok: p.ok, errors: p.errors, inFlight: p.inFlight };
        if (!started) {
          bar.start(Math.max(1, p.expectedTotal), p.scheduled, fields);
          started = true;
        } else bar.update(p.scheduled, fields);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastLine = -LINE_INTERVAL_SECONDS;
  return {
    update(p) {
      if (p.elapsedSeconds - lastLine < LINE_INTERVAL_SECONDS) return;
      lastLine = p.elapsedSeconds;
      stream.write(
        `${label}: ${Math.round(p.elapsedSeconds)}/${p.durationSeconds} s, ${p.sent} sent, ${p.ok} ok, ${p.errors} errors, ${p.dropped} dropped, ${p.inFlight} in flight\n`,
      );
    },
    stop: () => undefined,
  };
}
