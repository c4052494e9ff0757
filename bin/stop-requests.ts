/**
 * When a long-running command (`emulate`, `loadtest`, `compare`'s live load test) must stop: Ctrl-C, SIGTERM, SIGHUP, or its launcher
 * going away. `npx serving-stacks …` runs the CLI under npm's wrapper, and a SIGTERM to the
 * wrapper does not reach this process: `cmd & kill $!` would leave the server holding its port.
 * A parent that dies reparents this process, so a changed parent pid (checked each second on an
 * unreferenced timer) counts as a stop request too.
 */
import { EXIT } from './exit-codes';

export type StopReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'parent exited';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const PARENT_CHECK_MS = 1_000;

/**
 * Calls `onStop` once, on the first stop request; returns a function that stops listening. A
 * Ctrl-C (SIGINT) makes the command exit 130 in every mode, whatever it then writes; the other
 * reasons leave the exit code to the command.
 */
export function onStopRequest(onStop: (reason: StopReason) => void): () => void {
  const parent = process.ppid;
  let stopped = false;
  const handlers = SIGNALS.map((signal) => [signal, () => fire(signal)] as const);
  const parentCheck = setInterval(() => {
    if (process.ppid !== parent) fire('parent exited');
  }, PARENT_CHECK_MS).unref();

  function dispose(): void {
    clearInterval(parentCheck);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  function fire(reason: StopReason): void {
    if (stopped) return;
    stopped = true;
    dispose();
    if (reason === 'SIGINT') process.exitCode = EXIT.interrupted;
    onStop(reason);
  }

  for (const [signal, handler] of handlers) process.on(signal, handler);
  return dispose;
}

/**
 * A run that stops early on a stop request and keeps what it measured: the first request aborts
 * `signal` (after `onStop`), a second Ctrl-C or SIGTERM quits at once with 130.
 */
export function interruptibleRun(onStop: (reason: StopReason) => void): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const quitNow = () => process.exit(EXIT.interrupted);
  const disposeFirst = onStopRequest((reason) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, quitNow);
    onStop(reason);
    controller.abort();
  });
  return {
    signal: controller.signal,
    dispose() {
      disposeFirst();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, quitNow);
    },
  };
}
