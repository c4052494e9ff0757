/**
 * Durations on the command line: `500ms`, `30s`, `2m`, `1h`. A bare number is seconds, for every
 * flag and every field (`--duration 30`, `--stall every=5`), so no flag reads it as milliseconds.
 */
import type { Option } from 'commander';
import { typedOption } from './typed-option';
import { badValue } from './usage-error';

export const DURATION_UNITS = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

export interface DurationRule {
  /** Whether 0 is allowed (`--warmup 0s`). @default false */
  readonly allowZero?: boolean;
}

/** The duration in seconds. */
export function parseDurationSeconds(flag: string, text: string, rule: DurationRule = {}): number {
  const match = DURATION.exec(text);
  const seconds = match ? Number(match[1]) * DURATION_UNITS[(match[2] ?? 's') as keyof typeof DURATION_UNITS] : NaN;
  if (!(seconds > 0 || (rule.allowZero && seconds === 0))) {
    throw badValue(flag, text, `a duration${rule.allowZero ? '' : ' > 0'} such as 500ms, 30s, 2m or 1h (a bare number is seconds)`);
  }
  return seconds;
}

/** An option whose value reaches the action in seconds; give a default in seconds with `.default(10, '10s')`. */
export function durationOption(flags: string, description: string, rule: DurationRule = {}): Option {
  return typedOption(flags, description, (flag, text) => parseDurationSeconds(flag, text, rule));
}
