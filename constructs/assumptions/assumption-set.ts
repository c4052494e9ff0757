/**
 * The values one model run reads: every registered assumption for one cloud, at one sensitivity
 * case. Models take an AssumptionSet instead of importing constants, so `low`, `base` and `high`
 * runs differ only in the set they are given.
 */
import type { Cloud } from '../parity';
import type { Assumption, SensitivityCase } from './assumption';
import { ASSUMPTIONS } from './register';

export interface AssumptionSet {
  readonly cloud: Cloud;
  readonly case: SensitivityCase;
  /** The value of `name` for this cloud and case; throws for a name the register does not hold. */
  value(name: string): number;
  /** The registered assumption behind `name`, with `value` at this set's case (for reports). */
  entry(name: string): Assumption;
}

export function assumptionSet(cloud: Cloud, sensitivityCase: SensitivityCase = 'base', register: readonly Assumption[] = ASSUMPTIONS): AssumptionSet {
  const entries = new Map<string, Assumption>();
  for (const assumption of register) {
    if (assumption.cloud !== 'both' && assumption.cloud !== cloud) continue;
    entries.set(assumption.name, { ...assumption, value: valueAt(assumption, sensitivityCase) });
  }
  const entry = (name: string): Assumption => {
    const found = entries.get(name);
    if (found === undefined) throw new Error(`no assumption named '${name}' applies to ${cloud}; known: ${[...entries.keys()].join(', ')}`);
    return found;
  };
  return { cloud, case: sensitivityCase, value: (name) => entry(name).value, entry };
}

/** The register with one value changed: for what-if runs and tests. */
export function withAssumption(register: readonly Assumption[], name: string, cloud: Cloud | 'both', value: number): readonly Assumption[] {
  let found = false;
  const changed = register.map((a) => {
    if (a.name !== name || (cloud !== 'both' && a.cloud !== 'both' && a.cloud !== cloud)) return a;
    found = true;
    return { ...a, value };
  });
  if (!found) throw new Error(`no assumption named '${name}' for ${cloud} in the register`);
  return changed;
}

function valueAt(assumption: Assumption, sensitivityCase: SensitivityCase): number {
  if (sensitivityCase === 'base' || assumption.tag === 'V' || assumption.low === undefined || assumption.high === undefined) return assumption.value;
  const favourable = assumption.favourableEnd === 'higher' ? assumption.high : assumption.low;
  const unfavourable = assumption.favourableEnd === 'higher' ? assumption.low : assumption.high;
  return sensitivityCase === 'low' ? favourable : unfavourable;
}
