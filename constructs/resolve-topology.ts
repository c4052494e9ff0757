/**
 * `resolveTopology`: a validated topology in, every per-cloud decision out, with a parity note
 * wherever the two clouds cannot realise the spec the same way.
 */
import { createHash } from 'node:crypto';
import { assumptionSet } from './assumptions';
import { DEAD_LETTER_ALARM_EVALUATION, ENDPOINT_ALARM_EVALUATION } from './alarm-evaluation';
import { cacheLayout, ELASTICACHE_NODE_TYPES, MEMORYSTORE_VALKEY_NODE_TYPES } from './cache-shapes';
import { catalogRequest, concurrencyOnShape, hasLocalNvme, shapeForRequest, type InstanceShape } from './instance-shapes';
import {
  AWS_NAMING,
  fitName,
  gcpEndpointNames,
  gcpFeatureCacheNames,
  gcpMonitoringNames,
  gcpQueueNames,
  gcpVectorStoreNames,
  GCP_NAMING,
  queueResourceNames,
} from './naming';
import { withEndpointName, type ParityNote } from './parity';
import { pgvectorCompute } from './pgvector-compute';
import { checkResolvedNames } from './resolved-names';
import { blueGreenTiming, defaultRolloutStrategy, rolloutSteps, sageMakerTrafficRouting } from './rollout-rules';
import { shapeRealisation } from './shape-realisation';
import type {
  AwsEndpointPlan,
  GcpEndpointPlan,
  ReplicaPerformance,
  ResolvedEndpoint,
  ResolvedFeatureCache,
  ResolvedQueue,
  ResolvedRollout,
  ResolvedScaling,
  ResolvedTopology,
  ResolvedVariant,
  ResolvedVectorStore,
  AwsInterfaceEndpointService,
  VectorSearchShardSize,
} from './resolved-topology';
import { defaultMinInstances, type ComputeSpec, type EndpointSpec, type FeatureCacheSpec, type QueueSpec, type Topology, type VectorStoreSpec } from './topology-schema';
import { DEFAULT_CACHE_REPLICAS, DEFAULT_MAX_INSTANCES, DEFAULT_MAX_KILO_ECPU_PER_SECOND, DEFAULT_PERFORMANCE, DEFAULT_VECTOR_STORE_REPLICAS } from './unset-defaults';

/** SageMaker's load-test rule for a scaling target: MAX_RPS × SAFETY_FACTOR × 60 (assumption `target.safety-factor`). */
export const SCALING_SAFETY_FACTOR = assumptionSet('aws').value('target.safety-factor');

/** Vertex's default utilisation target, 60 % (assumption `target.vertex-default-utilisation`). */
export const VERTEX_DEFAULT_UTILISATION_TARGET = assumptionSet('gcp').value('target.vertex-default-utilisation');

/** Spread of a replica's log-normal service time when nothing was measured (assumption `replica.service-time-log-sigma`). */
const SERVICE_TIME_LOG_SIGMA = assumptionSet('aws').value('replica.service-time-log-sigma');

/**
 * The request rate per replica a concurrency target stands for, by Little's law: in-flight requests
 * ÷ mean service time (median × e^(σ²/2) of the log-normal service time the simulator uses). It is the
 * one capacity figure both clouds' targets derive from: SageMaker tracks the concurrency itself,
 * Vertex, which cannot scale on in-flight requests, gets it as a request_count target per minute.
 */
export function requestsPerSecondAtConcurrency(concurrency: number, medianServiceTimeMs: number): number {
  const meanServiceSeconds = (medianServiceTimeMs * Math.exp((SERVICE_TIME_LOG_SIGMA * SERVICE_TIME_LOG_SIGMA) / 2)) / 1000;
  return concurrency / meanServiceSeconds;
}

export const VERTEX_METRICS = {
  cpu: 'aiplatform.googleapis.com/prediction/online/cpu/utilization',
  gpu: 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle',
  requests: 'aiplatform.googleapis.com/prediction/online/request_count',
} as const;

export function isProduction(topology: Pick<Topology, 'environment' | 'production'>): boolean {
  return topology.production ?? topology.environment === 'prod';
}

export function resolveTopology(topology: Topology): ResolvedTopology {
  const production = isProduction(topology);
  const parity: ParityNote[] = [];
  const names = { topology: topology.name, environment: topology.environment };
  const endpoints = topology.endpoints.map((e, i) => resolveEndpoint(e, `endpoints[${i}]`, names, production, parity));
  const featureCache = topology.featureCache && resolveFeatureCache(topology.featureCache, names, production, parity);
  const vectorStore = topology.vectorStore && resolveVectorStore(topology.vectorStore, names, production, parity);
  return checkResolvedNames({
    name: topology.name,
    environment: topology.environment,
    production,
    regions: topology.regions,
    tags: { ...topology.tags, app: topology.name, environment: topology.environment, 'managed-by': 'ml-serving-stacks' },
    endpoints,
    featureCache,
    vectorStore,
    queues: topology.queues.map((q) => resolveQueue(q, names)),
    network: {
      private: true,
      zoneCount: production ? 3 : 2,
      aws: { interfaceEndpoints: interfaceEndpoints(topology) },
      existing: topology.network.existing,
    },
    monitoring: { alarmEmails: topology.monitoring.alarmEmails, gcp: gcpMonitoringNames(topology.name, topology.environment) },
    retainData: production,
    deletionProtection: production,
    parity: parity.map((note) => withEndpointName(note, topology.endpoints)),
  });
}

/**
 * What the serving VPC reaches without the internet: clients call SageMaker Runtime; roles assume
 * through STS; keys, logs and metrics; SQS when there are queues, SNS for async notifications.
 */
function interfaceEndpoints(topology: Topology): AwsInterfaceEndpointService[] {
  const hasAsync = topology.endpoints.some((e) => e.mode === 'async');
  return [
    'sagemaker.runtime',
    'sts',
    'kms',
    'logs',
    'monitoring',
    ...(topology.queues.length > 0 || hasAsync ? (['sqs'] as const) : []),
    ...(hasAsync ? (['sns'] as const) : []),
  ];
}

interface Names {
  readonly topology: string;
  readonly environment: string;
}

function resolveEndpoint(e: EndpointSpec, path: string, names: Names, production: boolean, parity: ParityNote[]): ResolvedEndpoint {
  const min = e.scaling.min ?? defaultMinInstances(production);
  const scaling: ResolvedScaling = {
    min,
    max: e.scaling.max ?? Math.max(min, production ? DEFAULT_MAX_INSTANCES.production : DEFAULT_MAX_INSTANCES.otherwise),
    target: e.scaling.target,
    scaleInCooldownSeconds: e.scaling.scaleInCooldownSeconds,
    scaleOutCooldownSeconds: e.scaling.scaleOutCooldownSeconds,
    maxRequestsPerSecondPerReplica: e.scaling.maxRequestsPerSecondPerReplica,
  };
  const rollout: ResolvedRollout = {
    strategy: e.rollout.strategy ?? defaultRolloutStrategy(production, names.environment),
    stepPercent: e.rollout.stepPercent,
    bakeSeconds: e.rollout.bakeSeconds,
    autoRollback: e.rollout.autoRollback,
  };
  const variantSpecs = e.variants ?? [{ name: 'primary', weight: 100, model: undefined, compute: undefined }];
  const variants = variantSpecs.map((v, i) =>
    resolveVariant(
      {
        name: v.name,
        weight: v.weight,
        model: v.model ?? e.model,
        compute: v.compute ?? e.compute,
        computePath: v.compute ? `${path}.variants[${i}].compute` : `${path}.compute`,
        performance: e.performance,
        scaling,
      },
      e.variants ? `${path}.variants[${i}]` : path,
      [names.topology, names.environment, e.name],
      parity,
    ),
  );
  const aws = awsEndpointPlan(e, scaling, rollout, variants, names, path, parity);
  const gcp = gcpEndpointPlan(e, scaling, rollout, variants[0], names, path, parity);
  if (e.mode === 'async') {
    parity.push({
      path: `${path}.mode`,
      cloud: 'gcp',
      realisedAs: 'a real-time Vertex endpoint; asynchronous requests and results go through the async-inference queue (Pub/Sub)',
      reason: 'Vertex AI has no asynchronous inference endpoint (https://cloud.google.com/vertex-ai/docs/predictions/choose-endpoint-type)',
    });
  }
  if (e.mode === 'serverless') {
    parity.push({
      path: 'network.private',
      cloud: 'aws',
      realisedAs: `endpoint ${e.name} (serverless) runs outside the VPC, without network isolation`,
      reason: 'SageMaker Serverless Inference supports neither VPC configuration nor network isolation; use mode realtime to keep the model private',
    });
    parity.push({
      path: `${path}.mode`,
      cloud: 'gcp',
      realisedAs: `dedicated replicas (min ${scaling.min}, max ${scaling.max}) on ${variants[0].gcp.machineType}`,
      reason: 'Vertex AI has no serverless custom-model endpoint; scale-to-zero is a v1beta1 preview that IaC cannot set (https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/DedicatedResources)',
    });
  }
  if (e.scaling.scaleInCooldownSeconds !== 300 || e.scaling.scaleOutCooldownSeconds !== 300) {
    parity.push({
      path: `${path}.scaling`,
      cloud: 'gcp',
      realisedAs: 'Vertex defaults: evaluation every 15 s, 5-minute scale-down stabilisation window',
      reason: 'Vertex AI autoscaling exposes no cooldowns (AutoscalingMetricSpec and DedicatedResources references); it scales down after its stabilisation window',
    });
  }
  return {
    name: e.name,
    mode: e.mode,
    slo: e.slo,
    dataCapture: e.dataCapture,
    traffic: e.traffic,
    scaling,
    rollout,
    variants,
    performance: variants[0].performance,
    serverless: e.serverless,
    alarmEvaluation: ENDPOINT_ALARM_EVALUATION,
    aws,
    gcp,
  };
}

interface VariantInput {
  readonly name: string;
  readonly weight: number;
  readonly model: EndpointSpec['model'];
  readonly compute: ComputeSpec;
  /** Where the compute request is written: the variant's own, or the endpoint's it inherits. */
  readonly computePath: string;
  readonly performance: EndpointSpec['performance'];
  readonly scaling: ResolvedScaling;
}

function resolveVariant(v: VariantInput, path: string, nameParts: string[], parity: ParityNote[]): ResolvedVariant {
  const requested = catalogRequest(v.compute);
  const shape = shapeFor(v.compute);
  if (shape.gap) {
    parity.push({ path: `${path}.compute`, cloud: shape.gap.cloud, realisedAs: shapeRealisation(shape, shape.gap.cloud), reason: shape.gap.reason });
  }
  const override = v.compute.instanceType;
  const awsInstanceType = override?.aws ?? shape.aws.instanceType;
  const gcpMachine = override?.gcp ?? shape.gcp;
  for (const cloud of ['aws', 'gcp'] as const) {
    if (override?.[cloud]) {
      parity.push({
        path: `${path}.compute.instanceType.${cloud}`,
        cloud,
        realisedAs: cloud === 'aws' ? awsInstanceType : gcpMachine.machineType,
        reason: `explicit override of the catalog shape ${shape.id}; hardware may no longer match the other cloud`,
      });
    }
  }
  return {
    name: v.name,
    weight: v.weight,
    model: v.model,
    requested: { ...requested, path: v.computePath },
    shape,
    performance: replicaPerformance(shape, v.performance),
    aws: {
      variantName: v.name,
      instanceType: awsInstanceType,
      localNvme: override?.aws ? hasLocalNvme(override.aws) : shape.aws.localNvme,
      scalingTargetValue: awsScalingTargetValue(v.scaling.target, shape),
    },
    gcp: {
      displayName: fitName([...nameParts, v.name], GCP_NAMING.vertexDisplayName),
      machineType: gcpMachine.machineType,
      acceleratorType: gcpMachine.acceleratorType,
      acceleratorCount: gcpMachine.acceleratorCount,
    },
  };
}

/**
 * SageMaker's CPUUtilization and GPUUtilization sum a variant's cores and GPUs (0–100 × count), so
 * utilisation targets scale with them: every core of the instance, and the GPUs the model is sized
 * for (on an instance with more, a model that uses only its own must still reach the target).
 */
function awsScalingTargetValue(target: ResolvedScaling['target'], shape: InstanceShape): number {
  if (target.metric === 'cpu') return target.value * shape.aws.vcpus;
  if (target.metric === 'gpu') return target.value * shape.accelerator.count;
  return target.value;
}

/** The catalog shape for a compute request; the schema has already rejected requests nothing fits. */
export function shapeFor(compute: ComputeSpec): InstanceShape {
  const shape = shapeForRequest(compute);
  if (!shape) throw new Error(`no catalog shape fits ${JSON.stringify(compute)}; the schema should have rejected it`);
  return shape;
}

/** Scales the family's reference service model to a shape: a shape twice as fast serves twice as many at once. */
export function replicaPerformance(shape: InstanceShape, spec?: ReplicaPerformance): ReplicaPerformance {
  const base = spec ?? (shape.accelerator.type === 'none' ? DEFAULT_PERFORMANCE.cpu : DEFAULT_PERFORMANCE.gpu);
  return {
    serviceTimeMs: base.serviceTimeMs,
    concurrencyPerReplica: concurrencyOnShape(base.concurrencyPerReplica, shape),
  };
}

function awsEndpointPlan(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  rollout: ResolvedRollout,
  variants: readonly ResolvedVariant[],
  names: Names,
  path: string,
  parity: ParityNote[],
): AwsEndpointPlan {
  const scalingMetric = awsScalingMetric(e);
  // Serverless variants get blue/green too (guardrails exclude them from rolling deployments only),
  // but all at once: canary and linear steps are sized in instance capacity, which a serverless
  // variant does not have and a one-instance variant cannot split.
  const trafficRouting = sageMakerTrafficRouting(e.mode, rollout.strategy, scaling.min);
  if (trafficRouting === 'ALL_AT_ONCE' && (rollout.strategy === 'canary' || rollout.strategy === 'linear')) {
    parity.push({
      path: `${path}.rollout.strategy`,
      cloud: 'aws',
      realisedAs: 'blue/green, all traffic at once, with the bake and alarm rollback',
      reason:
        e.mode === 'serverless'
          ? 'SageMaker sizes canary and linear steps in instance capacity, which a serverless variant does not have [U]'
          : `SageMaker sizes canary and linear steps as at most half a variant's instances, and these variants may run on ${scaling.min} instance (scaling.min); set scaling.min >= 2 for a ${rollout.strategy}`,
    });
  }
  const timing = blueGreenTiming(trafficRouting, rollout);
  const deployment: AwsEndpointPlan['deployment'] = {
    trafficRouting,
    stepPercent: rollout.stepPercent,
    waitIntervalSeconds: timing.waitIntervalSeconds,
    maximumExecutionTimeoutSeconds: timing.maximumExecutionTimeoutSeconds,
    terminationWaitSeconds: timing.terminationWaitSeconds,
    autoRollback: rollout.autoRollback,
  };
  return {
    endpointName: awsEndpointName(names, e, variants),
    scalingMetric,
    deployment,
    volumeKms: e.mode === 'serverless' || !variants.some((v) => v.aws.localNvme),
  };
}

/**
 * Target tracking on AWS. Async endpoints publish no invocation or concurrency metrics: their
 * concurrency target tracks the queue, ApproximateBacklogSizePerInstance (the schema rejects an
 * invocations target for them).
 */
function awsScalingMetric(e: EndpointSpec): AwsEndpointPlan['scalingMetric'] {
  switch (e.scaling.target.metric) {
    case 'invocations':
      return { kind: 'predefined', metric: 'SageMakerVariantInvocationsPerInstance' };
    case 'concurrency':
      return e.mode === 'async'
        ? { kind: 'async-backlog', metricName: 'ApproximateBacklogSizePerInstance' }
        : { kind: 'predefined', metric: 'SageMakerVariantConcurrentRequestsPerModelHighResolution' };
    case 'cpu':
      return { kind: 'instance', metricName: 'CPUUtilization' };
    case 'gpu':
      return { kind: 'instance', metricName: 'GPUUtilization' };
  }
}

/**
 * The SageMaker endpoint's name. SageMaker updates an endpoint in place only while its variant names
 * stay the same (deployment guardrails need them) and its kind stays the same; a new set of variant
 * names, or a switch between real-time, serverless and async, is a new endpoint. So the name carries a
 * short hash of the mode and the variant names, except for the plain real-time endpoint with its one
 * implicit variant, which keeps `<topology>-<environment>-<endpoint>`. Right-sizing, new models,
 * weights and scaling bounds keep the name.
 */
function awsEndpointName(names: Names, e: EndpointSpec, variants: readonly ResolvedVariant[]): string {
  const base = [names.topology, names.environment, e.name];
  if (e.mode === 'realtime' && !e.variants) return fitName(base, AWS_NAMING.sagemakerEndpoint);
  const generation = `${e.mode}:${variants.map((v) => v.aws.variantName).sort().join(',')}`;
  return fitName([...base, createHash('sha256').update(generation).digest('hex').slice(0, ENDPOINT_GENERATION_HASH_LENGTH)], AWS_NAMING.sagemakerEndpoint);
}

/** Hex digits of the endpoint-generation hash: 65,536 generations per endpoint before two could share a name. */
const ENDPOINT_GENERATION_HASH_LENGTH = 4;

function gcpEndpointPlan(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  rollout: ResolvedRollout,
  firstVariant: ResolvedVariant,
  names: Names,
  path: string,
  parity: ParityNote[],
): GcpEndpointPlan {
  let specs: GcpEndpointPlan['autoscalingMetricSpecs'];
  switch (scaling.target.metric) {
    case 'invocations':
      specs = [{ metricName: VERTEX_METRICS.requests, target: scaling.target.value }];
      break;
    case 'cpu':
      specs = [{ metricName: VERTEX_METRICS.cpu, target: scaling.target.value }];
      break;
    case 'gpu':
      specs = [{ metricName: VERTEX_METRICS.gpu, target: scaling.target.value }];
      break;
    case 'concurrency': {
      if (e.mode === 'async') {
        // SageMaker tracks an async endpoint's backlog, not requests in flight: no request rate to share.
        specs = asyncConcurrencySpecs(scaling, firstVariant, path, parity);
        break;
      }
      // Both clouds' targets come from one figure: the request rate per replica at the concurrency target.
      const serviceTimeMs = firstVariant.performance.serviceTimeMs;
      const perReplica = requestsPerSecondAtConcurrency(scaling.target.value, serviceTimeMs);
      specs = [{ metricName: VERTEX_METRICS.requests, target: perReplica * 60 }];
      parity.push({
        path: `${path}.scaling.target`,
        cloud: 'gcp',
        realisedAs: `request_count target ${Math.max(1, Math.round(perReplica * 60))} per minute per replica`,
        reason:
          `Vertex AI cannot scale on in-flight requests; ${scaling.target.value} in flight at a ${serviceTimeMs} ms median service time ` +
          `is ${Math.round(perReplica * 10) / 10} requests/s per replica (Little's law), the rate SageMaker's concurrency target stands for`,
      });
      break;
    }
  }
  // AutoscalingMetricSpec.target is an integer (a derived request-count target may not be).
  specs = specs.map((spec) => ({ metricName: spec.metricName, target: Math.max(1, Math.round(spec.target)) }));
  const steps = rolloutSteps(rollout);
  if (rollout.strategy !== 'all-at-once' && rollout.autoRollback) {
    parity.push({
      path: `${path}.rollout.autoRollback`,
      cloud: 'gcp',
      realisedAs: `traffic moves to the new model in steps of ${steps.join(' → ')} % with ${rollout.bakeSeconds} s bake; rollback is a redeploy of the previous model`,
      reason: 'Vertex AI has no deployment guardrails and no alarm-driven rollback (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/deployModel)',
    });
  }
  const { loggingDatasetId, ...gcpNames } = gcpEndpointNames(names.topology, names.environment, e.name);
  return {
    ...gcpNames,
    autoscalingMetricSpecs: specs,
    rollout: { steps, bakeSeconds: rollout.strategy === 'all-at-once' ? 0 : rollout.bakeSeconds },
    requestResponseLoggingRate: e.dataCapture ? e.dataCapture.samplingPercent / 100 : 0,
    ...(e.dataCapture && { loggingDatasetId }),
  };
}

/**
 * Vertex has no asynchronous endpoint; an async endpoint's backlog target becomes a request_count
 * target from measured capacity (MAX_RPS × safety factor × 60), or utilisation at Vertex's default.
 */
function asyncConcurrencySpecs(scaling: ResolvedScaling, firstVariant: ResolvedVariant, path: string, parity: ParityNote[]): GcpEndpointPlan['autoscalingMetricSpecs'] {
  const measured = scaling.maxRequestsPerSecondPerReplica;
  const utilisation = firstVariant.shape.accelerator.type !== 'none' ? VERTEX_METRICS.gpu : VERTEX_METRICS.cpu;
  const specs = measured
    ? [{ metricName: VERTEX_METRICS.requests, target: Math.round(measured * SCALING_SAFETY_FACTOR * 60) }]
    : [{ metricName: utilisation, target: VERTEX_DEFAULT_UTILISATION_TARGET }];
  parity.push({
    path: `${path}.scaling.target`,
    cloud: 'gcp',
    realisedAs: `${specs[0].metricName.split('/').slice(-2).join('/')} target ${specs[0].target}`,
    reason: measured
      ? `Vertex AI cannot scale on a backlog; the measured capacity becomes a request-count target (MAX_RPS × ${SCALING_SAFETY_FACTOR} × 60)`
      : `Vertex AI cannot scale on a backlog and no measured capacity (scaling.maxRequestsPerSecondPerReplica) is given, so it scales on utilisation at its ${VERTEX_DEFAULT_UTILISATION_TARGET} % default`,
  });
  return specs;
}

function resolveFeatureCache(c: FeatureCacheSpec, names: Names, production: boolean, parity: ParityNote[]): ResolvedFeatureCache {
  const multiZone = c.multiZone ?? production;
  const replicas = c.replicas ?? (multiZone ? DEFAULT_CACHE_REPLICAS.multiZone : DEFAULT_CACHE_REPLICAS.singleZone);
  const gcpLayout = cacheLayout(MEMORYSTORE_VALKEY_NODE_TYPES, c.memoryGiB, production);
  const awsLayout = cacheLayout(ELASTICACHE_NODE_TYPES, c.memoryGiB, production);
  const snapshotRetentionDays = production ? 15 : 1;
  if (c.deployment === 'serverless') {
    parity.push({
      path: 'featureCache.deployment',
      cloud: 'gcp',
      realisedAs: `Memorystore ${gcpLayout.shards} × ${gcpLayout.nodeType} (${gcpLayout.memoryGiB} GiB provisioned)`,
      reason: 'Memorystore has no serverless mode; the AWS cache grows up to the limit while GCP provisions nodes that hold it',
    });
    if (!multiZone) {
      parity.push({
        path: 'featureCache.multiZone',
        cloud: 'aws',
        realisedAs: 'data replicated across availability zones',
        reason: 'ElastiCache Serverless always replicates across zones; single-zone applies to GCP only',
      });
    }
  }
  if (c.engine === 'redis' && !multiZone && replicas > 0) {
    parity.push({
      path: 'featureCache.replicas',
      cloud: 'gcp',
      realisedAs: 'Memorystore for Redis Basic tier, no replicas',
      reason: 'Memorystore for Redis keeps replicas only in the Standard (multi-zone) tier',
    });
  }
  const awsClustered = c.deployment === 'serverless' || awsLayout.shards > 1;
  if (c.engine === 'redis' && awsClustered) {
    parity.push({
      path: 'featureCache.engine',
      cloud: 'gcp',
      realisedAs: 'Memorystore for Redis: one unsharded primary',
      reason: `Memorystore for Redis instances are not sharded, while the AWS cache is cluster-mode (${
        c.deployment === 'serverless' ? 'ElastiCache Serverless' : `${awsLayout.shards} shards`
      }): clients need the Redis cluster protocol on AWS only`,
    });
  }
  return {
    engine: c.engine,
    deployment: c.deployment,
    memoryGiB: c.memoryGiB,
    replicas,
    multiZone,
    defaultTtlSeconds: c.defaultTtlSeconds,
    aws: {
      cacheName: fitName([names.topology, names.environment, 'features'], AWS_NAMING.serverlessCache),
      serverless:
        c.deployment === 'serverless'
          ? { maxDataStorageGiB: Math.ceil(c.memoryGiB), maxEcpuPerSecond: (c.maxKiloEcpuPerSecond ?? DEFAULT_MAX_KILO_ECPU_PER_SECOND) * 1000 }
          : undefined,
      nodes:
        c.deployment === 'nodes' ? { nodeType: awsLayout.nodeType, shards: awsLayout.shards, replicasPerShard: replicas } : undefined,
      snapshotRetentionDays,
    },
    gcp: {
      ...gcpFeatureCacheNames(names.topology, names.environment),
      nodeType: gcpLayout.nodeType,
      shards: gcpLayout.shards,
      replicas,
      zoneMode: multiZone ? 'MULTI_ZONE' : 'SINGLE_ZONE',
      backupRetentionDays: snapshotRetentionDays,
    },
  };
}

function resolveVectorStore(v: VectorStoreSpec, names: Names, production: boolean, parity: ParityNote[]): ResolvedVectorStore {
  const replicas = v.replicas ?? { ...(production ? DEFAULT_VECTOR_STORE_REPLICAS.production : DEFAULT_VECTOR_STORE_REPLICAS.otherwise) };
  if (v.engine === 'managed') {
    parity.push({
      path: 'vectorStore.index',
      cloud: 'gcp',
      realisedAs: `tree-AH with leafNodeEmbeddingCount ${v.index.leafNodeEmbeddingCount}, leafNodesToSearchPercent ${v.index.leafNodesToSearchPercent}`,
      reason: 'Vertex AI Vector Search uses ScaNN tree-AH, not HNSW: m, efConstruction and efSearch have no counterpart',
    });
    parity.push({
      path: 'vectorStore.replicas',
      cloud: 'aws',
      realisedAs: replicas.min >= 2 ? 'standby replicas enabled; OCUs scale automatically' : 'standby replicas disabled; OCUs scale automatically',
      reason: 'OpenSearch Serverless takes no replica count, only standby replicas on or off; capacity is in OCUs',
    });
  }
  const spaceType = v.metric === 'cosine' ? 'cosinesimil' : v.metric === 'dot-product' ? 'innerproduct' : 'l2';
  const shard = vectorSearchShard(v);
  // Aurora's point-in-time window is its backup retention; AlloyDB's is set to match.
  const backupDays = production ? 15 : 7;
  const { database: databaseNames, ...gcpNames } = gcpVectorStoreNames(names.topology, names.environment);
  const compute = pgvectorCompute(production);
  if (v.engine === 'pgvector') {
    parity.push({
      path: 'vectorStore.engine',
      cloud: 'both',
      realisedAs:
        `Aurora Serverless v2 scaling ${compute.aws.minCapacityAcu}–${compute.aws.maxCapacityAcu} ACU (up to ${compute.memoryGiB} GiB), billed by the ACU-hour used; ` +
        `AlloyDB with ${compute.gcp.cpuCount} vCPUs (${compute.memoryGiB} GiB) provisioned, billed whether used or not`,
      reason: 'Aurora Serverless v2 sizes itself between a floor and a ceiling; AlloyDB instances have a fixed machine size',
    });
  }
  return {
    engine: v.engine,
    dimensions: v.dimensions,
    metric: v.metric,
    index: v.index,
    expectedVectors: v.expectedVectors,
    queriesPerSecond: v.queriesPerSecond,
    updateMode: v.updateMode,
    replicas,
    database:
      v.engine === 'pgvector'
        ? {
            backupRetentionDays: backupDays,
            pointInTimeRecoveryDays: backupDays,
            highAvailability: replicas.min >= 2,
            memoryGiB: compute.memoryGiB,
            aws: compute.aws,
            gcp: { ...compute.gcp, ...databaseNames },
          }
        : undefined,
    aws: {
      collectionName: fitName([names.topology, names.environment, 'vectors'], AWS_NAMING.opensearchCollection),
      indexName: 'embeddings',
      standbyReplicas: replicas.min >= 2,
      spaceType,
    },
    gcp: {
      ...gcpNames,
      // Vertex recommends dot product over unit-normalised vectors for cosine: the same ranking, faster.
      distanceMeasureType: v.metric === 'euclidean' ? 'SQUARED_L2_DISTANCE' : 'DOT_PRODUCT_DISTANCE',
      featureNormType: v.metric === 'cosine' ? 'UNIT_L2_NORM' : 'NONE',
      indexUpdateMethod: v.updateMode === 'streaming' ? 'STREAM_UPDATE' : 'BATCH_UPDATE',
      shardSize: shard.size,
      machineType: shard.machineType,
      shards: shard.shards,
    },
  };
}

/**
 * Vector Search shard sizes with their capacity and serving machine ([V] Vertex AI REST reference,
 * IndexConfig.ShardSize: SMALL 2 GiB on e2-standard-2, MEDIUM 20 GiB on e2-standard-16, LARGE
 * 50 GiB on e2-highmem-16).
 */
export const VECTOR_SEARCH_SHARD_SIZES = [
  { size: 'SHARD_SIZE_SMALL', gib: 2, machineType: 'e2-standard-2' },
  { size: 'SHARD_SIZE_MEDIUM', gib: 20, machineType: 'e2-standard-16' },
  { size: 'SHARD_SIZE_LARGE', gib: 50, machineType: 'e2-highmem-16' },
] as const;

/** [U] Shards per index beyond which the next size up is used: few shards keep fan-out and node count low. */
export const MAX_SHARDS_PER_SIZE = 8;

/** [U] Index size: float32 embeddings, 4 bytes per dimension; restricts and ids not counted. */
export function vectorIndexGiB(v: Pick<VectorStoreSpec, 'dimensions' | 'expectedVectors'>): number {
  return (4 * v.dimensions * v.expectedVectors) / 2 ** 30;
}

/** The smallest shard size that holds the index in at most MAX_SHARDS_PER_SIZE shards (else the largest). */
function vectorSearchShard(v: VectorStoreSpec): { size: VectorSearchShardSize; machineType: string; shards: number } {
  const gib = vectorIndexGiB(v);
  const fits = VECTOR_SEARCH_SHARD_SIZES.find((s) => Math.ceil(gib / s.gib) <= MAX_SHARDS_PER_SIZE) ?? VECTOR_SEARCH_SHARD_SIZES[2];
  return { size: fits.size, machineType: fits.machineType, shards: Math.max(1, Math.ceil(gib / fits.gib)) };
}

/**
 * Dead letters are kept 14 days, the most SQS allows (Pub/Sub allows 31): a redriven message keeps
 * its original enqueue time on SQS, so the dead-letter queue keeps the maximum to leave time to look.
 */
export const DEAD_LETTER_RETENTION_HOURS = 336;

function resolveQueue(q: QueueSpec, names: Names): ResolvedQueue {
  const generated = queueResourceNames(names.topology, names.environment, q.name);
  return {
    name: q.name,
    purpose: q.purpose,
    maxDeliveryAttempts: q.maxDeliveryAttempts,
    retentionHours: q.retentionHours,
    ackTimeoutSeconds: q.ackTimeoutSeconds,
    deadLetterRetentionHours: DEAD_LETTER_RETENTION_HOURS,
    deadLetterAlarmEvaluation: DEAD_LETTER_ALARM_EVALUATION,
    aws: { queueName: generated.sqsQueues.queue, deadLetterQueueName: generated.sqsQueues.deadLetter },
    gcp: {
      topicName: generated.pubsubTopics.topic,
      subscriptionName: generated.pubsubSubscriptions.subscription,
      deadLetterTopicName: generated.pubsubTopics.deadLetter,
      deadLetterSubscriptionName: generated.pubsubSubscriptions.deadLetter,
      minimumBackoffSeconds: 10,
      maximumBackoffSeconds: 600,
      ...gcpQueueNames(names.topology, names.environment, q.name),
    },
  };
}
