/**
 * The embedding-refresh pipeline's day on each cloud, on a virtual clock: the register's documents
 * per day arrive in the traffic profile's shape (pipeline-arrivals.ts), and the topology's workers
 * handle them (pipeline-queue.ts) as each cloud runs them:
 * - AWS: `concurrency` Lambda invocations at once, each taking up to `batchSize` messages and
 *   embedding them in one request;
 * - GCP: `concurrency` Cloud Functions instances, each serving `batchSize` push requests at once,
 *   one message and one text a request (the parity note on batchSize).
 * A handling embeds (the embedder's service-time model, sampled per handling), writes, and waits
 * until the write is searchable (the worker acknowledges only then). Cold starts, retries and the
 * embedder's own queueing are left out. Both clouds see the same arrivals and the same random
 * service times (common random numbers). Deterministic for a seed.
 */
import { assumptionSet, type AssumptionSet, type Cloud, type ResolvedTopology } from '../../constructs';
import { ASSUMPTIONS, assumptionRecord, type Assumption, type AssumptionRecord, type SensitivityCase } from '../../constructs/assumptions';
import { awsPriceList, gcpPriceList, PRICING_CATALOG, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import { pipelineCostPerMillion } from '../cost/pipeline-cost';
import { hashSeed, Random } from '../replica/random';
import { replicaModelFor } from '../replica/replica-model';
import { sampleServiceMs } from '../replica/service-time';
import { scheduleDurationSeconds, type RateSchedule } from '../traffic/traffic-schedule';
import type { CapacityMeasurement } from './capacity-file';
import { documentArrivals } from './pipeline-arrivals';
import { runPipelineQueue, type PipelineWorkers } from './pipeline-queue';
import type { CloudPipelineSimulation, PipelineMinute, PipelineSimulation } from './pipeline-simulation-result';

export const PIPELINE_ASSUMPTIONS = {
  documentsPerDay: 'pipeline.documents-per-day',
  extraTextShare: 'pipeline.embed-extra-text-share',
  writeSeconds: 'pipeline.write-request-seconds',
  searchableDelaySeconds: 'pipeline.searchable-delay-seconds',
} as const;

export interface PipelineSimulationOptions {
  readonly profile: RateSchedule;
  readonly seed: number;
  readonly clouds?: readonly Cloud[];
  /** Each cloud's assumptions; a cloud not given uses its base set. */
  readonly assumptions?: Partial<Readonly<Record<Cloud, AssumptionSet>>>;
  /** Measured capacity by endpoint name (`--capacity`): the embedder's measured service time. */
  readonly capacity?: Readonly<Record<string, CapacityMeasurement>>;
  /** Prices for the cost per million documents. @default PRICING_CATALOG */
  readonly catalog?: PricingCatalog;
  /** Documents a day (`--documents-per-day`). @default - the register's pipeline.documents-per-day */
  readonly documentsPerDay?: number;
}

/** The pipeline's simulated day, or undefined when the topology has no pipeline. */
export function simulatePipeline(topology: ResolvedTopology, options: PipelineSimulationOptions): PipelineSimulation | undefined {
  const pipeline = topology.pipelines.embeddingRefresh;
  if (!pipeline) return undefined;
  const clouds = options.clouds ?? (['aws', 'gcp'] as const);
  const setFor = (cloud: Cloud) => options.assumptions?.[cloud] ?? assumptionSet(cloud);
  // The day's volume is one `both` assumption: the clouds share the arrivals.
  const documentsPerDay = options.documentsPerDay ?? setFor(clouds[0]).value(PIPELINE_ASSUMPTIONS.documentsPerDay);
  if (!(documentsPerDay >= 0) || !Number.isFinite(documentsPerDay)) throw new RangeError(`documents per day: must be a number >= 0, got ${documentsPerDay}`);
  const hours = scheduleDurationSeconds(options.profile) / 3600;
  const arrivals = documentArrivals(options.profile, (documentsPerDay * hours) / 24, new Random(hashSeed(options.seed, 'pipeline', 'arrivals')));
  const result: { aws?: CloudPipelineSimulation; gcp?: CloudPipelineSimulation } = {};
  const read = new Map<string, AssumptionRecord>();
  for (const cloud of clouds) {
    const assumptions = setFor(cloud);
    for (const name of Object.values(PIPELINE_ASSUMPTIONS)) {
      if (name === PIPELINE_ASSUMPTIONS.documentsPerDay && options.documentsPerDay !== undefined) continue;
      if (name === PIPELINE_ASSUMPTIONS.searchableDelaySeconds && pipeline.vectorEngine === 'pgvector') continue;
      const record = assumptionRecord(assumptions.entry(name));
      read.set(`${record.name}@${record.cloud}`, record);
    }
    result[cloud] = simulateCloud(topology, cloud, arrivals, assumptions, options);
  }
  return {
    pipeline: 'embeddingRefresh',
    documentsPerDay,
    documentsPerDaySource: options.documentsPerDay === undefined ? PIPELINE_ASSUMPTIONS.documentsPerDay : '--documents-per-day',
    documents: arrivals.length,
    sloSeconds: pipeline.maxLatencySeconds,
    settings: { batchSize: pipeline.batchSize, concurrency: pipeline.concurrency, memoryMiB: pipeline.memoryMiB, vectorEngine: pipeline.vectorEngine },
    clouds: result,
    assumptions: [...read.values()],
  };
}

/**
 * The day at each sensitivity case: every unverified assumption at the end of its range that
 * favours the cloud (`low`), as registered (`base`), at the end that disfavours it (`high`).
 * `options.assumptions` is ignored: each case builds its own sets from `register`. Every case carries
 * the same documents (`options.documentsPerDay`, else the register's base value).
 */
export function simulatePipelineCases(
  topology: ResolvedTopology,
  options: PipelineSimulationOptions,
  register: readonly Assumption[] = ASSUMPTIONS,
): Readonly<Record<SensitivityCase, PipelineSimulation>> | undefined {
  if (!topology.pipelines.embeddingRefresh) return undefined;
  // The day's volume is the workload, held like the endpoints' traffic: the cases move how the clouds handle it.
  const documentsPerDay = options.documentsPerDay ?? assumptionSet('aws', 'base', register).value(PIPELINE_ASSUMPTIONS.documentsPerDay);
  const at = (c: SensitivityCase) =>
    simulatePipeline(topology, { ...options, ...(c !== 'base' && { documentsPerDay }), assumptions: { aws: assumptionSet('aws', c, register), gcp: assumptionSet('gcp', c, register) } })!;
  return { low: at('low'), base: at('base'), high: at('high') };
}

function simulateCloud(topology: ResolvedTopology, cloud: Cloud, arrivals: Float64Array, assumptions: AssumptionSet, options: PipelineSimulationOptions): CloudPipelineSimulation {
  const pipeline = topology.pipelines.embeddingRefresh!;
  const embedder = topology.endpoints.find((e) => e.name === pipeline.embedder);
  if (!embedder) throw new Error(`pipelines.embeddingRefresh.embedder: no endpoint named "${pipeline.embedder}" in ${topology.name}`);
  const serviceTime = replicaModelFor(embedder, embedder.variants[0], cloud, { assumptions, measured: options.capacity?.[embedder.name] }).serviceTime;
  const extraTextShare = assumptions.value(PIPELINE_ASSUMPTIONS.extraTextShare);
  const writeSeconds = assumptions.value(PIPELINE_ASSUMPTIONS.writeSeconds);
  // pgvector: a committed row is visible to the next query; the managed stores refresh after the write.
  const searchableSeconds = pipeline.vectorEngine === 'pgvector' ? 0 : assumptions.value(PIPELINE_ASSUMPTIONS.searchableDelaySeconds);
  const embedSeconds = (medianOrSampleMs: number, texts: number) => (medianOrSampleMs * (1 + (texts - 1) * extraTextShare)) / 1000;
  const random = new Random(hashSeed(options.seed, 'pipeline', 'service-time'));
  const messagesPerInvocation = cloud === 'aws' ? pipeline.batchSize : 1;
  const workers: PipelineWorkers = {
    instances: pipeline.concurrency,
    slotsPerInstance: cloud === 'aws' ? 1 : pipeline.batchSize,
    messagesPerHandling: messagesPerInvocation,
    handlingSeconds: (messages) => embedSeconds(sampleServiceMs(serviceTime, random), messages) + writeSeconds + searchableSeconds,
  };
  const run = runPipelineQueue(arrivals, workers);

  const sloSeconds = pipeline.maxLatencySeconds;
  const freshness = new Float64Array(arrivals.length);
  for (let i = 0; i < arrivals.length; i++) freshness[i] = run.searchableAt[i] - arrivals[i];
  const series = minuteSeries(arrivals, run.searchableAt, freshness, sloSeconds);
  const documents = arrivals.length;
  const documentsPerInvocation = run.handlings === 0 ? 0 : documents / run.handlings;
  const meanInvocationSeconds = run.handlings === 0 ? 0 : run.handlingSeconds / run.handlings;
  const billedComputeSeconds = cloud === 'aws' ? run.handlingSeconds : run.instanceBusySeconds;
  const prices = cloud === 'aws' ? awsPriceList(topology.regions.aws, options.catalog ?? PRICING_CATALOG) : gcpPriceList(topology.regions.gcp, options.catalog ?? PRICING_CATALOG);
  const cost =
    prices && documents > 0
      ? (pipelineCostPerMillion(prices, {
          batchSize: pipeline.batchSize,
          memoryMiB: pipeline.memoryMiB,
          batchSeconds: meanInvocationSeconds,
          observed: cloud === 'aws' ? { documentsPerInvocation } : { instanceSecondsPerDocument: billedComputeSeconds / documents },
        }) ?? null)
      : null;
  const perRun = (usdPerMillion: number) => round((usdPerMillion * documents) / 1_000_000, 6);
  const sorted = Float64Array.from(freshness).sort();
  return {
    cloud,
    region: topology.regions[cloud],
    workers: {
      host: cloud === 'aws' ? 'Lambda with an SQS FIFO event source mapping' : 'Cloud Functions (2nd gen) behind a Pub/Sub push subscription with ordering keys',
      instances: workers.instances,
      requestsPerInstance: workers.slotsPerInstance,
      messagesPerInvocation,
      handlingSeconds: {
        embed: round(embedSeconds(serviceTime.medianMs, messagesPerInvocation), 4),
        write: writeSeconds,
        searchable: searchableSeconds,
        total: round(embedSeconds(serviceTime.medianMs, messagesPerInvocation) + writeSeconds + searchableSeconds, 4),
      },
    },
    freshnessSeconds: { p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), p99: nearestRank(sorted, 99), max: sorted.length === 0 ? null : round(sorted[sorted.length - 1], 3) },
    overSloDocuments: series.reduce((sum, m) => sum + m.overSlo, 0),
    sloViolationMinutes: series.filter((m) => m.overSlo > 0).length,
    peakBacklog: run.peakBacklog,
    peakBacklogMinute: Math.floor(run.peakBacklogAtSeconds / 60),
    invocations: run.handlings,
    documentsPerInvocation: round(documentsPerInvocation, 3),
    meanInvocationSeconds: round(meanInvocationSeconds, 4),
    billedComputeSeconds: round(billedComputeSeconds, 1),
    costPerMillionDocuments: cost,
    costForRunUsd: cost && { usd: perRun(cost.usdPerMillionDocuments), low: perRun(cost.lowUsd), high: perRun(cost.highUsd) },
    series,
  };
}

function minuteSeries(arrivals: Float64Array, searchableAt: Float64Array, freshness: Float64Array, sloSeconds: number): PipelineMinute[] {
  let minutes = 0;
  for (let i = 0; i < arrivals.length; i++) minutes = Math.max(minutes, Math.floor(searchableAt[i] / 60) + 1);
  const series = Array.from({ length: minutes }, (_, minute) => ({ minute, arrivals: 0, searchable: 0, overSlo: 0, maxFreshnessSeconds: null as number | null }));
  for (let i = 0; i < arrivals.length; i++) {
    series[Math.floor(arrivals[i] / 60)].arrivals++;
    const m = series[Math.floor(searchableAt[i] / 60)];
    m.searchable++;
    if (freshness[i] > sloSeconds) m.overSlo++;
    m.maxFreshnessSeconds = Math.max(m.maxFreshnessSeconds ?? 0, round(freshness[i], 3));
  }
  return series;
}

/** Nearest-rank percentile of ascending samples, as `pipeline run` reports them. */
function nearestRank(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 3);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
