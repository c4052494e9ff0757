import { Option, type Command } from 'commander';
import { UsageError } from './usage-error';

/** A value commander read but could not parse: kept until every option is read, so all are reported at once. */
class BadOptionValue {
  constructor(readonly error: UsageError) {}
}

/**
 * A commander option whose value is parsed when commander reads it, so an action receives typed
 * values. `parse` gets the long flag name (`--peak-rps`) to name in its UsageError; bad values are
 * reported together by `rejectBadOptionValues` before the action runs.
 */
export function typedOption<T>(flags: string, description: string, parse: (flag: string, text: string) => T): Option {
  const option = new Option(flags, description);
  const flag = option.long ?? option.short ?? flags;
  return option.argParser((text: string) => {
    try {
      return parse(flag, text);
    } catch (e) {
      if (e instanceof UsageError) return new BadOptionValue(e);
      throw e;
    }
  });
}

/** Throws one UsageError naming every option value of `command` that did not parse, in the order of its help. */
export function rejectBadOptionValues(command: Command): void {
  const values = command.opts();
  const bad = command.options.map((o) => values[o.attributeName()]).filter((v): v is BadOptionValue => v instanceof BadOptionValue);
  if (bad.length === 1) throw bad[0].error;
  if (bad.length > 1) throw new UsageError(`bad options:\n  ${bad.map((b) => b.error.message).join('\n  ')}`);
}
