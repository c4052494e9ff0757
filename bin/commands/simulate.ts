/**
 * `serving-stacks simulate`: the autoscaling simulator on a topology, both clouds side by side.
 * Also owns the simulation options `cost` and `recommend` share (profile, hours, peak, seed,
 * capacity files, clouds, endpoints).
 */
import type { Command } from 'commander';
import { resolveTopology, type Cloud, type PricingCatalog, type ResolvedTopology, type Topology } from '../../constructs';
import { loadCapacityFiles } from '../../load-tests/simulator/capacity-file';
import type { QueueMethod } from '../../load-tests/simulator/queue-engine';
import { SENSITIVITY_CASES, simulateSensitivity } from '../../load-tests/simulator/sensitivity';
import { DEFAULT_SEED, simulateTopology, type SimulationOptions } from '../../load-tests/simulator/simulate';
import { simulatePipeline } from '../../load-tests/simulator/pipeline-simulation';
import type { PipelineSimulation } from '../../load-tests/simulator/pipeline-simulation-result';
import type { EndpointSimulation, SimulationResult } from '../../load-tests/simulator/simulation-result';
import type { PeakSource } from '../../load-tests/traffic/endpoint-peak';
import { spikeReaction } from '../../load-tests/simulator/spike-reaction';
import { BUILTIN_PROFILES, DEFAULT_SPIKES_PER_WEEK } from '../../load-tests/traffic/builtin-profiles';
import { selectProfile } from '../../load-tests/traffic/select-profile';
import { formatTable } from '../format-table';
import { choiceOption } from '../options/choice';
import { NON_NEGATIVE, numberOption } from '../options/number';
import { addPricesOption, pricingCatalog, type PricesFlag } from '../options/prices';
import { profileHoursOption } from '../options/profile-hours';
import { rateOption } from '../options/rate';
import { seedOption } from '../options/seed';
import { UsageError } from '../options/usage-error';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';

export interface SimulationFlags extends TopologySelection, PricesFlag {
  readonly profile: string;
  readonly hours?: number;
  readonly peakRps?: number;
  readonly spikesPerWeek?: number;
  readonly seed: number;
  readonly capacity?: string[];
  readonly cloud?: Cloud;
  readonly endpoint?: string[];
  readonly method?: QueueMethod | 'auto';
  readonly documentsPerDay?: number;
}

const DEFAULT_PROFILE = 'breaking-news';

/** Adds the options every simulation-driven command takes. */
export function addSimulationOptions(command: Command): Command {
  return addPricesOption(addTopologyOptions(command))
    .option('--profile <profile>', `traffic: ${BUILTIN_PROFILES.join(', ')}, a JSON/CSV file of per-minute rates, or a YAML/JSON stages file (the same profiles as loadtest)`, DEFAULT_PROFILE)
    .addOption(profileHoursOption('hours to simulate (built-in profiles: default 24; a file: its length)'))
    .addOption(rateOption('--peak-rps <rate>', "every endpoint's peak rate in requests/s (default: the topology's traffic.peakRequestsPerSecond per endpoint, else half the capacity of its max replicas)"))
    .addOption(numberOption('--spikes-per-week <n>', `breaking-news: how often its spike comes, for the monthly cost at simulated load (default ${DEFAULT_SPIKES_PER_WEEK})`, NON_NEGATIVE))
    .addOption(seedOption('random seed: the same seed gives the same run', DEFAULT_SEED))
    .option('--capacity <[endpoint=]result.json...>', 'measured service time and capacity per endpoint, from loadtest --out or loadtest --find-capacity --out files')
    .addOption(choiceOption('--cloud <cloud>', 'only this cloud', ['aws', 'gcp'] as const))
    .option('--endpoint <name...>', 'only these endpoints')
    .addOption(choiceOption('--method <method>', 'queue engine: exact per request, fluid per tick, or auto by request count', ['auto', 'exact', 'fluid'] as const).default('auto'));
}

/** `--documents-per-day`: for the commands that simulate the embedding-refresh pipeline (simulate, compare). */
export function documentsPerDayOption() {
  return numberOption('--documents-per-day <n>', "embedding-refresh pipeline: documents enqueued a day, spread over the profile (default: the assumption register's pipeline.documents-per-day)", NON_NEGATIVE);
}

export interface SimulationSetup {
  readonly topology: Topology;
  readonly resolved: ResolvedTopology;
  readonly options: SimulationOptions;
  /** The prices to cost with: the catalog, or the `--prices` file merged over it. */
  readonly catalog: PricingCatalog;
  /** `--documents-per-day`, for the pipeline's day. */
  readonly documentsPerDay?: number;
}

/** Turns the flags into a topology and simulation options, with usage errors naming the flag. */
export function simulationSetup(flags: SimulationFlags): SimulationSetup {
  const topology = selectTopology(flags);
  const resolved = resolveTopology(topology);
  const profile = selectProfile(flags.profile, { hours: flags.hours, spikesPerWeek: flags.spikesPerWeek });
  const capacity = flags.capacity ? loadCapacityFiles(flags.capacity, resolved.endpoints.map((e) => e.name)) : undefined;
  const unknown = flags.endpoint?.filter((n) => !resolved.endpoints.some((e) => e.name === n)) ?? [];
  if (unknown.length > 0) {
    throw new UsageError(`--endpoint: no endpoint ${unknown.join(', ')} in ${resolved.name}; endpoints are ${resolved.endpoints.map((e) => e.name).join(', ')}`);
  }
  return {
    topology,
    resolved,
    catalog: pricingCatalog(flags),
    documentsPerDay: flags.documentsPerDay,
    options: {
      profile,
      seed: flags.seed,
      peakRequestsPerSecond: flags.peakRps,
      capacity,
      method: flags.method,
      clouds: flags.cloud ? [flags.cloud] : undefined,
      endpoints: flags.endpoint,
    },
  };
}

export function registerSimulate(program: Command): void {
  addSimulationOptions(
    program
      .command('simulate')
      .description('simulate each endpoint on each cloud under a traffic profile: autoscaling, latency, drops, SLO minutes, replica-hours'),
  )
    .addOption(documentsPerDayOption())
    .option('--json', 'print the result as JSON (load-tests/SIMULATION-FORMAT.md)')
    .action((flags: SimulationFlags & { json?: boolean }) => {
      const { resolved, options, catalog, documentsPerDay } = simulationSetup(flags);
      const base = simulateTopology(resolved, options);
      const pipeline = simulatePipeline(resolved, { ...options, seed: options.seed ?? DEFAULT_SEED, catalog, documentsPerDay });
      const result: SimulationResult = { ...base, sensitivity: simulateSensitivity(resolved, options, { base }).band, ...(pipeline && { pipeline }) };
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${formatSimulation(result)}\n`);
    });
}

/** The human summary: one table per cloud, and how fast each cloud reacted to the spike. */
export function formatSimulation(result: SimulationResult): string {
  const p = result.profile;
  const out = [
    `Simulated ${result.topology.name}/${result.topology.environment}: ${p.name} (${p.description}), ${p.hours} h, seed ${result.seed}.`,
    PEAK_SOURCE_NOTE[p.peakSource],
    'All numbers are simulated from the autoscaling policies and the service-time model, not measured.',
  ];
  for (const cloud of ['aws', 'gcp'] as const) {
    const c = result.clouds[cloud];
    if (!c) continue;
    const rows = Object.entries(c.endpoints).map(([name, e]) => [
      name,
      e.peakRequestsPerSecond.toFixed(0),
      e.arrivals.toLocaleString('en-US'),
      e.droppedRequests.toLocaleString('en-US'),
      ms(e.p50Ms),
      ms(e.p99Ms),
      `${e.sloViolationMinutes}`,
      e.replicaHours.toFixed(1),
      replicaRange(e),
    ]);
    out.push(
      '',
      `${cloud === 'aws' ? 'AWS SageMaker' : 'GCP Vertex AI'} (${c.region}); refused requests are ${c.rejectedAs}`,
      formatTable(['endpoint', 'peak req/s', 'requests', c.rejectedAs === 'dropped' ? 'dropped' : 'throttled', 'p50 ms', 'p99 ms', 'SLO min', 'replica-h', 'replicas'], rows),
    );
  }
  if (p.spikeStartMinute !== undefined) {
    out.push('', `Reaction to the spike at minute ${p.spikeStartMinute} (seconds after it began):`);
    const rows: string[][] = [];
    for (const cloud of ['aws', 'gcp'] as const) {
      for (const [name, e] of Object.entries(result.clouds[cloud]?.endpoints ?? {})) {
        const reaction = spikeReaction(e, p.spikeStartMinute);
        const ready = reaction?.readyAfterSeconds;
        rows.push([cloud, name, reaction ? `+${reaction.decidedAfterSeconds}` : '-', ready === undefined ? '-' : `+${ready}`, reaction?.reason ?? 'no scale-out']);
      }
    }
    out.push(formatTable(['cloud', 'endpoint', 'first scale-out', 'first ready', 'why'], rows));
  }
  if (result.pipeline) out.push('', ...formatPipelineSimulation(result.pipeline));
  if (result.sensitivity) {
    out.push('', 'Sensitivity: every unverified assumption at the end that favours the cloud (low), as registered (base), at the end that disfavours it (high):');
    const rows: string[][] = [];
    for (const cloud of ['aws', 'gcp'] as const) {
      const band = result.sensitivity[cloud];
      if (!band) continue;
      for (const c of SENSITIVITY_CASES) {
        const f = band[c];
        rows.push([cloud, c, `${(f.refusedShare * 100).toFixed(2)} %`, `${f.sloViolationMinutes}`, f.replicaHours.toFixed(1)]);
      }
    }
    out.push(formatTable(['cloud', 'case', 'refused', 'SLO min', 'replica-h'], rows));
  }
  return out.join('\n');
}

/** The pipeline's day: one row per cloud. */
function formatPipelineSimulation(p: PipelineSimulation): string[] {
  const s = p.settings;
  const seconds = (value: number | null) => (value === null ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(0));
  const rows = (['aws', 'gcp'] as const).flatMap((cloud) => {
    const c = p.clouds[cloud];
    if (!c) return [];
    const cost = c.costPerMillionDocuments;
    return [
      [
        cloud,
        `${c.workers.instances} × ${c.workers.requestsPerInstance} at once, ≤ ${c.workers.messagesPerInvocation} msg each`,
        c.invocations.toLocaleString('en-US'),
        c.documentsPerInvocation.toFixed(2),
        seconds(c.freshnessSeconds.p50),
        seconds(c.freshnessSeconds.p99),
        seconds(c.freshnessSeconds.max),
        `${c.sloViolationMinutes}`,
        `${c.peakBacklog}`,
        cost ? `$${cost.usdPerMillionDocuments.toFixed(2)} ($${cost.lowUsd.toFixed(2)}–${cost.highUsd.toFixed(2)})` : 'no prices',
        c.costForRunUsd ? `$${c.costForRunUsd.usd.toFixed(4)}` : '-',
      ],
    ];
  });
  return [
    `Embedding-refresh pipeline: ${p.documents.toLocaleString('en-US')} documents (${p.documentsPerDaySource} ${p.documentsPerDay.toLocaleString('en-US')}, in the profile's shape), ` +
      `batch ${s.batchSize}, concurrency ${s.concurrency}, ${s.memoryMiB} MiB, ${s.vectorEngine} store; SLO ${p.sloSeconds} s enqueue → searchable.`,
    formatTable(['cloud', 'workers', 'invocations', 'docs/invocation', 'fresh p50 s', 'fresh p99 s', 'fresh max s', 'SLO min', 'peak backlog', '$ per million docs (band)', '$ this run'], rows),
  ];
}

const PEAK_SOURCE_NOTE: Record<PeakSource, string> = {
  'peak-rps': 'Peak rates: --peak-rps, the same for every endpoint.',
  profile: "Peak rates: the profile file's own requests/s.",
  topology: "Peak rates: each endpoint's traffic.peakRequestsPerSecond in the topology.",
  capacity: 'Peak rates: derived from capacity (half of max replicas at their capacity), because neither --peak-rps nor the topology\'s traffic.peakRequestsPerSecond gives them.',
};

function ms(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}

function replicaRange(e: EndpointSimulation): string {
  const counts = e.series.map((s) => s.replicas);
  return `${Math.min(...counts)}–${Math.max(...counts)}`;
}
