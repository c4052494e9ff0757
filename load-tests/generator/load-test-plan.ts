/**
 * From the command line's (parsed) options to a load test: endpoint names resolved through the topology,
 * schedule, payloads, thresholds, limits. Every problem is collected and returned, naming the
 * flag, the bad value and what is allowed; nothing runs from a plan with errors.
 */
import { readFileSync } from 'node:fs';
import type { ResolvedEndpoint, ResolvedTopology } from '../../constructs';
import { createModel, MODEL_KINDS, modelKindFor, type ModelKind } from '../models/endpoint-model';
import { DEFAULT_BATCH, samplePayloads, type PredictPayload } from '../models/sample-payloads';
import type { TargetSpec } from '../targets/create-target';
import { isLoopbackUrl } from '../targets/loopback';
import { TARGET_KINDS, type TargetKind } from '../targets/target';
import { VERTEX_ENDPOINT_RESOURCE } from '../targets/vertex-target-spec';
import { planRagTarget, type RagCorpus } from '../targets/rag/plan-rag-target';
import type { RagEndpoints } from '../targets/rag/rag-endpoints';
import type { PipelineEndpoints } from '../targets/pipeline/pipeline-endpoints';
import { planPipelineTarget } from '../targets/pipeline/plan-pipeline-target';
import type { CapacitySlo } from './find-capacity';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_PAYLOAD_COUNT, DEFAULT_TIMEOUT_MS } from './load-test-defaults';
import type { LoadTestOptions } from './run-load-test';
import { replicaModelFor } from '../replica/replica-model';
import { endpointPeak, type PeakSource } from '../traffic/endpoint-peak';
import { isBuiltinProfile, selectProfile } from '../traffic/select-profile';
import {
  fittedSchedule,
  playedSchedule,
  ProfileError,
  scheduleDurationSeconds,
  steadySchedule,
  truncateSchedule,
  type TrafficSchedule,
} from '../traffic/traffic-schedule';
import { DEFAULT_HEALTH_LIMITS } from './summarize';
import { parseThresholds, withDefaultErrorThreshold, type Threshold } from './thresholds';

/**
 * A load test as the command line asks for it, values already parsed and range-checked by the
 * CLI's option parsers (bin/options/): numbers are numbers, durations are seconds. What needs the
 * topology (the endpoint, the peak, the SLO, the profile) is checked here.
 */
export interface LoadTestInput {
  readonly target?: TargetKind;
  readonly endpoint?: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly project?: string;
  readonly location?: string;
  readonly vertexClient?: 'aiplatform' | 'rest';
  /** Requests per second. */
  readonly peakRps?: number;
  /** The old name of `peakRps`. */
  readonly rate?: number;
  readonly profile?: string;
  readonly hours?: number;
  readonly timeScale?: number;
  /** Seconds. */
  readonly duration?: number;
  readonly arrivals?: 'uniform' | 'poisson';
  readonly maxRequests?: number;
  readonly workers?: number;
  readonly concurrency?: number;
  /** Per-request timeout, seconds. */
  readonly timeout?: number;
  readonly threshold?: readonly string[];
  readonly retries?: number;
  readonly seed?: number;
  readonly payload?: string;
  readonly batch?: number;
  readonly header?: readonly string[];
  readonly variant?: string;
  /** Milliseconds. */
  readonly maxSchedulerLag?: number;
  readonly slo?: boolean;
  readonly allowProduction?: boolean;
  readonly findCapacity?: boolean;
  /** Seconds. */
  readonly stepDuration?: number;
  readonly replicas?: number;
  /** Seconds. */
  readonly warmup?: number;
  /** `--target rag`: the cloud whose protocols the retrieval path speaks. */
  readonly cloud?: 'aws' | 'gcp';
  /** `--target rag`: neighbours searched, recall@k. @default 10 */
  readonly k?: number;
  /** `--target rag`: queries and passages, read from `--corpus DIR` by the command. */
  readonly ragCorpus?: RagCorpus;
  /** `--target rag`: the stores' addresses, found by the command (local listing or stack outputs). */
  readonly ragEndpoints?: RagEndpoints;
  readonly efSearch?: number;
  readonly leafFraction?: number;
  /** `--target pipeline`: the source queue and vector store, found by the command (local listing or stack outputs). */
  readonly pipelineEndpoints?: PipelineEndpoints;
  /** `--target pipeline`: distinct documents the run updates. @default 100 */
  readonly documents?: number;
}

export interface LoadTestPlan {
  readonly options: LoadTestOptions;
  /** The topology's endpoint, when `--endpoint` named one. */
  readonly endpoint?: ResolvedEndpoint;
  readonly capacity?: CapacityPlan;
  /** Where the played peak came from (load-tests/traffic/endpoint-peak.ts). */
  readonly peakSource?: PeakSource;
}

export interface CapacityPlan {
  readonly startRate: number;
  readonly stepSeconds: number;
  readonly slo: CapacitySlo;
  readonly replicas: number;
  readonly endpointName: string;
  /** What the replicas serve if nothing queues (from the topology), near which the search should break. */
  readonly nominalRate?: number;
}

/** Neighbours a RAG query asks for: recall@10, the figure the retrieval literature and the issue quote. */
export const DEFAULT_RAG_K = 10;

/** Project used in Vertex resource names for the local endpoints, which accept any. */
export const LOCAL_VERTEX_PROJECT = 'local';

export function planLoadTest(input: LoadTestInput, topology: ResolvedTopology): { plan?: LoadTestPlan; errors: string[] } {
  const errors: string[] = [];

  // Target and endpoint.
  const kind = input.target;
  if (!kind) errors.push(`--target: required, one of ${TARGET_KINDS.join(', ')}`);
  const rag = kind === 'rag';
  const pipeline = kind === 'pipeline';
  if (rag && input.endpoint) errors.push(`--endpoint: --target rag drives the topology's embedder, vector store and reranker; drop --endpoint ${input.endpoint}`);
  if (pipeline && input.endpoint) errors.push(`--endpoint: --target pipeline drives the topology's embedding-refresh queue and vector store; drop --endpoint ${input.endpoint}`);
  if (!rag && !pipeline && !input.endpoint && !(kind === 'http' && input.endpointUrl)) errors.push('--endpoint: required (an endpoint of the topology, or the cloud\'s endpoint name or id)');
  const endpoint = topology.endpoints.find(
    (e) => input.endpoint !== undefined && [e.name, e.aws.endpointName, e.gcp.displayName].includes(input.endpoint),
  );

  // Schedule: the same profiles as simulate, at the same rates, `--time-scale` times faster.
  const peakFlag = input.peakRps;
  const rateFlag = input.rate;
  if (peakFlag !== undefined && rateFlag !== undefined && peakFlag !== rateFlag) {
    errors.push(`--rate: the old name of --peak-rps; give one of them, not --peak-rps ${input.peakRps} and --rate ${input.rate}`);
  }
  const peakRps = peakFlag ?? rateFlag;
  const { hours, timeScale, duration, maxRequests } = input;
  const arrivals = input.arrivals ?? 'uniform';
  const profileName = input.profile ?? 'steady';
  let schedule: TrafficSchedule | undefined;
  let peakSource: PeakSource | undefined;
  if (input.findCapacity) {
    if (profileName !== 'steady') errors.push(`--profile: --find-capacity runs steady steps; drop --profile ${profileName}`);
  } else {
    let profile: TrafficSchedule | undefined;
    try {
      profile = selectProfile(profileName, { hours });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      errors.push(e.message);
    }
    // The peak as simulate takes it: the flag, a requests/s file's own rates, the topology's traffic, or capacity.
    const peak = profile && endpoint ? endpointPeak(endpoint, replicaModelFor(endpoint, endpoint.variants[0], 'aws'), profile, peakRps) : undefined;
    const peakNeeded = profile?.unit === 'relative' && peak === undefined && peakRps === undefined;
    if (peakNeeded && input.peakRps === undefined && input.rate === undefined) {
      const which = input.endpoint ? `"${input.endpoint}" is not an endpoint of topology ${topology.name}/${topology.environment}` : 'no topology endpoint is named';
      errors.push(`--peak-rps: required with --profile ${profileName} when ${which} (the peak, requests/s)`);
    }
    const playedPeak = peak?.requestsPerSecond ?? peakRps;
    peakSource = peak?.source ?? (peakRps !== undefined ? 'peak-rps' : 'profile');
    if (profile && !peakNeeded) {
      const builtin = isBuiltinProfile(profileName);
      const fitSeconds = duration ?? (maxRequests !== undefined && playedPeak !== undefined ? maxRequests / playedPeak : undefined);
      if (timeScale !== undefined) {
        schedule = playedSchedule(profile, playedPeak, timeScale);
        if (duration !== undefined && duration < scheduleDurationSeconds(schedule)) schedule = truncateSchedule(schedule, duration);
      } else if (builtin && fitSeconds !== undefined) {
        // Without --time-scale, a built-in profile is fitted to the run, as the generator always did.
        schedule = fittedSchedule(profile, playedPeak, fitSeconds);
      } else if (builtin) {
        errors.push(`--duration: required with --profile ${profileName} (or --time-scale, or --max-requests with --peak-rps), so the run is bounded in time`);
      } else {
        schedule = playedSchedule(profile, playedPeak, 1);
        if (duration !== undefined && duration < scheduleDurationSeconds(schedule)) schedule = truncateSchedule(schedule, duration);
      }
    }
  }

  // Execution.
  const workers = input.workers ?? 1;
  const maxInFlight = input.concurrency ?? DEFAULT_MAX_IN_FLIGHT;
  const timeoutMs = input.timeout !== undefined ? input.timeout * 1000 : DEFAULT_TIMEOUT_MS;
  const retries = input.retries ?? 0;
  const seed = input.seed ?? 1;
  const maxLag = input.maxSchedulerLag;
  const warmup = input.warmup ?? 0;

  // Payloads.
  // A RAG run's payload i is query i, its text the embedder's instance; a pipeline run's come from its target's documents (below).
  const payloads = rag ? (input.ragCorpus?.queries ?? []).map((q) => ({ instances: [q.text] })) : pipeline ? [] : planPayloads(input, endpoint, errors, input.batch, seed);

  // Thresholds, with the endpoint's SLO when asked for.
  const parsed = parseThresholds(input.threshold ?? []);
  errors.push(...parsed.errors);
  let thresholds: Threshold[] = [...parsed.thresholds];
  if (input.slo) {
    if (!endpoint) errors.push(`--slo: "${input.endpoint}" is not an endpoint of topology ${topology.name}/${topology.environment}, so it has no SLO`);
    else thresholds.push(...parseThresholds([`p99<=${endpoint.slo.p99Ms}ms`, `errors<=${endpoint.slo.errorRate}`]).thresholds);
  }
  // --find-capacity judges each step by the SLO's own error budget instead.
  if (!input.findCapacity) thresholds = withDefaultErrorThreshold(thresholds);

  const target = rag
    ? planRagTarget({ ...input, k: input.k ?? DEFAULT_RAG_K, corpus: input.ragCorpus, endpoints: input.ragEndpoints }, topology, maxInFlight, timeoutMs, errors)
    : pipeline
      ? planPipelineTarget({ cloud: input.cloud, documents: input.documents, seed, endpoints: input.pipelineEndpoints }, topology, maxInFlight, timeoutMs, errors)
      : kind
      ? planTarget(kind, input, endpoint, topology, maxInFlight, timeoutMs, errors)
      : undefined;

  // Production endpoints are off limits unless asked for by name.
  if (topology.production && (endpoint || rag || pipeline) && target && !targetIsLocal(target) && !input.allowProduction) {
    errors.push(`--allow-production: ${topology.name}/${topology.environment} is a production topology; load-testing its real endpoint ${input.endpoint} needs --allow-production`);
  }

  let capacity: CapacityPlan | undefined;
  if (input.findCapacity) {
    const replicas = input.replicas ?? endpoint?.scaling.min;
    if (replicas === undefined) errors.push(`--replicas: required with --find-capacity when "${input.endpoint}" is not an endpoint of the topology`);
    const slo = endpoint?.slo;
    const p99 = parsed.thresholds.find((t) => t.metric.kind === 'latency' && t.metric.name === 'p99' && t.metric.corrected);
    if (!slo && !p99) errors.push('--threshold: --find-capacity needs a latency SLO: name a topology endpoint, or give --threshold p99<NNNms');
    const startRate = peakRps ?? (endpoint && replicas ? theoreticalCapacity(endpoint, replicas) / 4 : undefined);
    if (startRate === undefined) errors.push('--peak-rps: --find-capacity needs a starting rate when the endpoint is not in the topology');
    if (replicas !== undefined && startRate !== undefined && (slo || p99)) {
      capacity = {
        startRate,
        stepSeconds: input.stepDuration ?? 10,
        slo: { p99Ms: p99?.value ?? (slo as CapacitySlo).p99Ms, errorRate: slo?.errorRate ?? 0.01 },
        replicas,
        endpointName: endpoint?.name ?? input.endpoint ?? 'endpoint',
        ...(endpoint ? { nominalRate: theoreticalCapacity(endpoint, replicas) } : {}),
      };
      schedule = steadySchedule(startRate, capacity.stepSeconds);
    }
  }

  if (errors.length || !schedule || !target) return { errors };
  return {
    errors,
    plan: {
      options: {
        target,
        schedule,
        profile: input.findCapacity ? 'steady' : profileName,
        arrivals,
        // A pipeline run's payload i is document i of its sequence.
        payloads: target.kind === 'pipeline' ? target.documents.map((id) => ({ instances: [id] })) : payloads,
        maxRequests,
        workers,
        maxInFlight,
        timeoutMs,
        retries,
        seed,
        thresholds,
        warmupSeconds: warmup,
        limits: { ...DEFAULT_HEALTH_LIMITS, ...(maxLag !== undefined ? { maxSchedulerLagP99Ms: maxLag } : {}) },
      },
      endpoint,
      capacity,
      peakSource: input.findCapacity ? undefined : peakSource,
    },
  };
}

/** Replicas × concurrency ÷ service time: what the replicas could serve if nothing queued. */
function theoreticalCapacity(endpoint: ResolvedEndpoint, replicas: number): number {
  const p = endpoint.performance;
  return (replicas * p.concurrencyPerReplica * 1000) / p.serviceTimeMs;
}

function planTarget(
  kind: TargetKind,
  input: LoadTestInput,
  endpoint: ResolvedEndpoint | undefined,
  topology: ResolvedTopology,
  maxConnections: number,
  timeoutMs: number,
  errors: string[],
): TargetSpec | undefined {
  const name = input.endpoint ?? '';
  switch (kind) {
    case 'rag':
    case 'pipeline':
      return undefined;
    case 'sagemaker':
      return {
        kind,
        endpointName: endpoint?.aws.endpointName ?? name,
        region: input.region ?? topology.regions.aws,
        endpointUrl: input.endpointUrl,
        targetVariant: input.variant,
        inferenceComponentName: endpoint?.aws.inferenceComponent?.componentName,
        maxSockets: maxConnections,
      };
    case 'vertex': {
      const client = input.vertexClient ?? 'aiplatform';
      const full = VERTEX_ENDPOINT_RESOURCE.exec(name);
      const local = input.endpointUrl !== undefined && isLoopbackUrl(input.endpointUrl);
      const project = full?.[1] ?? input.project ?? (local ? LOCAL_VERTEX_PROJECT : undefined);
      const location = full?.[2] ?? input.location ?? topology.regions.gcp;
      if (!project) errors.push('--project: required for a Vertex endpoint given by id (or pass projects/P/locations/L/endpoints/ID)');
      if (input.variant) errors.push('--variant: Vertex predict cannot pick a deployed model; traffic split decides');
      return {
        kind,
        endpoint: full ? name : `projects/${project ?? ''}/locations/${location}/endpoints/${endpoint && local ? endpoint.name : name}`,
        location,
        apiUrl: input.endpointUrl,
        client,
        maxConnections,
        timeoutMs,
      };
    }
    case 'http': {
      const url = input.endpointUrl ?? name;
      const headers: Record<string, string> = {};
      for (const h of input.header ?? []) {
        const colon = h.indexOf(':');
        if (colon <= 0) errors.push(`--header: expected "Name: value", got "${h}"`);
        else headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
      }
      if (input.variant) headers['X-Amzn-SageMaker-Target-Variant'] = input.variant;
      return { kind, url, headers, maxConnections };
    }
  }
}

function targetIsLocal(target: TargetSpec): boolean {
  const urls =
    target.kind === 'http'
      ? [target.url]
      : target.kind === 'sagemaker'
        ? [target.endpointUrl]
        : target.kind === 'vertex'
          ? [target.apiUrl]
          : target.kind === 'pipeline'
            ? [target.queue.kind === 'sqs' ? target.queue.endpointUrl : target.queue.apiUrl, target.store.kind === 'vertex' ? target.store.matchUrl : target.store.url]
            : target.cloud === 'aws'
            ? [target.sagemakerUrl, target.opensearchUrl]
            : [target.apiUrl, target.matchUrl ?? target.apiUrl];
  return urls.every((url) => url !== undefined && isLoopbackUrl(url));
}

function planPayloads(
  input: LoadTestInput,
  endpoint: ResolvedEndpoint | undefined,
  errors: string[],
  batch: number | undefined,
  seed: number,
): PredictPayload[] {
  const choice = input.payload;
  if (choice !== undefined && !(MODEL_KINDS as readonly string[]).includes(choice)) return readPayloadFile(choice, errors);
  const kind: ModelKind = (choice as ModelKind | undefined) ?? (endpoint ? modelKindFor(endpoint) : modelKindFor({ name: input.endpoint ?? '', variants: [] }));
  const payloads = samplePayloads(kind, { count: DEFAULT_PAYLOAD_COUNT, batch: batch ?? DEFAULT_BATCH[kind], seed });
  // The sample payloads are what the bundled models read; a wrong --payload for a known endpoint is caught here.
  if (endpoint && choice && choice !== modelKindFor(endpoint)) {
    try {
      createModel(modelKindFor(endpoint)).predict(payloads[0].instances);
    } catch {
      errors.push(`--payload: ${endpoint.name} serves a ${modelKindFor(endpoint)} model, which cannot read ${choice} payloads`);
    }
  }
  return payloads;
}

/** A JSON file holding `{"instances": [...]}` or a list of such bodies (used in turn). */
function readPayloadFile(path: string, errors: string[]): PredictPayload[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    errors.push(`--payload: "${path}" is neither ${MODEL_KINDS.join(', ')} nor a readable JSON file: ${(e as Error).message}`);
    return [];
  }
  const list = Array.isArray(data) ? data : [data];
  const payloads: PredictPayload[] = [];
  list.forEach((item: unknown, i) => {
    const instances = typeof item === 'object' && item !== null ? (item as { instances?: unknown }).instances : undefined;
    if (!Array.isArray(instances) || instances.length === 0) errors.push(`--payload ${path}: body ${i} needs a non-empty "instances" list`);
    else payloads.push(item as PredictPayload);
  });
  return payloads;
}
