/**
 * Every command reads its options through bin/options/: the same bad value gets the same message
 * shape (`--flag: expected <what is allowed>, got "<value>"`) and the command's usage exit code,
 * before anything runs. In-process, through the real program.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../../bin/options/duration';
import { parseSeed, SEED_RANGE } from '../../bin/options/seed';
import { servingStacksProgram } from '../../bin/program';
import { usageExitCode } from '../../bin/exit-codes';
import { runInProcess } from './run-in-process';

async function cli(args: readonly string[]): Promise<{ stderr: string; exitCode: number }> {
  const { stderr, exitCode } = await runInProcess(servingStacksProgram(), args);
  return { stderr, exitCode: exitCode ?? 0 };
}

afterEach(() => {
  process.exitCode = undefined;
});

const SIMULATION_COMMANDS = ['simulate', 'cost', 'recommend', 'compare'] as const;

/** [commands, flag, bad value, what the message says is allowed]. */
const SHARED_FLAGS: readonly (readonly [readonly string[], string, string, string])[] = [
  [[...SIMULATION_COMMANDS, 'loadtest', 'emulate', 'tune-index'], '--seed', '1.5', 'a whole number from 0 to 4294967295'],
  [[...SIMULATION_COMMANDS, 'loadtest', 'emulate', 'tune-index'], '--seed', '4294967296', 'a whole number from 0 to 4294967295'],
  [[...SIMULATION_COMMANDS, 'loadtest'], '--peak-rps', 'lots', 'a number > 0 (requests per second)'],
  [['loadtest'], '--rate', '0', 'a number > 0 (requests per second)'],
  [['compare'], '--live-rate', '-5', 'a number > 0 (requests per second)'],
  [['cost'], '--queue-rate', '0', 'a number > 0 (messages per second)'],
  [['cost'], '--cache-rate', 'x', 'a number > 0 (requests per second)'],
  [[...SIMULATION_COMMANDS, 'loadtest'], '--hours', '200', 'a number > 0 and <= 168 (hours)'],
  [['loadtest', 'emulate'], '--time-scale', '0', 'a number > 0'],
  [SIMULATION_COMMANDS, '--spikes-per-week', '-1', 'a number >= 0'],
  [['simulate', 'cost', 'recommend', 'compare', 'plan', 'check-update'], '--cloud', 'azure', 'one of '],
  [SIMULATION_COMMANDS, '--method', 'guess', 'one of auto, exact, fluid'],
  [['loadtest'], '--duration', 'soon', 'a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['loadtest'], '--timeout', '0', 'a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['loadtest'], '--step-duration', '10 sec', 'a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['loadtest'], '--warmup', '-1s', 'a duration such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['compare'], '--live-seconds', '3x', 'a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['emulate'], '--stall', 'every=soon,for=1s', 'a duration > 0 such as 500ms, 30s, 2m or 1h (a bare number is seconds)'],
  [['loadtest'], '--workers', '0', 'a whole number from 1 to 64'],
  [['loadtest'], '--retries', '11', 'a whole number from 0 to 10'],
  [['loadtest'], '--target', 'grpc', 'one of sagemaker, vertex, http'],
  [['loadtest'], '--arrivals', 'bursty', 'one of uniform, poisson'],
  [['loadtest'], '--vertex-client', 'grpc', 'one of aiplatform, rest'],
  [['emulate'], '--port', '70000', 'a whole number from 0 to 65535'],
  [['emulate'], '--error-rate', '1.5', 'a fraction between 0 and 1 (for example 0.01)'],
  [['emulate'], '--autoscale', 'azure', 'one of aws, gcp'],
  [['recommend'], '--allowed-violation-minutes', '0.5', 'a whole number >= 0'],
];

const CASES = SHARED_FLAGS.flatMap(([commands, flag, value, allowed]) => commands.map((command) => [command, flag, value, allowed] as const));

describe('shared option parsers', () => {
  it.each(CASES)('%s %s %j: the flag, the value and what is allowed; the usage exit code', async (command, flag, value, allowed) => {
    const { stderr, exitCode } = await cli([command, flag, value]);
    // The flag named in the message is the one given, or a field of it (`--stall every`).
    expect(stderr).toMatch(new RegExp(`^error: ${flag}( \\w+)?: expected ${escape(allowed)}.*, got "${escape(value.split('=')[1]?.split(',')[0] ?? value)}"\\n$`));
    expect(exitCode).toBe(usageExitCode(command));
  });

  it('gives every command the same exit code for an unknown option as for a bad value (check-update: 2, the rest: 1)', async () => {
    for (const command of ['validate', 'parity', 'schema', 'shapes', 'assumptions', 'plan', 'check-update', 'emulate', 'loadtest', 'cost', 'simulate', 'recommend', 'compare']) {
      // plan checks its mandatory --cloud first.
      const { stderr, exitCode } = await cli([command, ...(command === 'plan' ? ['--cloud', 'aws'] : []), '--no-such-flag']);
      expect(stderr, command).toMatch(/^error: unknown option '--no-such-flag'/);
      expect(exitCode, command).toBe(command === 'check-update' ? 2 : 1);
    }
  });

  it('reports every bad value of one command line at once, in the order of the help', async () => {
    const { stderr } = await cli(['simulate', '--seed', '-1', '--hours', '0']);
    expect(stderr).toBe(
      'error: bad options:\n  --hours: expected a number > 0 and <= 168 (hours), got "0"\n  --seed: expected a whole number from 0 to 4294967295, got "-1"\n',
    );
  });
});

describe('durations: one rule for a bare number', () => {
  it.each([
    ['30', 30],
    ['1.5', 1.5],
    ['500ms', 0.5],
    ['30s', 30],
    ['2m', 120],
    ['1h', 3600],
  ])('%s is %d s', (text, seconds) => {
    expect(parseDurationSeconds('--duration', text)).toBe(seconds);
  });

  it('reads a bare number as seconds in the emulator\'s stall fault too', async () => {
    const { parseStall } = await import('../../bin/options/fault-options');
    expect(parseStall('--stall', 'every=5,for=1')).toEqual({ everyMs: 5000, forMs: 1000, replicas: 1 });
  });

  it('allows 0 only where asked', () => {
    expect(parseDurationSeconds('--warmup', '0', { allowZero: true })).toBe(0);
    expect(() => parseDurationSeconds('--duration', '0')).toThrow('--duration: expected a duration > 0');
  });
});

describe('seeds: one limit', () => {
  it('takes every 32-bit seed, and nothing else', () => {
    expect(SEED_RANGE).toMatchObject({ min: 0, max: 4_294_967_295, integer: true });
    expect(parseSeed('--seed', '0')).toBe(0);
    expect(parseSeed('--seed', '4294967295')).toBe(4_294_967_295);
    for (const bad of ['-1', '4294967296', '1.5', '', 'one']) expect(() => parseSeed('--seed', bad), bad).toThrow(`--seed: expected a whole number from 0 to 4294967295, got "${bad}"`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
