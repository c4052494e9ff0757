/** Fractions on the command line: a share of requests in [0, 1] (`--error-rate 0.01`). */
import type { Option } from 'commander';
import { typedOption } from './typed-option';
import { badValue } from './usage-error';

export function parseFraction(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw badValue(flag, text, 'a fraction between 0 and 1 (for example 0.01)');
  }
  return value;
}

export function fractionOption(flags: string, description: string): Option {
  return typedOption(flags, description, parseFraction);
}
