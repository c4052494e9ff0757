/**
 * The verdict the report opens with, decided from the sensitivity bands so that it never claims
 * more than the unverified assumptions allow.
 *
 * Rules (lower is better on every measure):
 * - A measure's band is the span of a cloud's low, base and high figures. Two clouds' bands are
 *   `tied` when both are one and the same value, won by a cloud whose whole band lies strictly below
 *   the other's, and `overlap` otherwise: then there is no clear winner on that measure.
 * - `cheaperCloud` is the lower `monthlyCostUsd` at base; `costRatio` dearer / cheaper.
 * - `lowerSpikeRiskCloud` is the cloud lower at base on refused share and on SLO minutes, or lower on
 *   one and level on the other; when the two measures disagree there is none.
 * - `clearWinner`: the cheaper cloud wins the cost bands, is the lower-risk cloud, and wins at least
 *   one risk measure's bands while the other is won too or tied.
 * - `costDrivers`: cost categories by the dearer cloud's excess, largest first, the fewest that add up
 *   to COST_DRIVER_SHARE of the difference.
 * - `dependsOn`: the register's unverified assumptions with a range (low != high) that a model looked
 *   up in the low or high run of a cloud whose simulated figures moved between those runs, widest
 *   range (relative to the largest magnitude it spans) first. The runs move every such assumption at
 *   once, so this names what the band rests on; it does not rank each assumption's own effect (that
 *   needs one run per assumption).
 */
import type { Cloud } from '../../constructs';
import type { Assumption, SensitivityCase } from '../../constructs/assumptions';
import type { CostLine } from '../cost/cost-lines';
import type { BandOutcome, CloudSensitivity, CostDriver, SensitivityCaseFigures, Verdict } from './comparison-report';

/** The cost drivers named cover at least this share of the difference between the clouds. */
export const COST_DRIVER_SHARE = 0.8;

const CLOUDS: readonly Cloud[] = ['aws', 'gcp'];
const CASES: readonly SensitivityCase[] = ['low', 'base', 'high'];

export interface VerdictInputs {
  readonly sensitivity: Readonly<Record<Cloud, CloudSensitivity>>;
  readonly costLines: Readonly<Record<Cloud, readonly CostLine[]>>;
  readonly register: readonly Assumption[];
  /** Per cloud, the assumption names the models looked up in the low and high runs. */
  readonly read: Partial<Readonly<Record<Cloud, readonly string[]>>>;
}

export type VerdictDecision = Omit<Verdict, 'summary'>;

export function decideVerdict(inputs: VerdictInputs): VerdictDecision {
  const { sensitivity } = inputs;
  const base = (cloud: Cloud) => sensitivity[cloud].base;
  const costA = base('aws').monthlyCostUsd;
  const costG = base('gcp').monthlyCostUsd;
  const priced = costA !== null && costG !== null;
  const cheaperCloud = priced ? lowerAt(costA, costG) : null;
  const costRatio = priced ? ratio(Math.max(costA, costG), Math.min(costA, costG)) : null;
  const bands = {
    monthlyCostUsd: priced ? compareBands(band(sensitivity.aws, 'monthlyCostUsd'), band(sensitivity.gcp, 'monthlyCostUsd')) : null,
    refusedShare: compareBands(band(sensitivity.aws, 'refusedShare'), band(sensitivity.gcp, 'refusedShare')),
    sloViolationMinutes: compareBands(band(sensitivity.aws, 'sloViolationMinutes'), band(sensitivity.gcp, 'sloViolationMinutes')),
  };
  const byRefused = lowerAt(base('aws').refusedShare, base('gcp').refusedShare);
  const bySlo = lowerAt(base('aws').sloViolationMinutes, base('gcp').sloViolationMinutes);
  const lowerSpikeRiskCloud = byRefused && bySlo && byRefused !== bySlo ? null : (byRefused ?? bySlo);
  const riskBands = [bands.refusedShare, bands.sloViolationMinutes];
  const clearOnRisk = (cloud: Cloud) => riskBands.some((b) => b === cloud) && riskBands.every((b) => b === cloud || b === 'tied');
  const clearWinner = cheaperCloud !== null && bands.monthlyCostUsd === cheaperCloud && lowerSpikeRiskCloud === cheaperCloud && clearOnRisk(cheaperCloud);
  return {
    cheaperCloud,
    costRatio,
    lowerSpikeRiskCloud,
    costDrivers: cheaperCloud ? costDrivers(inputs.costLines, cheaperCloud) : [],
    dependsOn: dependsOn(inputs),
    clearWinner,
    bands,
  };
}

type Band = { readonly low: number; readonly high: number };
type BandMeasure = 'monthlyCostUsd' | 'refusedShare' | 'sloViolationMinutes';

/** A measure's span over the three cases (simulation noise can put base outside low..high, so take the extremes). */
export function band(sensitivity: CloudSensitivity, measure: BandMeasure): Band {
  const values = CASES.map((c) => sensitivity[c][measure]).filter((v): v is number => v !== null);
  return { low: Math.min(...values), high: Math.max(...values) };
}

export function compareBands(aws: Band, gcp: Band): BandOutcome {
  if (aws.low === aws.high && gcp.low === gcp.high && aws.low === gcp.low) return 'tied';
  if (aws.high < gcp.low) return 'aws';
  if (gcp.high < aws.low) return 'gcp';
  return 'overlap';
}

function lowerAt(aws: number, gcp: number): Cloud | null {
  return aws < gcp ? 'aws' : gcp < aws ? 'gcp' : null;
}

function ratio(dearer: number, cheaper: number): number | null {
  return cheaper > 0 ? dearer / cheaper : null;
}

function costDrivers(lines: Readonly<Record<Cloud, readonly CostLine[]>>, cheaper: Cloud): CostDriver[] {
  const dearer: Cloud = cheaper === 'aws' ? 'gcp' : 'aws';
  const categories = [...new Set(CLOUDS.flatMap((c) => lines[c].map((l) => l.category)))];
  const monthly = (cloud: Cloud, category: string) => lines[cloud].filter((l) => l.category === category).reduce((s, l) => s + l.monthlyUsd, 0);
  const drivers: CostDriver[] = categories
    .map((category) => ({
      category,
      awsMonthlyUsd: monthly('aws', category),
      gcpMonthlyUsd: monthly('gcp', category),
      differenceUsd: monthly(dearer, category) - monthly(cheaper, category),
      lines: CLOUDS.flatMap((cloud) =>
        lines[cloud]
          .filter((l) => l.category === category && l.monthlyUsd > 0)
          .map((l) => ({ cloud, item: l.item, resource: l.resource, monthlyUsd: l.monthlyUsd, tag: l.price.tag })),
      ),
    }))
    .filter((d) => d.differenceUsd > 0)
    .sort((a, b) => b.differenceUsd - a.differenceUsd);
  const total = monthlyTotal(lines[dearer]) - monthlyTotal(lines[cheaper]);
  const named: CostDriver[] = [];
  let covered = 0;
  for (const d of drivers) {
    if (named.length > 0 && covered >= COST_DRIVER_SHARE * total) break;
    named.push(d);
    covered += d.differenceUsd;
  }
  return named;
}

function monthlyTotal(lines: readonly CostLine[]): number {
  return lines.reduce((s, l) => s + l.monthlyUsd, 0);
}

function dependsOn({ sensitivity, register, read }: VerdictInputs): string[] {
  const moved = (cloud: Cloud) => {
    const { low, high } = sensitivity[cloud];
    return (['refusedShare', 'sloViolationMinutes', 'replicaHours'] as const).some((m) => !sameFigure(low, high, m));
  };
  const clouds = CLOUDS.filter(moved);
  const readBy = (a: Assumption, cloud: Cloud) => (a.cloud === 'both' || a.cloud === cloud) && (read[cloud] ?? []).includes(a.name);
  // Range width over the largest magnitude it spans: scale-free, and a 0/1 switch counts as 100 %.
  const width = (a: Assumption) => ((a.high ?? a.value) - (a.low ?? a.value)) / Math.max(Math.abs(a.low ?? 0), Math.abs(a.high ?? 0), Math.abs(a.value), Number.EPSILON);
  const names = register
    .filter((a) => a.tag !== 'V' && a.low !== undefined && a.high !== undefined && a.low !== a.high)
    .filter((a) => clouds.some((c) => readBy(a, c)))
    .sort((a, b) => width(b) - width(a) || a.name.localeCompare(b.name))
    .map((a) => a.name);
  return [...new Set(names)];
}

function sameFigure(a: SensitivityCaseFigures, b: SensitivityCaseFigures, measure: 'refusedShare' | 'sloViolationMinutes' | 'replicaHours'): boolean {
  return a[measure] === b[measure];
}
