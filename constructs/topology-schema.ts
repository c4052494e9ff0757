/**
 * The topology spec: what a user writes. One zod schema is the source of truth for the types,
 * the validation and the JSON Schema editors use for completion.
 *
 * Neutral names use neither vendor's vocabulary. Ranges are the intersection of what both
 * clouds accept, so a valid topology deploys on both (sources in the comments).
 * Defaults that depend on the environment (replica floors, rollout strategy, multi-zone,
 * retention) are left unset here and decided by `resolveTopology`.
 */
import { z } from 'zod';
import { ACCELERATOR_TYPES, concurrencyOnShape, shapeForRequest, type InstanceShape } from './instance-shapes';
import { queueResourceNames } from './naming';
import { defaultRolloutStrategy, rolloutProblems } from './rollout-rules';
import { SERVERLESS_LIMITS, serverlessProblems, type ServerlessRuleField } from './serverless-rules';

const resourceName = z
  .string()
  .regex(/^[a-z](?:-?[a-z0-9])*$/, 'lowercase letters, digits and single hyphens, starting with a letter')
  .max(24);

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1');
const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a Google Cloud region such as us-central1');

/** Per-cloud strings: container images and model artifacts live in each cloud's own registry and storage. */
const imageRefs = z.strictObject({
  aws: z
    .string()
    .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[^\s]+$/, 'an ECR image URI (SageMaker pulls from ECR)'),
  gcp: z
    .string()
    .regex(/^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)\/[^\s]+$/, 'an Artifact Registry or gcr.io image URI'),
});

const artifactRefs = z.strictObject({
  aws: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'an s3:// URI'),
  gcp: z.string().regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]\/.*$/, 'a gs:// URI'),
});

export const FRAMEWORKS = ['sklearn', 'xgboost', 'pytorch', 'tensorflow', 'onnx', 'huggingface', 'custom'] as const;

export const modelSchema = z.strictObject({
  image: imageRefs,
  artifact: artifactRefs.optional(),
  framework: z.enum(FRAMEWORKS).default('custom'),
  /** Environment variables for the serving container. */
  environment: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'UPPER_SNAKE_CASE'), z.string().max(1024)).default({}),
  /** Container port. SageMaker always uses 8080 (SageMaker container contract); Vertex is told this port. */
  port: z.literal(8080).default(8080),
  predictRoute: z.string().regex(/^\/[^\s]*$/).default('/invocations'),
  healthRoute: z.string().regex(/^\/[^\s]*$/).default('/ping'),
  /**
   * Run the container without network access. SageMaker `EnableNetworkIsolation`; containers that
   * fetch at start-up (Hugging Face hub, license servers) must turn it off.
   */
  networkIsolation: z.boolean().default(true),
});

const acceleratorSchema = z.strictObject({
  type: z.enum(ACCELERATOR_TYPES),
  count: z.number().int().min(1).max(8).default(1),
});

const instanceOverrides = z.strictObject({
  aws: z.string().regex(/^ml\.[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+$/, 'a SageMaker instance type such as ml.m5.xlarge or ml.p6-b200.48xlarge').optional(),
  gcp: z
    .strictObject({
      machineType: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, 'a Compute Engine machine type such as n1-standard-4'),
      acceleratorType: z
        .enum(['NVIDIA_TESLA_T4', 'NVIDIA_L4', 'NVIDIA_TESLA_A100', 'NVIDIA_A100_80GB', 'NVIDIA_H100_80GB'])
        .optional(),
      acceleratorCount: z.number().int().min(0).max(8).default(0),
    })
    .optional(),
});

export const computeSchema = z.strictObject({
  cpus: z.number().int().min(1).max(192).optional(),
  memoryGiB: z.number().positive().max(2048).optional(),
  accelerator: acceleratorSchema.default({ type: 'none', count: 1 }),
  /** Explicit per-cloud instance types; each replaces the catalog's choice on its cloud only. */
  instanceType: instanceOverrides.optional(),
});

type ComputeInput = z.output<typeof computeSchema>;

/**
 * Why no catalog shape can serve a compute request. A shape is needed even with explicit instance
 * types: the simulator and the cost model reason about its hardware class.
 */
function computeProblem(c: ComputeInput): string | undefined {
  if (shapeForRequest(c)) return undefined;
  const accelerator = c.accelerator.type === 'none' ? { type: 'none' as const, count: 0 } : c.accelerator;
  return `no catalog shape has ${c.cpus ?? 'any'} vCPUs, ${c.memoryGiB ?? 'any'} GiB and ${
    accelerator.type === 'none' ? 'no accelerator' : `${accelerator.count} × ${accelerator.type}`
  }; the catalog is listed by \`serving-stacks shapes\``;
}

export const SCALING_METRICS = ['concurrency', 'invocations', 'cpu', 'gpu'] as const;

/** The most replicas one variant may scale to. */
export const MAX_REPLICAS = 100;

/** Instances a variant keeps when the topology gives no `scaling.min`: two in production (one per zone, SRV-01), else one. */
export function defaultMinInstances(production: boolean): number {
  return production ? 2 : 1;
}

/** SageMaker AsyncInferenceClientConfig MaxConcurrentInvocationsPerInstance: 1–1000 (SageMaker API reference). */
export const MAX_ASYNC_INVOCATIONS_PER_INSTANCE = 1000;

export const scalingSchema = z
  .strictObject({
    min: z.number().int().min(1).max(MAX_REPLICAS).optional(),
    max: z.number().int().min(1).max(MAX_REPLICAS).optional(),
    target: z
      .strictObject({
        /**
         * concurrency: in-flight requests per replica; invocations: requests per replica per minute;
         * cpu / gpu: utilisation percent.
         */
        metric: z.enum(SCALING_METRICS),
        value: z.number().positive(),
      })
      .default({ metric: 'invocations', value: 600 }),
    /** SageMaker target tracking defaults both cooldowns to 300 s (Application Auto Scaling reference). */
    scaleInCooldownSeconds: z.number().int().min(0).max(3600).default(300),
    scaleOutCooldownSeconds: z.number().int().min(0).max(3600).default(300),
    /** Measured single-replica capacity (`serving-stacks loadtest --find-capacity`). */
    maxRequestsPerSecondPerReplica: z.number().positive().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.min !== undefined && s.max !== undefined && s.min > s.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `must be <= max (${s.max})` });
    }
    if ((s.target.metric === 'cpu' || s.target.metric === 'gpu') && s.target.value > 100) {
      ctx.addIssue({ code: 'custom', path: ['target', 'value'], message: 'utilisation targets are percentages in (0, 100]' });
    }
    // Vertex's AutoscalingMetricSpec.target is an integer; SageMaker's in-flight target may be fractional.
    if (s.target.metric !== 'concurrency' && !Number.isInteger(s.target.value)) {
      ctx.addIssue({ code: 'custom', path: ['target', 'value'], message: `${s.target.metric} targets are whole numbers (Vertex AutoscalingMetricSpec.target is an integer)` });
    }
  });

export const variantSchema = z.strictObject({
  name: resourceName,
  /** Percent of traffic; the weights of an endpoint sum to 100 (Vertex trafficSplit must). */
  weight: z.number().int().min(0).max(100),
  model: modelSchema.optional(),
  compute: computeSchema.optional(),
});

export const ROLLOUT_STRATEGIES = ['all-at-once', 'canary', 'linear', 'blue-green'] as const;

export const rolloutSchema = z.strictObject({
  strategy: z.enum(ROLLOUT_STRATEGIES).optional(),
  /** Percent of capacity moved per step (canary: the first step; linear: every step). */
  stepPercent: z.number().int().min(1).max(99).default(10),
  /** Seconds each step bakes before the next (SageMaker WaitIntervalInSeconds 0–3600). */
  bakeSeconds: z.number().int().min(0).max(3600).default(600),
  /** Roll back when an endpoint alarm fires during the rollout. */
  autoRollback: z.boolean().default(true),
});

export const ENDPOINT_MODES = ['realtime', 'serverless', 'async'] as const;

export const endpointSchema = z
  .strictObject({
    name: resourceName,
    model: modelSchema,
    compute: computeSchema.default({ accelerator: { type: 'none', count: 1 } }),
    mode: z.enum(ENDPOINT_MODES).default('realtime'),
    scaling: scalingSchema.default({
      target: { metric: 'invocations', value: 600 },
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 300,
    }),
    variants: z.array(variantSchema).min(1).max(10).optional(),
    rollout: rolloutSchema.default({ stepPercent: 10, bakeSeconds: 600, autoRollback: true }),
    dataCapture: z
      .strictObject({
        samplingPercent: z.number().int().min(1).max(100),
      })
      .optional(),
    slo: z
      .strictObject({
        p99Ms: z.number().positive().max(60_000).default(250),
        errorRate: z.number().min(0).max(1).default(0.01),
      })
      .default({ p99Ms: 250, errorRate: 0.01 }),
    /** Serverless mode: SageMaker ServerlessConfig (`SERVERLESS_LIMITS`). */
    serverless: z
      .strictObject({
        memoryGiB: z.union(SERVERLESS_LIMITS.memorySizesGiB.map((gib) => z.literal(gib)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]]),
        maxConcurrency: z.number().int().min(SERVERLESS_LIMITS.maxConcurrency.min).max(SERVERLESS_LIMITS.maxConcurrency.max),
      })
      .optional(),
    /**
     * Service-time model of one replica on the reference shape of its family, used by the emulator
     * and the simulator. Measured numbers (loadtest --find-capacity) belong here.
     */
    performance: z
      .strictObject({
        serviceTimeMs: z.number().positive().max(60_000),
        concurrencyPerReplica: z.number().int().min(1).max(1024),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const computes: [ComputeInput, PropertyKey[]][] = [[e.compute, ['compute']]];
    e.variants?.forEach((v, i) => v.compute && computes.push([v.compute, ['variants', i, 'compute']]));
    for (const [compute, path] of computes) {
      const problem = computeProblem(compute);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
    }
    // One autoscaling rule serves every variant, so variants share the endpoint's accelerator class.
    const gpu = e.compute.accelerator.type !== 'none';
    e.variants?.forEach((v, i) => {
      if (v.compute && (v.compute.accelerator.type !== 'none') !== gpu) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'compute', 'accelerator', 'type'],
          message: `variants of an endpoint run on the same kind of hardware as the endpoint (${gpu ? 'a GPU' : 'CPU only'}); put a ${gpu ? 'CPU' : 'GPU'} model in its own endpoint`,
        });
      }
    });
    if (e.mode === 'async') {
      // Async endpoints publish no Invocations metric (SageMaker Developer Guide, "Alarms and logs for
      // tracking metrics from asynchronous endpoints"), so an invocations target would never move.
      if (e.scaling.target.metric === 'invocations') {
        ctx.addIssue({
          code: 'custom',
          path: ['scaling', 'target', 'metric'],
          message:
            'async endpoints publish no Invocations metric to scale on: use concurrency (queued requests per instance, SageMaker ApproximateBacklogSizePerInstance) or cpu/gpu',
        });
      }
      // The per-replica concurrency becomes MaxConcurrentInvocationsPerInstance, scaled to each variant's shape.
      if (e.performance) {
        const reference = e.performance.concurrencyPerReplica;
        const fastest = computes
          .map(([c]) => shapeForRequest(c))
          .reduce<InstanceShape | undefined>((a, b) => (b && (!a || b.relativeSpeed > a.relativeSpeed) ? b : a), undefined);
        if (fastest && concurrencyOnShape(reference, fastest) > MAX_ASYNC_INVOCATIONS_PER_INSTANCE) {
          ctx.addIssue({
            code: 'custom',
            path: ['performance', 'concurrencyPerReplica'],
            message: `an async endpoint passes it to SageMaker as MaxConcurrentInvocationsPerInstance (1–${MAX_ASYNC_INVOCATIONS_PER_INSTANCE}), scaled to each variant's shape, and on ${fastest.aws.instanceType} it becomes ${concurrencyOnShape(reference, fastest)}: must be <= ${Math.floor(MAX_ASYNC_INVOCATIONS_PER_INSTANCE / fastest.relativeSpeed)}`,
          });
        }
      }
    }
    if (e.scaling.target.metric === 'gpu' && !gpu) {
      ctx.addIssue({ code: 'custom', path: ['scaling', 'target', 'metric'], message: 'gpu scaling needs an accelerator (compute.accelerator)' });
    }
    // SageMaker sums utilisation over an instance's cores or GPUs; the count is known only for catalog shapes.
    const overridden = [e.compute, ...(e.variants ?? []).map((v) => v.compute)].some((c) => c?.instanceType?.aws);
    if ((e.scaling.target.metric === 'cpu' || e.scaling.target.metric === 'gpu') && overridden) {
      ctx.addIssue({
        code: 'custom',
        path: ['scaling', 'target', 'metric'],
        message: `${e.scaling.target.metric} scaling cannot be combined with compute.instanceType.aws: SageMaker sums utilisation over the instance's cores, which only catalog shapes define; scale on invocations or concurrency`,
      });
    }
    if (e.variants) {
      const total = e.variants.reduce((sum, v) => sum + v.weight, 0);
      if (total !== 100) {
        ctx.addIssue({ code: 'custom', path: ['variants'], message: `variant weights must sum to 100, got ${total}` });
      }
      const seen = new Set<string>();
      e.variants.forEach((v, i) => {
        if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: 'duplicate variant name' });
        seen.add(v.name);
      });
    }
    const serverlessPaths: Record<ServerlessRuleField, PropertyKey[]> = {
      serverless: ['serverless'],
      variants: ['variants'],
      dataCapture: ['dataCapture'],
      accelerator: ['compute', 'accelerator', 'type'],
    };
    const serverless = serverlessProblems({
      mode: e.mode,
      hasServerlessConfig: e.serverless !== undefined,
      variantCount: e.variants?.length ?? 1,
      capturesData: e.dataCapture !== undefined,
      accelerated: gpu,
    });
    for (const problem of serverless) ctx.addIssue({ code: 'custom', path: serverlessPaths[problem.field], message: problem.message });
  });

export const featureCacheSchema = z.strictObject({
  engine: z.enum(['valkey', 'redis']).default('valkey'),
  /** serverless: ElastiCache Serverless ⇔ Memorystore sized to fit; nodes: a replication group ⇔ Memorystore nodes. */
  deployment: z.enum(['serverless', 'nodes']).default('serverless'),
  memoryGiB: z.number().positive().max(5000),
  /** Read replicas per shard; decided per environment when unset. */
  replicas: z.number().int().min(0).max(5).optional(),
  /** Spread across zones; decided per environment when unset. */
  multiZone: z.boolean().optional(),
  /** Maximum processing rate, in thousands of ElastiCache ECPUs per second; bounds serverless cost. */
  maxKiloEcpuPerSecond: z.number().int().min(1).max(15_000).optional(),
  defaultTtlSeconds: z.number().int().min(1).max(2_592_000).default(86_400),
}).refine((c) => !(c.multiZone === true && c.replicas === 0), {
  path: ['replicas'],
  message: 'a multi-zone cache needs at least 1 replica to hold a copy in another zone',
});

/** pgvector's HNSW limits, the same on Aurora and AlloyDB (pgvector README, "HNSW"). */
export const PGVECTOR_LIMITS = { dimensions: 2000, efConstruction: 1000, efSearch: 1000 } as const;

export const vectorStoreSchema = z.strictObject({
  /** managed: OpenSearch Serverless ⇔ Vertex AI Vector Search. pgvector: Aurora PostgreSQL ⇔ AlloyDB. */
  engine: z.enum(['managed', 'pgvector']).default('managed'),
  dimensions: z.number().int().min(2).max(16_000),
  metric: z.enum(['cosine', 'dot-product', 'euclidean']).default('cosine'),
  index: z
    .strictObject({
      /** HNSW graph degree (OpenSearch `m`, pgvector `m`). */
      m: z.number().int().min(2).max(100).default(16),
      efConstruction: z.number().int().min(2).max(4096).default(512),
      efSearch: z.number().int().min(2).max(4096).default(512),
      /** Tree-AH leaf size (Vertex `leafNodeEmbeddingCount`). */
      leafNodeEmbeddingCount: z.number().int().min(100).max(100_000).default(1000),
      leafNodesToSearchPercent: z.number().int().min(1).max(100).default(10),
      approximateNeighborsCount: z.number().int().min(1).max(10_000).default(150),
    })
    .default({ m: 16, efConstruction: 512, efSearch: 512, leafNodeEmbeddingCount: 1000, leafNodesToSearchPercent: 10, approximateNeighborsCount: 150 }),
  expectedVectors: z.number().int().min(1).default(1_000_000),
  queriesPerSecond: z.number().positive().default(50),
  updateMode: z.enum(['streaming', 'batch']).default('streaming'),
  /** Serving replicas (Vertex deployed index) / standby replicas (OpenSearch); decided per environment when unset. */
  replicas: z
    .strictObject({ min: z.number().int().min(1).max(100), max: z.number().int().min(1).max(1000) })
    .refine((r) => r.min <= r.max, { path: ['min'], message: 'must be <= max' })
    .optional(),
}).superRefine((v, ctx) => {
  if (v.engine !== 'pgvector') return;
  const limits = [
    [['dimensions'], v.dimensions, PGVECTOR_LIMITS.dimensions, 'pgvector HNSW indexes take at most'],
    [['index', 'efConstruction'], v.index.efConstruction, PGVECTOR_LIMITS.efConstruction, 'pgvector ef_construction is at most'],
    [['index', 'efSearch'], v.index.efSearch, PGVECTOR_LIMITS.efSearch, 'pgvector hnsw.ef_search is at most'],
  ] as const;
  for (const [path, value, limit, what] of limits) {
    if (value > limit) ctx.addIssue({ code: 'custom', path: [...path], message: `${what} ${limit}` });
  }
});

export const QUEUE_PURPOSES = ['async-inference', 'embedding-refresh', 'events'] as const;

export const queueSchema = z.strictObject({
  name: resourceName,
  purpose: z.enum(QUEUE_PURPOSES),
  /** Deliveries before a message is dead-lettered. Pub/Sub allows 5–100, SQS maxReceiveCount 1–1000. */
  maxDeliveryAttempts: z.number().int().min(5).max(100).default(5),
  /** Message retention. SQS allows up to 14 days, Pub/Sub up to 31: both take 1–336 hours. */
  retentionHours: z.number().int().min(1).max(336).default(96),
  /** Time a consumer has before redelivery: SQS visibility timeout, Pub/Sub ack deadline (10–600 s). */
  ackTimeoutSeconds: z.number().int().min(10).max(600).default(60),
});

const networkSchema = z.strictObject({
  /** Everything in private subnets / Private Service Connect. Public serving is not offered. */
  private: z.literal(true).default(true),
  existing: z
    .strictObject({
      aws: z
        .strictObject({
          vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/),
          availabilityZones: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/)).min(2).max(6),
          privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/)).min(2).max(6),
        })
        // CDK imports a VPC's subnets zone by zone (Vpc.fromVpcAttributes).
        .refine((v) => v.privateSubnetIds.length % v.availabilityZones.length === 0, {
          path: ['privateSubnetIds'],
          message: 'give the same number of private subnets in every availability zone (a multiple of availabilityZones)',
        })
        .optional(),
      gcp: z
        .strictObject({
          network: z.string().regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/global\/networks\/[a-z](?:[-a-z0-9]*[a-z0-9])?$/),
          subnetwork: z
            .string()
            .regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/regions\/[a-z0-9-]+\/subnetworks\/[a-z](?:[-a-z0-9]*[a-z0-9])?$/),
        })
        .optional(),
    })
    .optional(),
});

const monitoringSchema = z.strictObject({
  alarmEmails: z.array(z.email()).max(10).default([]),
});

const tagKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, starting with a letter (GCP label rules)');
const tagValue = z.string().regex(/^[a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (GCP label rules)');

export const topologySchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: resourceName.max(16),
    /** Environment name; dev, staging and prod have preset semantics. */
    environment: z.string().regex(/^[a-z][a-z0-9]{0,9}$/, 'lowercase letters and digits, at most 10'),
    /** Production guardrails apply (replica floors, guarded rollouts, retained data); defaults to environment == prod. */
    production: z.boolean().optional(),
    regions: z.strictObject({ aws: awsRegion, gcp: gcpRegion }),
    tags: z.record(tagKey, tagValue).default({}),
    endpoints: z.array(endpointSchema).min(1).max(20),
    featureCache: featureCacheSchema.optional(),
    vectorStore: vectorStoreSchema.optional(),
    queues: z.array(queueSchema).max(20).default([]),
    network: networkSchema.default({ private: true }),
    monitoring: monitoringSchema.default({ alarmEmails: [] }),
  })
  .superRefine((t, ctx) => {
    const unique = (names: string[], path: string) =>
      names.forEach((n, i) => {
        if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: [path, i, 'name'], message: `duplicate ${path} name` });
      });
    unique(
      t.endpoints.map((e) => e.name),
      'endpoints',
    );
    unique(
      t.queues.map((q) => q.name),
      'queues',
    );
    // Generated names must not collide: queue `a-dlq` would take the name of queue `a`'s dead-letter queue.
    const taken = new Map<string, number>();
    t.queues.forEach((q, i) => {
      const names = Object.entries(queueResourceNames(t.name, t.environment, q.name)).flatMap(([service, byRole]) =>
        Object.values(byRole).map((name) => ({ key: `${service}:${name}`, name })),
      );
      const clash = names.find(({ key }) => taken.has(key) && taken.get(key) !== i);
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['queues', i, 'name'],
          message: `gives ${clash.name}, a name queue "${t.queues[taken.get(clash.key) as number].name}" already uses for itself or its dead letters; pick another name`,
        });
      }
      for (const { key } of names) if (!taken.has(key)) taken.set(key, i);
    });
    const existingAws = t.network.existing?.aws;
    existingAws?.availabilityZones.forEach((zone, i) => {
      if (!zone.startsWith(t.regions.aws)) {
        ctx.addIssue({ code: 'custom', path: ['network', 'existing', 'aws', 'availabilityZones', i], message: `must be a zone of regions.aws (${t.regions.aws})` });
      }
    });
    // Both clouds carry async requests and results on this queue: SageMaker notifies it, Vertex is fed from it.
    const asyncIndex = t.endpoints.findIndex((e) => e.mode === 'async');
    if (asyncIndex >= 0 && !t.queues.some((q) => q.purpose === 'async-inference')) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints', asyncIndex, 'mode'],
        message: 'an async endpoint needs a queue with purpose async-inference (queues[]) to carry its requests and results',
      });
    }
    const production = t.production ?? t.environment === 'prod';
    t.endpoints.forEach((e, i) => {
      const minInstances = e.scaling.min ?? defaultMinInstances(production);
      const strategy = e.rollout.strategy ?? defaultRolloutStrategy(production, t.environment);
      for (const problem of rolloutProblems(e.mode, { ...e.rollout, strategy }, minInstances, e.rollout.strategy)) {
        ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'rollout', problem.field], message: problem.message });
      }
    });
    if (!production) return;
    t.endpoints.forEach((e, i) => {
      // Serverless endpoints too: Vertex realises them as dedicated replicas.
      for (const bound of ['min', 'max'] as const) {
        const value = e.scaling[bound];
        if (value !== undefined && value < 2) {
          ctx.addIssue({
            code: 'custom',
            path: ['endpoints', i, 'scaling', bound],
            message: 'production endpoints need at least 2 instances, one per zone (security rule SRV-01): must be >= 2',
          });
        }
      }
      if (e.rollout.strategy === 'all-at-once' || e.rollout.strategy === 'blue-green') {
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i, 'rollout', 'strategy'],
          message: 'production endpoints shift traffic as canary or linear so an alarm can stop a bad model early (security rule DEP-01)',
        });
      }
      if (!e.rollout.autoRollback) {
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i, 'rollout', 'autoRollback'],
          message: 'production rollouts roll back on alarms (security rule DEP-02)',
        });
      }
    });
    if (t.featureCache?.multiZone === false) {
      ctx.addIssue({ code: 'custom', path: ['featureCache', 'multiZone'], message: 'production caches span zones (CACHE-03)' });
    }
  });

export type TopologyInput = z.input<typeof topologySchema>;
export type Topology = z.output<typeof topologySchema>;
export type EndpointSpec = z.output<typeof endpointSchema>;
export type ModelSpec = z.output<typeof modelSchema>;
export type ComputeSpec = z.output<typeof computeSchema>;
export type ScalingSpec = z.output<typeof scalingSchema>;
export type ScalingMetric = (typeof SCALING_METRICS)[number];
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];
export type EndpointMode = (typeof ENDPOINT_MODES)[number];
export type FeatureCacheSpec = z.output<typeof featureCacheSchema>;
export type VectorStoreSpec = z.output<typeof vectorStoreSchema>;
export type QueueSpec = z.output<typeof queueSchema>;
export type QueuePurpose = (typeof QUEUE_PURPOSES)[number];
