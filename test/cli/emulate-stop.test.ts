/**
 * `serving-stacks emulate` stops, and frees its port, however its launcher goes away: a signal to
 * the process itself, or the death of the wrapper that started it (`npx … &` then `kill $!`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';

const CLI = ['bin/serving-stacks.js', 'emulate', '--env', 'dev', '--port', '0'];

/** Resolves with the emulator's URL once it prints it, and with everything printed once the output closes. */
function watchOutput(child: ChildProcess): { url: Promise<string>; closed: Promise<string> } {
  let text = '';
  let onUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (onUrl = resolve));
  const closed = new Promise<string>((resolve) => child.stdout?.on('end', () => resolve(text)));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    const match = /Pool metrics: GET (http:\/\/127\.0\.0\.1:\d+)\/emulator/.exec(text);
    if (match) onUrl(match[1]);
  });
  return { url, closed };
}

function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('emulate stops with its launcher', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('stops on %s and frees its port', async (signal) => {
    const child = spawn(process.execPath, CLI, { stdio: ['ignore', 'pipe', 'inherit'] });
    const output = watchOutput(child);
    const url = await output.url;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    // Ctrl-C exits 130, as in every long-running mode (bin/stop-requests.ts); a supervisor's stop is a clean exit.
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 0);
    expect(await output.closed).toMatch(/stopped/);
    expect(await refusesConnections(url)).toBe(true);
  });

  it('stops when the wrapper that started it is killed', async () => {
    // A launcher standing in for npm's wrapper: it starts the CLI, shares its stdout, and dies by
    // SIGKILL, so nothing is forwarded to the CLI.
    const launcher = spawn(
      process.execPath,
      ['-e', `require('node:child_process').spawn(process.execPath, ${JSON.stringify(CLI)}, { stdio: ['ignore', 'inherit', 'inherit'] })`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const output = watchOutput(launcher);
    const url = await output.url;
    launcher.kill('SIGKILL');
    // The pipe closes only when the CLI, its last writer, has exited.
    expect(await output.closed).toMatch(/stopped \(parent exited\)/);
    expect(await refusesConnections(url)).toBe(true);
  });
});
