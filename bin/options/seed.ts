/** `--seed`: every seeded command takes the same range, the 32-bit seeds of load-tests/replica/random.ts. */
import type { Option } from 'commander';
import { numberOption, parseNumber, type NumberRange } from './number';

export const SEED_RANGE: NumberRange = { integer: true, min: 0, max: 2 ** 32 - 1 };

export function parseSeed(flag: string, text: string): number {
  return parseNumber(flag, text, SEED_RANGE);
}

/** `--seed <n>` with its default. */
export function seedOption(description: string, defaultSeed: number): Option {
  return numberOption('--seed <n>', description, SEED_RANGE).default(defaultSeed);
}
