/**
 * The report's sections as plain tables, each labelled with where its numbers come from. The
 * Markdown, HTML and terminal renderings all draw from these, so they never disagree.
 */
import { readableParityPath, type Cloud } from '../../constructs';
import type { EvaluatedCandidate } from '../recommend/recommend';
import type { ComparisonReport } from './comparison-report';
import { retrievalCostTable, retrievalCurveTable } from './retrieval-tables';
import { scaleToZeroTable } from './scale-to-zero-table';
import { pipelineCostTable, pipelineFreshnessTable } from './pipeline-tables';

export type NumberSource = 'simulated' | 'measured locally' | 'price list' | 'offline plan' | 'topology';

export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly provenance: NumberSource;
  readonly note?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const CLOUDS: readonly Cloud[] = ['aws', 'gcp'];
const CLOUD_NAME: Record<Cloud, string> = { aws: 'AWS', gcp: 'GCP' };

export const usd = (value: number | null, digits = 2): string =>
  value === null ? 'n/a' : `$${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
const ms = (value: number | null): string => (value === null ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(0));
const count = (value: number): string => value.toLocaleString('en-US');
const percent = (share: number): string => `${(share * 100).toFixed(2)} %`;

/** The headline: what each cloud costs and how it held up, side by side. */
export function summaryTable(report: ComparisonReport): ReportTable {
  const row = (label: string, value: (cloud: Cloud) => string) => [label, ...CLOUDS.map(value)];
  const sim = (cloud: Cloud) => Object.values(report.clouds[cloud].simulation.endpoints);
  const worstP99 = (cloud: Cloud) => Math.max(...sim(cloud).map((e) => e.p99Ms ?? 0));
  return {
    id: 'summary',
    title: 'Summary',
    provenance: 'simulated',
    note: 'Cost at minimum replicas is from the price list; the rest from the simulated profile.',
    header: ['', ...CLOUDS.map((c) => `${CLOUD_NAME[c]} (${report.clouds[c].region})`)],
    rows: [
      row('monthly cost at minimum replicas', (c) => usd(report.clouds[c].monthlyCostUsd)),
      row(`monthly cost at the simulated load`, (c) => usd(report.clouds[c].monthlyCostAtSimulatedLoadUsd)),
      row('cost per million inferences (all-in)', (c) => usd(report.clouds[c].costPerMillionInferencesUsd)),
      row('cost per million inferences (endpoints)', (c) => usd(report.clouds[c].endpointCostPerMillionInferencesUsd)),
      row('SLO-violating minutes (all endpoints)', (c) => count(sim(c).reduce((s, e) => s + e.sloViolationMinutes, 0))),
      row('requests refused', (c) => `${count(sim(c).reduce((s, e) => s + e.droppedRequests, 0))} (${report.clouds[c].simulation.rejectedAs})`),
      row('worst endpoint p99 over the day', (c) => `${ms(worstP99(c))} ms`),
      row('replica-hours', (c) => sim(c).reduce((s, e) => s + e.replicaHours, 0).toFixed(1)),
    ],
  };
}

export function simulationTable(report: ComparisonReport): ReportTable {
  return {
    id: 'simulation',
    title: `Simulation: ${report.profile.name}, ${report.profile.hours} h`,
    provenance: 'simulated',
    note: `${report.profile.description}. Seed ${report.profile.seed}. SageMaker throttles what it has no room for; Vertex drops it.`,
    header: ['cloud', 'endpoint', 'peak req/s', 'requests', 'refused', 'p50 ms', 'p99 ms', 'SLO p99 ms', 'SLO min', 'replica-h'],
    rows: CLOUDS.flatMap((cloud) =>
      Object.entries(report.clouds[cloud].simulation.endpoints).map(([name, e]) => [
        CLOUD_NAME[cloud],
        name,
        e.peakRequestsPerSecond.toFixed(0),
        count(e.arrivals),
        count(e.droppedRequests),
        ms(e.p50Ms),
        ms(e.p99Ms),
        `${e.sloP99Ms}`,
        `${e.sloViolationMinutes}`,
        e.replicaHours.toFixed(1),
      ]),
    ),
  };
}

export function spikeTable(report: ComparisonReport): ReportTable | undefined {
  const start = report.profile.spikeStartMinute;
  if (start === undefined || !report.spike) return undefined;
  const spike = report.spike;
  return {
    id: 'spike',
    title: `The spike at hour ${(start / 60).toFixed(1)}, per cloud and endpoint`,
    provenance: 'simulated',
    note:
      'From the spike\'s start until it has decayed (the profile\'s rate within 10 % of its excess, or no longer falling once past half of it) ' +
      'or the endpoint is back within its SLO, whichever is later. ' +
      'Scale-out decided and new capacity serving: seconds after the start. Goodput: requests answered in minutes whose p99 met the SLO. ' +
      'Recovered: minutes until the endpoint is back within its SLO for good.',
    header: ['cloud', 'endpoint', 'scale-out decided', 'new capacity serving', 'refused', 'goodput', 'peak p99 ms', 'recovered after', 'replica-minutes'],
    rows: CLOUDS.flatMap((cloud) =>
      Object.entries(report.clouds[cloud].simulation.endpoints).map(([name, e]) => {
        const m = spike[cloud][name];
        return [
          CLOUD_NAME[cloud],
          name,
          e.spikeReaction ? `+${e.spikeReaction.decidedAfterSeconds} s` : 'no scale-out',
          e.spikeReaction?.readyAfterSeconds === undefined ? '-' : `+${e.spikeReaction.readyAfterSeconds} s`,
          percent(m.refusedShare),
          percent(m.goodputShare),
          ms(m.peakP99Ms),
          m.minutesToRecover === null ? 'not within the run' : `${m.minutesToRecover} min`,
          count(m.replicaMinutes),
        ];
      }),
    ),
  };
}

/** The band: each cloud at the low, base and high cases. */
export function sensitivityTable(report: ComparisonReport): ReportTable {
  const cases = ['low', 'base', 'high'] as const;
  return {
    id: 'sensitivity',
    title: 'Sensitivity: every unverified assumption and price at the end that favours the cloud (low), as registered (base), at the end that disfavours it (high)',
    provenance: 'simulated',
    note: 'Costs from the price list at the case\'s end of each unverified price\'s range; refused share and SLO minutes from a simulation with the case\'s assumptions.',
    header: ['cloud', 'case', 'monthly cost at minimum replicas', 'monthly cost at the simulated load', 'refused', 'SLO min', 'replica-h'],
    rows: CLOUDS.flatMap((cloud) =>
      cases.map((c) => {
        const f = report.sensitivity[cloud][c];
        return [CLOUD_NAME[cloud], c, usd(f.monthlyCostUsd, 0), usd(f.monthlyCostAtSimulatedLoadUsd, 0), percent(f.refusedShare), `${f.sloViolationMinutes}`, f.replicaHours.toFixed(1)];
      }),
    ),
  };
}

/** The assumption register, so a reader can check what the answer rests on. */
export function assumptionsTable(report: ComparisonReport): ReportTable {
  return {
    id: 'assumptions',
    title: 'Assumptions the models read',
    provenance: 'topology',
    note: 'Unverified ([S] secondary, [U] unverified or derived) values move across their range in the sensitivity cases; [V] values stay put.',
    header: ['name', 'cloud', 'value', 'range', 'source'],
    rows: report.assumptions.map((a) => [
      a.name,
      a.cloud,
      `${a.value} ${a.unit}`,
      a.low === undefined || a.high === undefined ? '-' : `${a.low}–${a.high}`,
      `[${a.tag}] ${a.source}`,
    ]),
  };
}

export function costTable(report: ComparisonReport, cloud: Cloud): ReportTable {
  const c = report.clouds[cloud];
  return {
    id: `cost-${cloud}`,
    title: `${CLOUD_NAME[cloud]} cost (${c.region}): ${usd(c.hourlyCostUsd)} per hour, ${usd(c.monthlyCostUsd)} per month`,
    provenance: 'price list',
    note: c.unpriced.length > 0 ? `Not priced: ${c.unpriced.join('; ')}.` : undefined,
    header: ['category', 'item', 'resource', 'quantity', 'unit price', '$/month', 'source'],
    rows: c.costLines.map((l) => [
      l.category,
      l.item,
      l.resource,
      `${round(l.quantity)} per ${l.quantityPer}`,
      `${l.unitPriceUsd} / ${l.unit}`,
      usd(l.monthlyUsd),
      `[${l.price.tag}] ${l.price.source} (${l.price.checkedOn})`,
    ]),
  };
}

export function recommendationTable(report: ComparisonReport): ReportTable {
  // A candidate's cost is its billed replica time over the simulated profile, not a month.
  const describe = (c: EvaluatedCandidate | null | undefined): string =>
    c ? `${c.instanceType} ${c.min}–${c.max}: ${c.sloViolationMinutes} SLO min, p99 ${ms(c.p99Ms)} ms, ${usd(c.costUsd)} per ${report.profile.hours} h` : 'none holds the SLO';
  return {
    id: 'recommendation',
    title: 'Right-sizing: the cheapest shape and replica bounds that hold the SLO',
    provenance: 'simulated',
    note: 'Each candidate is simulated on the same arrivals; its cost is its billed replica time over the profile at list prices.',
    header: ['cloud', 'endpoint', 'as written', 'recommended'],
    rows: CLOUDS.flatMap((cloud) =>
      Object.entries(report.clouds[cloud].recommendation).map(([name, r]) => [
        CLOUD_NAME[cloud],
        name,
        describe(r.current),
        r.recommended ? describe(r.recommended) : `none; closest ${describe(r.closest)}`,
      ]),
    ),
  };
}

export function planTable(report: ComparisonReport): ReportTable {
  const byKind = (cloud: Cloud) =>
    Object.entries(report.plan[cloud].byKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} × ${n}`)
      .join(', ');
  return {
    id: 'plan',
    title: 'What each cloud would create',
    provenance: 'offline plan',
    note: 'AWS: the CDK synth of the serving stack. GCP: the Pulumi program under mocks. Nothing was deployed.',
    header: ['cloud', 'resources', 'by kind'],
    rows: CLOUDS.map((cloud) => [CLOUD_NAME[cloud], `${report.plan[cloud].resources}`, byKind(cloud)]),
  };
}

/** Round-up warnings, first: a cloud running 8 GPUs where 1 was asked outweighs every other figure. */
export function warningsTable(report: ComparisonReport): ReportTable | undefined {
  if (report.warnings.length === 0) return undefined;
  return {
    id: 'warnings',
    title: 'Warnings',
    provenance: 'price list',
    note: 'The topology is valid and deploys as shown; `serving-stacks validate` prints the same lines.',
    header: ['field', 'warning'],
    rows: report.warnings.map((w) => [w.path, w.message]),
  };
}

export function parityTable(report: ComparisonReport): ReportTable {
  return {
    id: 'parity',
    title: 'Where the clouds differ for this topology',
    provenance: 'topology',
    note: report.parity.length === 0 ? 'Both clouds realise this topology as written.' : undefined,
    header: ['setting', 'cloud', 'deployed as', 'why'],
    // report.json keeps the spec path; readers get the endpoint's name.
    rows: report.parity.map((n) => [readableParityPath(n), n.cloud, n.realisedAs, n.reason]),
  };
}

export function liveTable(report: ComparisonReport): ReportTable | undefined {
  const live = report.liveLoadTest;
  if (!live) return undefined;
  return {
    id: 'live',
    title: `Live load test: ${live.durationSeconds} s per endpoint and client against ${live.emulatorUrl}`,
    provenance: 'measured locally',
    note: 'The local endpoints model each replica\'s service time; these figures check the real clients and the protocols end to end, not cloud latency.',
    header: ['client', 'endpoint', 'requested/s', 'achieved/s', 'ok', 'errors', 'p50 ms', 'p99 ms', 'max ms', 'valid'],
    rows: live.runs.map((r) => [
      r.client,
      r.endpoint,
      r.requestedRate.toFixed(0),
      r.achievedRate.toFixed(1),
      count(r.counts.ok),
      count(r.counts.throttled + r.counts.modelError + r.counts.other4xx + r.counts.server5xx + r.counts.timeout + r.counts.client),
      ms(r.latencyMs.corrected.p50),
      ms(r.latencyMs.corrected.p99),
      ms(r.latencyMs.corrected.max),
      r.valid ? 'yes' : `no: ${r.invalidReasons.join('; ')}`,
    ]),
  };
}

/** Every table, in reading order. */
export function reportTables(report: ComparisonReport): ReportTable[] {
  return [
    warningsTable(report),
    summaryTable(report),
    parityTable(report),
    planTable(report),
    costTable(report, 'aws'),
    costTable(report, 'gcp'),
    simulationTable(report),
    spikeTable(report),
    scaleToZeroTable(report),
    sensitivityTable(report),
    assumptionsTable(report),
    recommendationTable(report),
    retrievalCurveTable(report),
    retrievalCostTable(report),
    pipelineCostTable(report),
    pipelineFreshnessTable(report),
    liveTable(report),
  ].filter((t): t is ReportTable => t !== undefined);
}

function round(value: number): string {
  return Number.isInteger(value) ? `${value}` : value.toPrecision(3);
}
