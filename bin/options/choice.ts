/** Options with a fixed set of values; a bad one is named with every value allowed. */
import type { Option } from 'commander';
import { typedOption } from './typed-option';
import { badValue } from './usage-error';

export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw badValue(flag, text, `one of ${choices.join(', ')}`);
  return text as T;
}

export function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[]): Option {
  return typedOption(flags, description, (flag, text) => parseChoice(flag, text, choices));
}
