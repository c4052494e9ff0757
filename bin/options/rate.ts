/** Rates on the command line: a number of events per second > 0 (`--peak-rps 200`, `--queue-rate 5`). */
import type { Option } from 'commander';
import { numberOption, parseNumber } from './number';

export function parseRate(flag: string, text: string, unit = 'requests per second'): number {
  return parseNumber(flag, text, { above: 0, unit });
}

export function rateOption(flags: string, description: string, unit = 'requests per second'): Option {
  return numberOption(flags, description, { above: 0, unit });
}
