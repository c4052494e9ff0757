/**
 * Assembles the comparison report from the parts each stage produced. Pure: the caller runs the
 * plans, the cost model, the simulator, the recommender and the live load test.
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type { Cloud, ResolvedTopology, ShapeWarning } from '../../constructs';
import { assumptionRecord, type SensitivityCase } from '../../constructs/assumptions';
import { CATALOG_COMPILED_ON } from '../../constructs/catalog/pricing-catalog';
import type { SimulatedCost } from '../cost/simulated-cost';
import type { TopologyCost } from '../cost/topology-cost';
import type { Recommendation } from '../recommend/recommend';
import type { EndpointSimulation, SimulationResult } from '../simulator/simulation-result';
import { caseFigures } from '../simulator/sensitivity';
import type { SimulationOptions } from '../simulator/simulate';
import { spikeEndMinute, spikeMetrics, type SpikeMetrics } from '../simulator/spike-metrics';
import { ratesPerMinute } from '../traffic/traffic-schedule';
import { spikeReaction } from '../simulator/spike-reaction';
import type { ComparisonSensitivity } from './comparison-sensitivity';
import {
  REPORT_FORMAT_VERSION,
  type CloudComparison,
  type CloudSensitivity,
  type ComparisonReport,
  type EndpointRecommendationSummary,
  type EndpointSimulationSummary,
  type LiveLoadTest,
  type PlanSummary,
  type RetrievalSweep,
} from './comparison-report';
import { retrievalSection } from './retrieval-section';
import { scaleToZeroSection } from './scale-to-zero-section';
import { pipelineSection } from './pipeline-section';
import type { PipelineSimulation } from '../simulator/pipeline-simulation-result';
import type { ScaleToZeroDayRun } from './scale-to-zero-days';
import { decideVerdict } from './verdict';
import { verdictSummary } from './verdict-summary';

export interface ComparisonInputs {
  readonly resolved: ResolvedTopology;
  /** `preset <env>` or the topology file's path. */
  readonly source: string;
  /** `shapeWarnings` of the topology, priced with the same catalog as the cost. */
  readonly warnings: readonly ShapeWarning[];
  readonly plan: { readonly aws: PlanSummary; readonly gcp: PlanSummary };
  readonly cost: TopologyCost;
  readonly simulation: SimulationResult;
  /** The traffic profile simulated: its per-minute rates set where the spike ends. */
  readonly profile: SimulationOptions['profile'];
  readonly simulatedCost: SimulatedCost;
  readonly recommendation: Recommendation;
  /** The low/base/high runs (comparison-sensitivity.ts); its base is `simulation` and `simulatedCost`. */
  readonly sensitivity: ComparisonSensitivity;
  readonly liveLoadTest?: LiveLoadTest;
  /** The index sweep (runRetrievalSweep); the report adds each cloud's cost per million queries. */
  readonly retrieval?: RetrievalSweep;
  /** The scale-to-zero days (runScaleToZeroDays); absent when no endpoint is at min 0. */
  readonly scaleToZero?: readonly ScaleToZeroDayRun[];
  /** The pipeline's simulated day at each sensitivity case (simulatePipelineCases); absent when the topology has no pipeline. */
  readonly pipeline?: Readonly<Record<SensitivityCase, PipelineSimulation>>;
  readonly generatedAt: Date;
}

/** Percentiles of the latency spectrum chart: the body, then the tail in decades. */
export const SPECTRUM_PERCENTILES = [10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100] as const;

export function buildComparisonReport(inputs: ComparisonInputs): ComparisonReport {
  const { resolved, simulation } = inputs;
  const cloud = (c: Cloud) => cloudComparison(c, inputs);
  const sensitivity = { aws: cloudSensitivity('aws', inputs), gcp: cloudSensitivity('gcp', inputs) };
  const decision = decideVerdict({
    sensitivity,
    costLines: { aws: inputs.cost.clouds.aws.lines, gcp: inputs.cost.clouds.gcp.lines },
    register: inputs.sensitivity.register,
    read: inputs.sensitivity.read,
  });
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    generatedAt: inputs.generatedAt.toISOString(),
    verdict: { ...decision, summary: verdictSummary(decision, { sensitivity, profile: simulation.profile, regions: resolved.regions }) },
    topology: {
      name: resolved.name,
      environment: resolved.environment,
      production: resolved.production,
      source: inputs.source,
      regions: resolved.regions,
    },
    provenance: {
      simulated:
        `Replicas, latency percentiles, dropped or throttled requests, SLO minutes and replica-hours come from a discrete-event ` +
        `simulation of each cloud's documented autoscaling policy under the ${simulation.profile.name} profile (seed ${simulation.seed}); ` +
        `nothing was deployed.`,
      measuredLocally: inputs.liveLoadTest
        ? `The live load test measured the local endpoints (${inputs.liveLoadTest.emulatorUrl}, which speak the SageMaker runtime and ` +
          `Vertex prediction protocols) through the real clients on this machine: it checks the clients and protocols, not the clouds' latency.`
        : 'No live load test was run.',
      priceList:
        `Costs come from the dated pricing catalog (constructs/catalog/pricing-catalog.ts, compiled ${CATALOG_COMPILED_ON})` +
        `${inputs.cost.clouds.aws.basis.priceList.priceFile ? ` with the price file ${inputs.cost.clouds.aws.basis.priceList.priceFile} merged over it` : ''}; ` +
        `each line names its source and tag ([V] vendor page, [S] secondary, [U] unverified or derived). Re-check [S] and [U] before quoting.`,
    },
    warnings: inputs.warnings,
    parity: resolved.parity,
    plan: inputs.plan,
    profile: { ...simulation.profile, seed: simulation.seed },
    clouds: { aws: cloud('aws'), gcp: cloud('gcp') },
    sensitivity,
    ...spikeSection(simulation, inputs.profile),
    assumptions: inputs.sensitivity.register.map(assumptionRecord),
    liveLoadTest: inputs.liveLoadTest,
    ...(inputs.retrieval && { retrieval: retrievalSection(inputs.retrieval, inputs.cost, resolved) }),
    ...(inputs.scaleToZero && { scaleToZero: scaleToZeroSection(inputs.scaleToZero, inputs.sensitivity.register) }),
    ...(inputs.pipeline && { pipeline: pipelineSection(inputs.pipeline, resolved.parity, { name: simulation.profile.name, hours: simulation.profile.hours, seed: simulation.seed }) }),
  };
}

/** Cost at minimum replicas from the price ranges (the range's low end favours the cloud), the rest from each case's run. */
function cloudSensitivity(cloud: Cloud, inputs: ComparisonInputs): CloudSensitivity {
  const cost = inputs.cost.clouds[cloud];
  const at = (c: SensitivityCase) => ({
    monthlyCostUsd: c === 'base' ? cost.monthlyUsd : (cost.monthlyRangeUsd?.[c] ?? null),
    monthlyCostAtSimulatedLoadUsd: inputs.sensitivity.simulatedCost[c].clouds[cloud]?.monthlyUsdAtSimulatedLoad ?? null,
    ...caseFigures(inputs.sensitivity.runs[c].clouds[cloud]),
  });
  return { low: at('low'), base: at('base'), high: at('high') };
}

/** `spike.<cloud>.<endpoint>` from the base run; nothing when the profile has no spike. */
function spikeSection(simulation: SimulationResult, profile: SimulationOptions['profile']): { spike?: ComparisonReport['spike'] } {
  const start = simulation.profile.spikeStartMinute;
  if (start === undefined) return {};
  const span = { startMinute: start, endMinute: spikeEndMinute(ratesPerMinute(profile), start) };
  const of = (cloud: Cloud) => {
    const endpoints: Record<string, SpikeMetrics> = {};
    for (const [name, e] of Object.entries(simulation.clouds[cloud]?.endpoints ?? {})) endpoints[name] = spikeMetrics(e.series, e.slo, span);
    return endpoints;
  };
  return { spike: { aws: of('aws'), gcp: of('gcp') } };
}

function cloudComparison(cloud: Cloud, inputs: ComparisonInputs): CloudComparison {
  const cost = inputs.cost.clouds[cloud];
  const simulated = inputs.simulatedCost.clouds[cloud];
  const simulation = inputs.simulation.clouds[cloud];
  if (!simulated || !simulation) throw new Error(`the comparison needs a simulation of both clouds; ${cloud} is missing`);
  const spikeStart = inputs.simulation.profile.spikeStartMinute;
  const endpoints: Record<string, EndpointSimulationSummary> = {};
  for (const [name, e] of Object.entries(simulation.endpoints)) {
    const reaction = spikeStart === undefined ? undefined : spikeReaction(e, spikeStart);
    endpoints[name] = {
      peakRequestsPerSecond: e.peakRequestsPerSecond,
      arrivals: e.arrivals,
      droppedRequests: e.droppedRequests,
      p50Ms: e.p50Ms,
      p99Ms: e.p99Ms,
      sloP99Ms: e.slo.p99Ms,
      sloViolationMinutes: e.sloViolationMinutes,
      replicaHours: e.replicaHours,
      spikeReaction: reaction && { decidedAfterSeconds: reaction.decidedAfterSeconds, readyAfterSeconds: reaction.readyAfterSeconds },
      series: e.series,
      latencySpectrum: latencySpectrum(e),
    };
  }
  const recommendation: Record<string, EndpointRecommendationSummary> = {};
  for (const [name, r] of Object.entries(inputs.recommendation.clouds[cloud] ?? {})) {
    recommendation[name] = { current: r.current, recommended: r.recommended, closest: r.closest };
  }
  return {
    cloud,
    region: cost.region,
    hourlyCostUsd: cost.hourlyUsd,
    monthlyCostUsd: cost.monthlyUsd,
    oneOffCostUsd: cost.oneOffUsd,
    monthlyCostRangeUsd: cost.monthlyRangeUsd,
    costBasis: { ...cost.basis, capacityFiles: inputs.simulatedCost.capacityFiles },
    costPerMillionInferencesUsd: simulated.costPerMillionInferencesUsd,
    endpointCostPerMillionInferencesUsd: simulated.endpointCostPerMillionInferencesUsd,
    monthlyCostAtSimulatedLoadUsd: simulated.monthlyUsdAtSimulatedLoad,
    costLines: cost.lines,
    unpriced: [...cost.unpriced, ...simulated.unpriced],
    simulation: { rejectedAs: simulation.rejectedAs, endpoints },
    recommendation,
  };
}

function latencySpectrum(e: EndpointSimulation): { percentile: number; ms: number }[] {
  if (e.servedRequests === 0) return [];
  // 64-bit buckets: the default 32-bit decode would truncate a day's counts.
  const h = decodeFromCompressedBase64(e.latencyHistogram, 64);
  return SPECTRUM_PERCENTILES.map((percentile) => ({ percentile, ms: h.getValueAtPercentile(percentile) / 1000 }));
}
