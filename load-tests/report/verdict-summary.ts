/**
 * The verdict in words: the paragraph report.md and report.html open with. Which cloud costs less
 * and by how much, which rides the spike with less risk, what drives the difference, which
 * assumptions the answer depends on, and, measure by measure, whether the bands overlap.
 */
import type { Cloud } from '../../constructs';
import type { SimulatedProfile } from '../simulator/simulation-result';
import type { BandOutcome, CloudSensitivity } from './comparison-report';
import { band, type VerdictDecision } from './verdict';

const NAME: Readonly<Record<Cloud, string>> = { aws: 'AWS', gcp: 'GCP' };
/** Assumptions named in the paragraph; report.json's verdict.dependsOn has them all. */
const NAMED_ASSUMPTIONS = 3;

export interface VerdictContext {
  readonly sensitivity: Readonly<Record<Cloud, CloudSensitivity>>;
  /** Where the peaks came from: `--peak-rps`, a requests/s profile file, the topology's traffic, or capacity. */
  readonly profile: SimulatedProfile;
  readonly regions: { readonly aws: string; readonly gcp: string };
}

export function verdictSummary(verdict: VerdictDecision, context: VerdictContext): string {
  const { sensitivity, profile } = context;
  const sentences: string[] = [];
  if (profile.peakSource === 'capacity') {
    sentences.push(
      "No traffic was given, so each endpoint's peak was derived from its capacity: pass --peak-rps or set the endpoints' traffic to compare at your own load.",
    );
  }
  sentences.push(costSentence(verdict, context));
  sentences.push(riskSentence(verdict, sensitivity, profile));
  if (verdict.costDrivers.length > 0) {
    const drivers = verdict.costDrivers.map((d) => `${d.category} (${usd(d.awsMonthlyUsd)} on AWS, ${usd(d.gcpMonthlyUsd)} on GCP)`);
    const unverified = verdict.costDrivers.some((d) => d.lines.some((l) => l.tag !== 'V'));
    sentences.push(`The cost difference is mostly ${list(drivers)}${unverified ? ', partly at unverified prices' : ''}.`);
  }
  if (verdict.dependsOn.length > 0) {
    const named = verdict.dependsOn.slice(0, NAMED_ASSUMPTIONS).join(', ');
    const more = verdict.dependsOn.length - NAMED_ASSUMPTIONS;
    sentences.push(
      `The simulated figures move with ${verdict.dependsOn.length} unverified assumption${verdict.dependsOn.length === 1 ? '' : 's'}: ${named}${more > 0 ? ` and ${more} more` : ''} (ranges in the assumptions table).`,
    );
  } else {
    sentences.push('No unverified assumption with a range moves the simulated figures; the cost band is the unverified prices\' ranges.');
  }
  sentences.push(
    verdict.clearWinner && verdict.cheaperCloud
      ? `Clear winner: ${NAME[verdict.cheaperCloud]}, cheaper and lower-risk across both bands.`
      : `No clear winner: ${whyNoClearWinner(verdict).join('; ')}.`,
  );
  return sentences.join(' ');
}

function costSentence(verdict: VerdictDecision, { sensitivity, regions }: VerdictContext): string {
  const cheaper = verdict.cheaperCloud;
  const unpriced = (['aws', 'gcp'] as const).filter((c) => sensitivity[c].base.monthlyCostUsd === null);
  if (unpriced.length > 0) return `Cost cannot be compared: no prices for ${unpriced.map((c) => `${NAME[c]} ${regions[c]}`).join(' or ')}.`;
  const costBand = (c: Cloud) => range(band(sensitivity[c], 'monthlyCostUsd'), usd);
  const bands = `bands ${NAME.aws} ${costBand('aws')}, ${NAME.gcp} ${costBand('gcp')}${overlapClause(verdict.bands.monthlyCostUsd, 'cost')}`;
  if (!cheaper) return `Both clouds cost the same at minimum replicas, ${usd(sensitivity.aws.base.monthlyCostUsd ?? 0)} a month (${bands}).`;
  const dearer: Cloud = cheaper === 'aws' ? 'gcp' : 'aws';
  return (
    `${NAME[cheaper]} costs less: ${usd(sensitivity[cheaper].base.monthlyCostUsd ?? 0)} a month at minimum replicas against ${NAME[dearer]}'s ` +
    `${usd(sensitivity[dearer].base.monthlyCostUsd ?? 0)} (${NAME[dearer]} ${(verdict.costRatio ?? 1).toFixed(2)}× as much; ${bands}).`
  );
}

function riskSentence(verdict: VerdictDecision, sensitivity: Readonly<Record<Cloud, CloudSensitivity>>, profile: SimulatedProfile): string {
  const profileName = profile.name;
  const what = profile.spikeStartMinute === undefined ? 'the traffic' : 'the spike';
  const refused = (c: Cloud) => percent(sensitivity[c].base.refusedShare);
  const minutes = (c: Cloud) => `${sensitivity[c].base.sloViolationMinutes}`;
  const bands =
    `bands: refused ${NAME.aws} ${range(band(sensitivity.aws, 'refusedShare'), percent)}, ${NAME.gcp} ${range(band(sensitivity.gcp, 'refusedShare'), percent)}` +
    `${overlapClause(verdict.bands.refusedShare, 'refused share')}; SLO minutes ${NAME.aws} ${range(band(sensitivity.aws, 'sloViolationMinutes'), String)}, ` +
    `${NAME.gcp} ${range(band(sensitivity.gcp, 'sloViolationMinutes'), String)}${overlapClause(verdict.bands.sloViolationMinutes, 'SLO minutes')}`;
  const lower = verdict.lowerSpikeRiskCloud;
  if (lower) {
    const other: Cloud = lower === 'aws' ? 'gcp' : 'aws';
    return (
      `Under the ${profileName} profile ${NAME[lower]} rides ${what} with less risk: it refuses ${refused(lower)} of requests against ${refused(other)} ` +
      `and breaches its SLO in ${minutes(lower)} minutes against ${minutes(other)} (${bands}).`
    );
  }
  const level = verdict.bands.refusedShare === 'tied' && verdict.bands.sloViolationMinutes === 'tied';
  if (level) {
    return `Under the ${profileName} profile the clouds are level on risk in every case: each refuses ${refused('aws')} of requests and breaches its SLO in ${minutes('aws')} minutes.`;
  }
  return (
    `Under the ${profileName} profile neither cloud is lower-risk on both measures: ${NAME.aws} refuses ${refused('aws')} of requests and breaches its SLO ` +
    `in ${minutes('aws')} minutes, ${NAME.gcp} ${refused('gcp')} and ${minutes('gcp')} (${bands}).`
  );
}

function overlapClause(outcome: BandOutcome | null, measure: string): string {
  return outcome === 'overlap' ? `, which overlap: no clear winner on ${measure}` : '';
}

function whyNoClearWinner(verdict: VerdictDecision): string[] {
  const reasons: string[] = [];
  const overlapping = (
    [
      ['cost', verdict.bands.monthlyCostUsd],
      ['refused share', verdict.bands.refusedShare],
      ['SLO minutes', verdict.bands.sloViolationMinutes],
    ] as const
  )
    .filter(([, outcome]) => outcome === 'overlap')
    .map(([measure]) => measure);
  if (overlapping.length > 0) reasons.push(`the bands overlap on ${list(overlapping)}`);
  if (!verdict.cheaperCloud) reasons.push('neither cloud is cheaper');
  if (!verdict.lowerSpikeRiskCloud) reasons.push('neither cloud is lower-risk on both refused share and SLO minutes');
  else if (verdict.cheaperCloud && verdict.cheaperCloud !== verdict.lowerSpikeRiskCloud) reasons.push('the cheaper cloud is the riskier one');
  return reasons;
}

function range(b: { readonly low: number; readonly high: number }, format: (v: number) => string): string {
  return b.low === b.high ? format(b.low) : `${format(b.low)}–${format(b.high)}`;
}

function usd(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 2)} %`;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
