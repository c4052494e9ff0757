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
}

export function assumptionSet(cloud: Cloud, sensitivityCase: SensitivityCase = 'base', register: readonly Assumption[] = ASSUMPTIONS): AssumptionSet {
  const values = new Map<string, number>();
  for (const assumption of register) {
    if (assumption.cloud !== 'both' && assumption.cloud !== cloud) continue;
    values.set(assumption.name, valueAt(assumption, sensitivityCase));
  }
  return {
    cloud,
    case: sensitivityCase,
    value(name) {
      const value = values.get(name);
      if (value === undefined) throw new Error(`no assumption named '${name}' applies to ${cloud}`);
      return value;
    },
  };
}

function valueAt(assumption: Assumption, sensitivityCase: SensitivityCase): number {
  if (sensitivityCase === 'base' || assumption.tag === 'V' || assumption.low === undefined || assumption.high === undefined) return assumption.value;
  const favourable = assumption.favourableEnd === 'higher' ? assumption.high : assumption.low;
  const unfavourable = assumption.favourableEnd === 'higher' ? assumption.low : assumption.high;
  return sensitivityCase === 'low' ? favourable : unfavourable;
}
