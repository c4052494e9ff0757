/**
 * `serving-stacks cost`: the topology's bill on each cloud, line by line, per hour and per month
 * from the dated pricing catalog, and the cost per million inferences at a simulated load.
 */
import type { Command } from 'commander';
import type { ResolvedTopology } from '../../constructs';
import { CATALOG_COMPILED_ON } from '../../constructs/catalog/pricing-catalog';
import type { CostBasis } from '../../load-tests/cost/cost-basis';
import { describeAssumptions, type CostAssumptions } from '../../load-tests/cost/cost-assumptions';
import type { CloudCost } from '../../load-tests/cost/cost-lines';
import { compareScaleToZero, type ScaleToZeroOutcome } from '../../load-tests/cost/scale-to-zero-savings';
import { costOfSimulation, type SimulatedCost } from '../../load-tests/cost/simulated-cost';
import { priceTopology, type TopologyCost } from '../../load-tests/cost/topology-cost';
import { simulateBaseline, simulateTopology } from '../../load-tests/simulator/simulate';
import { SIMULATION_FORMAT_VERSION, type SimulationResult } from '../../load-tests/simulator/simulation-result';
import { formatTable } from '../format-table';
import { readJsonFile } from '../options/json-file';
import { numberOption, POSITIVE } from '../options/number';
import { rateOption } from '../options/rate';
import { UsageError } from '../options/usage-error';
import { addSimulationOptions, simulationSetup, type SimulationFlags } from './simulate';

interface CostFlags extends SimulationFlags {
  readonly json?: boolean;
  readonly simulation?: string;
  readonly queueRate?: number;
  readonly messageBytes?: number;
  readonly cacheRate?: number;
}

export interface CostReport {
  readonly prices: TopologyCost;
  /** The simulated day the per-inference cost comes from. */
  readonly simulation: { readonly profile: SimulationResult['profile']; readonly seed: number; readonly cost: SimulatedCost };
  /** Endpoints at scaling.min 0: the same day with and without scale to zero, per cloud (absent when none, or for a saved simulation). */
  readonly scaleToZero?: readonly ScaleToZeroOutcome[];
}

export function registerCost(program: Command): void {
  addSimulationOptions(
    program
      .command('cost')
      .description('price the topology on each cloud, line by line, per hour and per month, and per million inferences at a simulated load'),
  )
    .option('--simulation <result.json>', 'a saved `simulate --json` result to price instead of simulating')
    .addOption(rateOption('--queue-rate <messages/s>', 'messages per second through each queue (assumption)', 'messages per second'))
    .addOption(numberOption('--message-bytes <bytes>', 'bytes per queue message (assumption)', { ...POSITIVE, unit: 'bytes' }))
    .addOption(rateOption('--cache-rate <requests/s>', 'feature-cache requests per second (assumption)'))
    .option('--json', 'print { prices, simulation } as JSON')
    .action((flags: CostFlags) => {
      const { resolved, options, catalog } = simulationSetup(flags);
      const assumptions: Partial<CostAssumptions> = {
        ...(flags.queueRate !== undefined && { queueMessagesPerSecond: flags.queueRate }),
        ...(flags.messageBytes !== undefined && { messageBytes: flags.messageBytes }),
        ...(flags.cacheRate !== undefined && { cacheRequestsPerSecond: flags.cacheRate }),
      };
      const prices = priceTopology(resolved, { assumptions, catalog });
      const simulation = flags.simulation ? readSimulation(flags.simulation, resolved) : simulateTopology(resolved, options);
      // A saved simulation comes without its baseline day: its month is the run repeated.
      const baseline = flags.simulation ? undefined : simulateBaseline(resolved, options);
      const cost = costOfSimulation(resolved, simulation, { assumptions, catalog, capacity: flags.simulation ? undefined : options.capacity, baseline });
      const scaleToZero = flags.simulation ? undefined : compareScaleToZero(resolved, simulation, (t, sim) => costOfSimulation(t, sim, { assumptions, catalog, capacity: options.capacity }), options);
      const report: CostReport = { prices, simulation: { profile: simulation.profile, seed: simulation.seed, cost }, ...(scaleToZero && { scaleToZero }) };
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCost(report)}\n`);
    });
}

/** A saved simulation, checked against the topology it is meant to price. */
function readSimulation(path: string, topology: ResolvedTopology): SimulationResult {
  const result = readJsonFile(`--simulation ${path}`, path) as SimulationResult;
  if (result?.formatVersion !== SIMULATION_FORMAT_VERSION || !result.clouds || !result.profile) {
    throw new UsageError(`--simulation ${path}: not a simulate --json result (formatVersion ${SIMULATION_FORMAT_VERSION})`);
  }
  if (result.topology?.name !== topology.name || result.topology.environment !== topology.environment) {
    throw new UsageError(
      `--simulation ${path}: simulates ${result.topology?.name}/${result.topology?.environment}, not ${topology.name}/${topology.environment}`,
    );
  }
  return result;
}

export function formatCost(report: CostReport): string {
  const { prices } = report;
  const out = [
    `Cost of ${prices.topology.name}/${prices.topology.environment}: on-demand list prices from the catalog compiled on ${CATALOG_COMPILED_ON} (constructs/catalog/pricing-catalog.ts).`,
    'Tags: [V] vendor page, [S] secondary source, [U] unverified or derived: re-check [S] and [U] prices before quoting them; the range is what the unverified prices and sizing rules allow.',
    `Endpoints at their minimum replicas; usage assumptions: ${describeAssumptions(prices.assumptions)}.`,
  ];
  for (const cloud of ['aws', 'gcp'] as const) out.push('', formatCloud(prices.clouds[cloud]));
  const sim = report.simulation;
  out.push(
    '',
    `At the simulated load (${sim.profile.name}, ${sim.profile.hours} h, seed ${sim.seed}; replica time from the simulator, billed per second on AWS and in 30-s increments on GCP):`,
  );
  const rows = (['aws', 'gcp'] as const).flatMap((cloud) => {
    const c = sim.cost.clouds[cloud];
    if (!c) return [];
    return [
      [
        cloud,
        c.servedRequests.toLocaleString('en-US'),
        usd(c.endpointsUsd),
        usd(c.otherUsd),
        usd(c.totalUsd),
        usd(c.costPerMillionInferencesUsd),
        usd(c.endpointCostPerMillionInferencesUsd),
        usd(c.monthlyUsdAtSimulatedLoad),
      ],
    ];
  });
  out.push(formatTable(['cloud', 'inferences', 'endpoints $', 'other $', 'total $', '$/M inferences', 'endpoints $/M', '$/month at this load'], rows));
  const basis = sim.cost.clouds.aws?.monthlyBasis ?? sim.cost.clouds.gcp?.monthlyBasis;
  if (basis) out.push(`A month at this load: ${basis}.`);
  const files = sim.cost.capacityFiles;
  out.push(
    files.length > 0
      ? `Measured capacity: ${files.map((f) => `${f.endpoint} from ${f.file}`).join('; ')}.`
      : 'Measured capacity: none given (--capacity); the topology\'s service times and capacities were simulated.',
  );
  if (report.scaleToZero && report.scaleToZero.length > 0) out.push('', ...formatScaleToZero(report.scaleToZero, sim.profile));
  const unpriced = (['aws', 'gcp'] as const).flatMap((c) => [...prices.clouds[c].unpriced, ...(sim.cost.clouds[c]?.unpriced ?? [])].map((u) => `${c}: ${u}`));
  if (unpriced.length > 0) out.push('', `Not priced: ${unpriced.join('; ')}`);
  return out.join('\n');
}

/** Cost saved against requests lost and time to first success, each cloud side by side. */
function formatScaleToZero(rows: readonly ScaleToZeroOutcome[], profile: SimulationResult['profile']): string[] {
  const minutes = (s: number | null) => (s === null ? '-' : `${round(s / 60)} min`);
  return [
    `Scale to zero (${profile.name}, ${profile.hours} h): endpoint cost with scaling.min 0 and with one replica kept instead; requests refused at zero (SageMaker ValidationError "no capacity", Vertex 429) and the wait from the first of them to a replica serving (assumption scale-to-zero.wake-seconds):`,
    formatTable(
      ['cloud', 'endpoint', 'with $', 'without $', 'saved $', 'requests lost', 'wakes', 'time to first success', 'minutes at zero'],
      rows.map((r) => [r.cloud, r.endpoint, usd(r.withUsd), usd(r.withoutUsd), usd(r.savedUsd), r.requestsLost.toLocaleString('en-US'), String(r.wakes), minutes(r.longestTimeToFirstSuccessSeconds), String(r.minutesAtZero)]),
    ),
  ];
}

function formatCloud(c: CloudCost): string {
  const name = c.cloud === 'aws' ? 'AWS' : 'GCP';
  if (!c.available) return `${name} (${c.region}): cost unavailable: ${c.unpriced.join('; ')}`;
  const rows = c.lines.map((l) => [
    l.category,
    l.item,
    l.resource,
    l.quantityPer === 'once' ? `${round(l.quantity)} once` : `${round(l.quantity)} per ${l.quantityPer}`,
    `${l.unitPriceUsd} / ${l.unit}`,
    usd(l.hourlyUsd),
    l.quantityPer === 'once' ? `${usd(l.oneOffUsd)} once` : usd(l.monthlyUsd),
    `[${l.price.tag}] ${l.price.source} (${l.price.checkedOn})`,
  ]);
  const oneOff = c.oneOffUsd ? `, plus ${usd(c.oneOffUsd)} once` : '';
  const range = c.monthlyRangeUsd ? ` (range ${usd(c.monthlyRangeUsd.low)}–${usd(c.monthlyRangeUsd.high)})` : '';
  return [
    `${name} (${c.region}): ${usd(c.hourlyUsd)} per hour, ${usd(c.monthlyUsd)} per month${range}${oneOff}`,
    ...describeBasis(c.basis).map((line) => `  ${line}`),
    formatTable(['category', 'item', 'resource', 'quantity', 'unit price $', '$/hour', '$/month', 'price source'], rows),
  ].join('\n');
}

/** The total's basis in words: where the prices come from, how the cache and vector store were sized, what is charged once. */
export function describeBasis(basis: CostBasis): string[] {
  const p = basis.priceList;
  const lines = [`prices: ${p.from} for ${p.region}${p.priceFile ? ` (price file ${p.priceFile})` : ''}; ${basis.endpoints}`];
  const cache = basis.cache;
  if (cache) {
    lines.push(
      cache.nodeType
        ? `feature cache: ${cache.memoryGiB} GiB of data → ${cache.shards} × ${cache.nodeType} shards of ${cache.usableGiBPerNode} GiB usable, ${cache.nodes} node${cache.nodes === 1 ? '' : 's'} with replicas`
        : `feature cache: ${cache.memoryGiB} GiB of data, ${round(cache.billedGB ?? 0)} GB billed (serverless)`,
    );
  }
  const v = basis.vectorStore;
  if (v && 'searchOcus' in v) {
    lines.push(
      `vector store: ${v.vectors.toLocaleString('en-US')} vectors × ${v.dimensions} dims, HNSW m ${v.hnswM} → graph ${v.graphGiB.toFixed(1)} GiB per copy → ` +
        `${v.indexingOcus} indexing + ${v.searchOcus} search OCUs (search ${v.searchOcusRange.low}–${v.searchOcusRange.high} by the graph-memory share)${v.standbyReplicas ? ', standby replicas' : ''}`,
    );
  } else if (v && 'indexGiB' in v) {
    lines.push(
      `vector store: ${v.vectors.toLocaleString('en-US')} vectors × ${v.dimensions} dims → ${v.indexGiB.toFixed(1)} GiB index → ${v.shards} × ${v.shardSize} on ${v.machineType} × ${v.replicas} replicas`,
    );
  } else if (v) {
    const size = v.capacity.unit === 'ACU' ? `${v.capacity.min}–${v.capacity.max} ACU` : `${v.capacity.count} vCPUs`;
    lines.push(
      `vector store: ${v.engine}, ${v.vectors.toLocaleString('en-US')} vectors × ${v.dimensions} dims → ${v.memoryGiB} GiB writer memory → ${v.instances} × ${size}`,
    );
  }
  for (const charge of basis.oneOffCharges) lines.push(`once: ${charge.item} ${usd(charge.usd)} (${charge.basis})`);
  return lines;
}

function usd(value: number | null): string {
  return value === null ? 'n/a' : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}
