/** report.json's `scaleToZero`: the cost module's rows filed per day, endpoint and cloud, with the wake-up assumption they rest on. */
import type { Cloud } from '../../constructs';
import { assumptionRecord, type Assumption } from '../../constructs/assumptions';
import type { ScaleToZeroOutcome } from '../cost/scale-to-zero-savings';
import type { ScaleToZeroDay, ScaleToZeroFigures, ScaleToZeroSection } from './comparison-report';
import type { ScaleToZeroDayRun } from './scale-to-zero-days';

export const WAKE_ASSUMPTION = 'scale-to-zero.wake-seconds';

export function scaleToZeroSection(runs: readonly ScaleToZeroDayRun[], register: readonly Assumption[]): ScaleToZeroSection {
  const wake = register.find((a) => a.name === WAKE_ASSUMPTION);
  if (!wake) throw new Error(`the scale-to-zero section needs the assumption ${WAKE_ASSUMPTION}; the register has ${register.map((a) => a.name).join(', ')}`);
  return { wakeAssumption: assumptionRecord(wake), days: runs.map(day) };
}

function day(run: ScaleToZeroDayRun): ScaleToZeroDay {
  const endpoints: Record<string, { aws: ScaleToZeroFigures; gcp: ScaleToZeroFigures }> = {};
  for (const name of new Set(run.outcomes.map((o) => o.endpoint))) {
    endpoints[name] = { aws: figures(run, 'aws', name), gcp: figures(run, 'gcp', name) };
  }
  return { profile: { ...run.profile, seed: run.seed }, endpoints };
}

function figures(run: ScaleToZeroDayRun, cloud: Cloud, endpoint: string): ScaleToZeroFigures {
  const row = run.outcomes.find((o) => o.cloud === cloud && o.endpoint === endpoint);
  // The comparison simulates both clouds, so each endpoint has a row on each.
  if (!row) throw new Error(`scale to zero on the ${run.profile.name} day: no ${cloud} row for ${endpoint}; the comparison needs both clouds`);
  const { cloud: _cloud, endpoint: _endpoint, ...rest }: ScaleToZeroOutcome = row;
  return rest;
}
