/**
 * The simulator's result: what `serving-stacks simulate --json` prints. A documented contract
 * (load-tests/SIMULATION-FORMAT.md); the cost model, the recommender and the report read it.
 */
import type { Cloud } from '../../constructs';
import type { SensitivityCase } from '../../constructs/assumptions';
import type { PolicyParameter, ScalingEventKind } from '../autoscaling/policy';
import type { PeakSource } from '../traffic/endpoint-peak';
import type { PipelineSimulation } from './pipeline-simulation-result';
import type { QueueMethod } from './queue-engine';

export const SIMULATION_FORMAT_VERSION = 2;

export interface SimulationResult {
  readonly formatVersion: typeof SIMULATION_FORMAT_VERSION;
  readonly topology: { readonly name: string; readonly environment: string };
  readonly profile: SimulatedProfile;
  readonly seed: number;
  /** Virtual seconds per simulation step (the policies' evaluations split steps further). */
  readonly tickSeconds: number;
  readonly clouds: { readonly aws?: CloudSimulation; readonly gcp?: CloudSimulation };
  /**
   * Each simulated cloud's totals with every unverified assumption at the end of its range that
   * favours the cloud (`low`), as registered (`base`, the run above) and at the end that disfavours
   * it (`high`). `simulate` adds it; `simulateTopology` runs one case and leaves it out.
   */
  readonly sensitivity?: SimulationSensitivity;
  /**
   * The embedding-refresh pipeline's day on each cloud (load-tests/simulator/pipeline-simulation.ts);
   * `simulate` adds it when the topology has `pipelines.embeddingRefresh`.
   */
  readonly pipeline?: PipelineSimulation;
}

/** One cloud's simulated totals at one sensitivity case. `sloViolationMinutes` is the name `totals` uses. */
export interface SimulatedCaseFigures {
  readonly arrivals: number;
  readonly droppedRequests: number;
  /** droppedRequests / arrivals over the whole profile, all endpoints; 0 without arrivals. */
  readonly refusedShare: number;
  readonly sloViolationMinutes: number;
  readonly replicaHours: number;
}

export type SimulationSensitivity = Partial<Readonly<Record<Cloud, Readonly<Record<SensitivityCase, SimulatedCaseFigures>>>>>;

export interface SimulatedProfile {
  readonly name: string;
  readonly description: string;
  readonly hours: number;
  readonly minutes: number;
  readonly unit: 'relative' | 'requests-per-second';
  /** Minute the traffic spike starts, for profiles with one. */
  readonly spikeStartMinute?: number;
  /** How often the spike comes (breaking-news: `--spikes-per-week`); the monthly cost weighs the spike day by it. */
  readonly spikesPerWeek?: number;
  /**
   * Where the endpoints' peak rates came from: `peak-rps` (the flag), `profile` (a requests/s file
   * as written), `topology` (each endpoint's `traffic.peakRequestsPerSecond`), or `capacity`
   * (derived from max replicas when neither was given; `capacity` as soon as one endpoint's was).
   */
  readonly peakSource: PeakSource;
}

export interface CloudSimulation {
  readonly cloud: Cloud;
  readonly region: string;
  /** What the cloud answers a request it has no room for: SageMaker throttles, Vertex drops. */
  readonly rejectedAs: 'ThrottlingException' | 'dropped';
  readonly endpoints: Readonly<Record<string, EndpointSimulation>>;
  readonly totals: {
    readonly arrivals: number;
    readonly droppedRequests: number;
    readonly sloViolationMinutes: number;
    readonly replicaHours: number;
  };
}

export interface EndpointSimulation {
  readonly slo: { readonly p99Ms: number; readonly errorRate: number };
  /** The endpoint's rate at the profile's peak. */
  readonly peakRequestsPerSecond: number;
  /** Where that peak came from (SimulatedProfile.peakSource). */
  readonly peakSource: PeakSource;
  readonly policy: { readonly summary: string; readonly parameters: readonly PolicyParameter[] };
  readonly series: readonly MinutePoint[];
  /** Totals over the run; latency percentiles from the merged histogram of every minute. */
  readonly arrivals: number;
  readonly servedRequests: number;
  /** Requests the cloud refused (throttled on SageMaker, dropped on Vertex). */
  readonly droppedRequests: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly p999Ms: number | null;
  readonly maxMs: number | null;
  /** Minutes with p99 above slo.p99Ms or a rejected share above slo.errorRate. */
  readonly sloViolationMinutes: number;
  /** In-service replica time of every variant, in hours. */
  readonly replicaHours: number;
  readonly variants: readonly VariantSimulation[];
  readonly scalingEvents: readonly SimulatedScalingEvent[];
  /** Compressed base64 HdrHistogram of latencies in microseconds (decode with `decodeFromCompressedBase64(s, 64)`). */
  readonly latencyHistogram: string;
}

export interface MinutePoint {
  readonly minute: number;
  readonly arrivals: number;
  /** In-service replicas (all variants) at the end of the minute. */
  readonly replicas: number;
  /** Replicas the cloud is converging to (in service plus starting) at the end of the minute. */
  readonly desiredReplicas: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly dropped: number;
}

export interface VariantSimulation {
  readonly name: string;
  readonly weight: number;
  /** SageMaker instance type, or Vertex machine type (+ accelerator). */
  readonly instanceType: string;
  readonly method: QueueMethod;
  readonly serviceTime: { readonly medianMs: number; readonly logSigma: number };
  readonly concurrencyPerReplica: number;
  /** Requests one replica queues beyond those in service before refusing (register entry `replica.queue-limit`). */
  readonly queueLimitPerReplica: number;
  readonly replicaHours: number;
  /** How long each replica served, seconds (billing rounds per replica: Vertex in 30-s increments). */
  readonly replicaLifetimesSeconds: readonly number[];
}

export interface SimulatedScalingEvent {
  readonly atSeconds: number;
  readonly variant: string;
  readonly kind: ScalingEventKind;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}
