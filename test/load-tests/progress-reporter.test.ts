import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../load-tests/generator/reporters/progress-reporter';
import type { RunProgress } from '../../load-tests/generator/run-load-test';

/** A terminal that records what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 200, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => text };
}

const progress = (elapsedSeconds: number): RunProgress => ({
  elapsedSeconds,
  durationSeconds: 4,
  expectedTotal: 400,
  scheduled: elapsedSeconds * 100,
  sent: elapsedSeconds * 100,
  ok: elapsedSeconds * 100,
  errors: 0,
  dropped: 0,
  inFlight: 1,
});

describe('the progress bar', () => {
  it('shows the planned run length, not the bar\'s own elapsed time', () => {
    const { stream, text } = terminal();
    const reporter = createProgressReporter(stream);
    reporter.update(progress(1));
    reporter.update(progress(4));
    reporter.stop();
    expect(text()).toMatch(/\| 1\/4 s \|/);
    expect(text()).toMatch(/\| 4\/4 s \|/);
  });
});
