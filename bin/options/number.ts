/** Numbers on the command line: one parser, one message naming the flag, the bad value and the allowed range. */
import type { Option } from 'commander';
import { typedOption } from './typed-option';
import { badValue } from './usage-error';

export interface NumberRange {
  /** Smallest value allowed. */
  readonly min?: number;
  /** Values must be larger than this (an open lower bound). */
  readonly above?: number;
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** What the number counts, for the message: `requests per second`. */
  readonly unit?: string;
}

export const POSITIVE: NumberRange = { above: 0 };
export const NON_NEGATIVE: NumberRange = { min: 0 };

/** `a whole number from 1 to 64`, `a number > 0`: what `range` allows, in words. */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'a whole number' : 'a number';
  const low = range.above !== undefined ? `> ${range.above}` : range.min !== undefined ? `>= ${range.min}` : undefined;
  const bounds =
    range.min !== undefined && range.max !== undefined
      ? ` from ${range.min} to ${range.max}`
      : low && range.max !== undefined
        ? ` ${low} and <= ${range.max}`
        : low
          ? ` ${low}`
          : range.max !== undefined
            ? ` <= ${range.max}`
            : '';
  return `${kind}${bounds}${range.unit ? ` (${range.unit})` : ''}`;
}

export function parseNumber(flag: string, text: string, range: NumberRange): number {
  const n = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(n) &&
    (!range.integer || Number.isInteger(n)) &&
    (range.min === undefined || n >= range.min) &&
    (range.above === undefined || n > range.above) &&
    (range.max === undefined || n <= range.max);
  if (!ok) throw badValue(flag, text, describeRange(range));
  return n;
}

export function numberOption(flags: string, description: string, range: NumberRange): Option {
  return typedOption(flags, description, (flag, text) => parseNumber(flag, text, range));
}
