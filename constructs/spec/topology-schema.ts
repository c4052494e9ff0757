/**
 * The topology spec: what a user writes. One zod schema is the source of truth for the types,
 * the validation and the JSON Schema editors use for completion.
 *
 * Neutral names use neither vendor's vocabulary. Ranges are the intersection of what both
 * clouds accept, so a valid topology deploys on both (sources in the comments).
 * Defaults that depend on the environment (replica floors, rollout strategy, multi-zone,
 * retention) are left unset here and decided by `resolveTopology`.
 *
 * Every field is described once, here (`.describe`): its meaning, unit and what an unset value
 * means. The JSON Schema and the README's field table add the range and static default from the
 * schema's own checks (constructs/spec/schema-fields.ts), so none of them can drift from validation.
 */
import { z } from 'zod';
import { assumptionSet } from '../assumptions';
import { ACCELERATOR_TYPES, concurrencyOnShape, shapeForRequest, type InstanceShape } from '../catalog/instance-shapes';
import { queueResourceNames } from '../naming';
import { defaultRolloutStrategy, PROVISIONING_ALLOWANCE_SECONDS, rolloutProblems, SAGEMAKER_BLUE_GREEN_LIMITS } from '../rollout-rules';
import { copyScalingProblem, IDLE_SECONDS, scaleToZeroProblems, type ScaleToZeroRuleField } from '../scale-to-zero-rules';
import { SERVERLESS_LIMITS, serverlessProblems, type ServerlessRuleField } from '../serverless-rules';
import { pipelineProblems, pipelinesSchema } from './pipelines-schema';
import { DEFAULT_CACHE_REPLICAS, DEFAULT_MAX_INSTANCES, DEFAULT_MAX_KILO_ECPU_PER_SECOND, DEFAULT_PERFORMANCE, DEFAULT_VECTOR_STORE_REPLICAS } from './unset-defaults';

const SAGEMAKER_DEFAULT_COOLDOWN_SECONDS = assumptionSet('aws').value('cooldown.sagemaker.default-seconds');

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
    .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[^\s]+$/, 'an ECR image URI (SageMaker pulls from ECR)')
    .describe('Amazon ECR image URI SageMaker pulls: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>.'),
  gcp: z
    .string()
    .regex(/^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)\/[^\s]+$/, 'an Artifact Registry or gcr.io image URI')
    .describe('Artifact Registry (<region>-docker.pkg.dev/…) or gcr.io image URI Vertex AI pulls.'),
});

const artifactRefs = z.strictObject({
  aws: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'an s3:// URI').describe('S3 URI of the model archive (SageMaker ModelDataUrl).'),
  gcp: z.string().regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]\/.*$/, 'a gs:// URI').describe('Cloud Storage URI of the model directory (Vertex AI artifactUri).'),
});

export const FRAMEWORKS = ['sklearn', 'xgboost', 'pytorch', 'tensorflow', 'onnx', 'huggingface', 'custom'] as const;

export const modelSchema = z.strictObject({
  image: imageRefs.describe('Serving container image, one per cloud: each cloud pulls from its own registry.'),
  artifact: artifactRefs
    .optional()
    .describe('Model artifact, one per cloud, made available to the container. When unset: the image holds the model.'),
  framework: z
    .enum(FRAMEWORKS)
    .default('custom')
    .describe('Framework of the model. The local endpoints (serving-stacks emulate) answer as an embedding model for huggingface, as a ranker otherwise.'),
  environment: z
    .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'UPPER_SNAKE_CASE'), z.string().max(1024))
    .default({})
    .describe('Environment variables of the serving container: names in UPPER_SNAKE_CASE, values strings.'),
  port: z
    .literal(8080)
    .default(8080)
    .describe('Port the model server listens on: SageMaker always uses 8080 (its container contract), and Vertex AI is told the same.'),
  predictRoute: z
    .string()
    .regex(/^\/[^\s]*$/)
    .default('/invocations')
    .describe('HTTP path of the prediction route in the container (Vertex AI predictRoute; SageMaker always calls /invocations).'),
  healthRoute: z
    .string()
    .regex(/^\/[^\s]*$/)
    .default('/ping')
    .describe('HTTP path of the health check in the container (Vertex AI healthRoute; SageMaker always calls /ping).'),
  networkIsolation: z
    .boolean()
    .default(true)
    .describe(
      'Run the container without network access (SageMaker EnableNetworkIsolation). Containers that fetch at start-up (Hugging Face Hub, licence servers) must turn it off.',
    ),
});

const acceleratorSchema = z.strictObject({
  type: z.enum(ACCELERATOR_TYPES).describe('GPU model, or none for CPU only.'),
  count: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(1)
    .describe('GPUs per replica, at least. Where a cloud sells the GPU only in larger machines it rounds up, and validate warns with the monthly price.'),
});

const instanceOverrides = z.strictObject({
  aws: z
    .string()
    .regex(/^ml\.[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+$/, 'a SageMaker instance type such as ml.m5.xlarge or ml.p6-b200.48xlarge')
    .optional()
    .describe('SageMaker instance type, such as ml.m5.xlarge. When unset: the catalog shape\'s.'),
  gcp: z
    .strictObject({
      machineType: z
        .string()
        .regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, 'a Compute Engine machine type such as n1-standard-4')
        .describe('Compute Engine machine type, such as n1-standard-4.'),
      acceleratorType: z
        .enum(['NVIDIA_TESLA_T4', 'NVIDIA_L4', 'NVIDIA_TESLA_A100', 'NVIDIA_A100_80GB', 'NVIDIA_H100_80GB'])
        .optional()
        .describe('Vertex AI accelerator type. When unset: none.'),
      acceleratorCount: z.number().int().min(0).max(8).default(0).describe('Accelerators per replica.'),
    })
    .optional()
    .describe('Vertex AI machine and accelerator. When unset: the catalog shape\'s.'),
});

export const computeSchema = z.strictObject({
  cpus: z.number().int().min(1).max(192).optional().describe('vCPUs per replica, at least. When unset: any.'),
  memoryGiB: z.number().positive().max(2048).optional().describe('Memory per replica in GiB, at least. When unset: any.'),
  accelerator: acceleratorSchema.default({ type: 'none', count: 1 }).describe('GPUs per replica.'),
  instanceType: instanceOverrides
    .optional()
    .describe(
      'Explicit instance types per cloud; each replaces the catalog\'s choice on its cloud only. The catalog shape still gives the hardware class the simulator and the cost model reason about.',
    ),
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
    min: z
      .number()
      .int()
      .min(0)
      .max(MAX_REPLICAS)
      .optional()
      .describe(
        `Fewest replicas per variant, at most max. When unset: ${defaultMinInstances(true)} in production, ${defaultMinInstances(false)} otherwise. Production endpoints need at least ${defaultMinInstances(true)}, one per zone. 0 (outside production, realtime endpoints with one model): scale to zero when idle, through SageMaker inference components and Vertex AI's v1beta1 scale-to-zero; the first requests after idle fail while a replica starts.`,
      ),
    max: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .optional()
      .describe(
        `Most replicas per variant. When unset: ${DEFAULT_MAX_INSTANCES.production} in production, ${DEFAULT_MAX_INSTANCES.otherwise} otherwise, never fewer than min. Production endpoints need at least ${defaultMinInstances(true)}.`,
      ),
    target: z
      .strictObject({
        metric: z
          .enum(SCALING_METRICS)
          .describe(
            'What autoscaling tracks per replica. concurrency: in-flight requests (on an async endpoint, queued requests per instance); invocations: requests per minute; cpu, gpu: utilisation percent (gpu needs an accelerator). Async endpoints cannot scale on invocations; cpu and gpu cannot be combined with compute.instanceType.aws.',
          ),
        value: z
          .number()
          .positive()
          .describe('Value autoscaling holds the metric at, in its unit. Concurrency may be fractional; the others are whole numbers (Vertex AI takes an integer), cpu and gpu at most 100.'),
      })
      .default({ metric: 'invocations', value: 600 })
      .describe('The autoscaling target: a metric per replica and the value to hold it at.'),
    scaleInCooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(SAGEMAKER_DEFAULT_COOLDOWN_SECONDS)
      .describe(`Seconds after a scale-in before the next (SageMaker ScaleInCooldown, whose default is ${SAGEMAKER_DEFAULT_COOLDOWN_SECONDS} s: assumption cooldown.sagemaker.default-seconds). Vertex AI takes none: it waits out a 5-minute stabilisation window.`),
    scaleOutCooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(SAGEMAKER_DEFAULT_COOLDOWN_SECONDS)
      .describe(`Seconds after a scale-out before the next (SageMaker ScaleOutCooldown, whose default is ${SAGEMAKER_DEFAULT_COOLDOWN_SECONDS} s). Vertex AI takes none.`),
    idleSeconds: z
      .number()
      .int()
      .min(IDLE_SECONDS.min)
      .max(IDLE_SECONDS.max)
      .optional()
      .describe(
        `Seconds without traffic before an endpoint at min 0 scales in to zero (Vertex AI ScaleToZeroSpec.idleScaledownPeriod). SageMaker has no idle period to set: the copy count's target tracking takes the last copy away when its managed scale-in alarm fires (a parity note says when). Only with min 0. When unset: ${IDLE_SECONDS.default} at min 0.`,
      ),
    maxRequestsPerSecondPerReplica: z
      .number()
      .positive()
      .optional()
      .describe(
        'Measured capacity of one replica, in requests per second (serving-stacks loadtest --find-capacity); the simulator and the invocation targets use it. When unset: the shape catalog\'s estimate.',
      ),
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
  name: resourceName.describe('Variant name, unique in its endpoint (SageMaker production variant, Vertex AI deployed model).'),
  weight: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe('Percent of the endpoint\'s traffic this variant serves; the weights of an endpoint sum to 100 (Vertex AI trafficSplit must).'),
  model: modelSchema.optional().describe('The model this variant serves. When unset: the endpoint\'s.'),
  compute: computeSchema
    .optional()
    .describe('Hardware of one replica of this variant, CPU or GPU like the endpoint\'s. When unset: the endpoint\'s.'),
});

export const ROLLOUT_STRATEGIES = ['all-at-once', 'canary', 'linear', 'blue-green'] as const;

const blueGreen = SAGEMAKER_BLUE_GREEN_LIMITS;

export const rolloutSchema = z.strictObject({
  strategy: z
    .enum(ROLLOUT_STRATEGIES)
    .optional()
    .describe(
      `How traffic moves to a new model. all-at-once: at once, no bake; canary: stepPercent first, the rest after a bake; linear: stepPercent per step, baking after each; blue-green: at once once the new fleet is up, then a bake with alarm rollback before the old fleet goes. Canary and linear need scaling.min of at least 2. When unset: ${defaultRolloutStrategy(true, 'prod')} in production and staging, ${defaultRolloutStrategy(false, 'dev')} otherwise. Production endpoints take canary or linear only.`,
    ),
  stepPercent: z
    .number()
    .int()
    .min(1)
    .max(99)
    .default(10)
    .describe(
      `Percent of a variant's instances moved per step: a canary's first step, every linear step. SageMaker takes a canary of at most ${blueGreen.maxCanaryPercent} % and linear steps of ${blueGreen.linearPercent.min}–${blueGreen.linearPercent.max} %.`,
    ),
  bakeSeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(600)
    .describe(
      `Seconds each step bakes, watched by the alarms, before the next (SageMaker WaitIntervalInSeconds); the old fleet is kept as long after the last step, up to ${blueGreen.maxTerminationWaitSeconds} s. All bakes, that wait and ${PROVISIONING_ALLOWANCE_SECONDS} s to provision must fit SageMaker's ${blueGreen.executionTimeoutSeconds.max}-second execution timeout.`,
    ),
  autoRollback: z
    .boolean()
    .default(true)
    .describe('Roll back when an endpoint alarm fires during the rollout (SageMaker AutoRollbackConfiguration; Vertex AI has no alarm-driven rollback). Production rollouts must.'),
});

/** Compute one copy of a model needs on a shared instance (SageMaker InferenceComponentComputeResourceRequirements). */
export const copyComputeSchema = z.strictObject({
  acceleratorCount: z
    .number()
    .int()
    .min(0)
    .max(8)
    .default(0)
    .describe('GPUs one copy of the model needs (SageMaker NumberOfAcceleratorDevicesRequired); at least 1 on a GPU pool, at most the shape\'s GPUs.'),
  memoryGiB: z.number().positive().max(2048).describe('Memory one copy of the model needs, in GiB (SageMaker MinMemoryRequiredInMb), at most the shape\'s.'),
  cpus: z
    .number()
    .min(0.25)
    .max(192)
    .default(1)
    .describe('vCPUs one copy of the model needs (SageMaker NumberOfCpuCoresRequired, in quarter cores), at most the shape\'s.'),
});

export const sharingSchema = z.strictObject({
  pool: resourceName.describe(
    'Name of the instance pool: endpoints naming the same pool run on the same instances (SageMaker: one endpoint hosting one inference component per model; Vertex AI: a deployment resource pool when every member runs the same Vertex prebuilt TensorFlow or PyTorch container, else dedicated replicas per model, a parity note). Members have the same compute, mode realtime and one model each.',
  ),
  compute: copyComputeSchema.describe('What one copy of this endpoint\'s model takes of a pool instance.'),
});

export const ENDPOINT_MODES = ['realtime', 'serverless', 'async'] as const;

export const endpointSchema = z
  .strictObject({
    name: resourceName.describe('Endpoint name, unique in the topology; part of its cloud resource names (<topology>-<environment>-<endpoint>).'),
    model: modelSchema.describe('The model this endpoint serves: container image, artifact and how to call it.'),
    compute: computeSchema
      .default({ accelerator: { type: 'none', count: 1 } })
      .describe(
        'Hardware of one replica, cloud-neutral: each cloud runs its smallest catalog shape with at least these vCPUs, memory and GPUs (serving-stacks shapes lists the catalog).',
      ),
    mode: z
      .enum(ENDPOINT_MODES)
      .default('realtime')
      .describe(
        'realtime: synchronous requests on dedicated replicas. serverless: SageMaker Serverless Inference, CPU only (needs serverless; Vertex AI runs dedicated replicas). async: queued requests, results on the topology\'s async-inference queue (SageMaker asynchronous inference; Vertex AI serves in real time fed from the queue).',
      ),
    scaling: scalingSchema
      .default({
        target: { metric: 'invocations', value: 600 },
        scaleInCooldownSeconds: SAGEMAKER_DEFAULT_COOLDOWN_SECONDS,
        scaleOutCooldownSeconds: SAGEMAKER_DEFAULT_COOLDOWN_SECONDS,
      })
      .describe('Autoscaling of each variant\'s replicas (SageMaker target tracking, Vertex AI autoscaling metric specs).'),
    variants: z
      .array(variantSchema)
      .min(1)
      .max(10)
      .optional()
      .describe(
        'A/B traffic split across models or hardware behind the endpoint; weights sum to 100, names are unique, serverless endpoints take one. When unset: one variant, primary, with all traffic.',
      ),
    rollout: rolloutSchema
      .default({ stepPercent: 10, bakeSeconds: 600, autoRollback: true })
      .describe('How a new model replaces the running one: SageMaker blue/green deployment guardrails; on Vertex AI, traffic shifted in the same steps.'),
    sharing: sharingSchema
      .optional()
      .describe('Place this endpoint\'s model on an instance pool shared with other endpoints, with per-model compute requirements. When unset: the endpoint has its own instances.'),
    dataCapture: z
      .strictObject({
        samplingPercent: z.number().int().min(1).max(100).describe('Percent of requests captured, with their responses.'),
      })
      .optional()
      .describe('Request and response capture: SageMaker data capture to S3, Vertex AI request-response logging to BigQuery. Not on serverless endpoints. When unset: none.'),
    slo: z
      .strictObject({
        p99Ms: z.number().positive().max(60_000).default(250).describe('Objective for the 99th-percentile model latency, in milliseconds.'),
        errorRate: z
          .number()
          .min(0)
          .max(1)
          .default(0.01)
          .describe('Objective for the fraction of requests that fail (5XX, or failed async requests), from 0 to 1.'),
      })
      .default({ p99Ms: 250, errorRate: 0.01 })
      .describe('Service-level objective: the endpoint\'s alarms (and so rollout rollbacks) and the simulator\'s SLO minutes use it.'),
    traffic: z
      .strictObject({
        peakRequestsPerSecond: z
          .number()
          .positive()
          .max(1_000_000)
          .describe("The endpoint's busiest rate, requests/s: the peak of the traffic profile that simulate, compare and loadtest play (a breaking-news spike's top)."),
      })
      .optional()
      .describe('Traffic this endpoint is expected to take. `--peak-rps` overrides it; without either, the peak is derived from capacity (half of max replicas at their measured capacity).'),
    serverless: z
      .strictObject({
        memoryGiB: z
          .union(SERVERLESS_LIMITS.memorySizesGiB.map((gib) => z.literal(gib)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
          .describe(`Memory of the serverless endpoint in GiB (SageMaker MemorySizeInMB ${SERVERLESS_LIMITS.memorySizesGiB[0] * 1024}–${SERVERLESS_LIMITS.memorySizesGiB.at(-1)! * 1024}, in 1024 MB steps).`),
        maxConcurrency: z
          .number()
          .int()
          .min(SERVERLESS_LIMITS.maxConcurrency.min)
          .max(SERVERLESS_LIMITS.maxConcurrency.max)
          .describe('Most requests served at once (SageMaker MaxConcurrency).'),
      })
      .optional()
      .describe('Serverless capacity (SageMaker ServerlessConfig): required when mode is serverless, and allowed only then.'),
    performance: z
      .strictObject({
        serviceTimeMs: z.number().positive().max(60_000).describe('Time one request takes on the reference shape, in milliseconds.'),
        concurrencyPerReplica: z
          .number()
          .int()
          .min(1)
          .max(1024)
          .describe(
            `Requests one replica of the reference shape works on at once, scaled to each variant's shape by its speed. On an async endpoint it becomes SageMaker MaxConcurrentInvocationsPerInstance, which must stay at most ${MAX_ASYNC_INVOCATIONS_PER_INSTANCE} once scaled.`,
          ),
      })
      .optional()
      .describe(
        `Service-time model of one replica on the reference shape of its family, for the local endpoints and the simulator; measured numbers (loadtest --find-capacity) belong here. When unset: ${DEFAULT_PERFORMANCE.cpu.serviceTimeMs} ms and ${DEFAULT_PERFORMANCE.cpu.concurrencyPerReplica} at once on CPU, ${DEFAULT_PERFORMANCE.gpu.serviceTimeMs} ms and ${DEFAULT_PERFORMANCE.gpu.concurrencyPerReplica} at once on GPU.`,
      ),
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
    if (e.sharing) {
      for (const problem of sharingProblems(e)) ctx.addIssue({ code: 'custom', path: ['sharing', ...problem.path], message: problem.message });
      // At min 0 the scale-to-zero rules report it.
      const metricProblem = e.scaling.min === 0 ? undefined : copyScalingProblem(e.scaling.target.metric);
      if (metricProblem) ctx.addIssue({ code: 'custom', path: ['scaling', 'target', 'metric'], message: metricProblem });
    }
  });

/** How a pool member breaks the sharing rules: its own mode and variants, and whether one copy fits one instance. */
function sharingProblems(e: { mode: EndpointMode; variants?: unknown[]; compute: ComputeInput; sharing?: z.output<typeof sharingSchema> }): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  if (!e.sharing) return problems;
  if (e.mode !== 'realtime') {
    problems.push({ path: ['pool'], message: `pools host realtime endpoints (SageMaker inference components, Vertex AI deployment resource pools); got mode ${e.mode}` });
  }
  if (e.variants && e.variants.length > 1) {
    problems.push({ path: ['pool'], message: `a pool member serves one model (one inference component, one deployed model); got ${e.variants.length} variants` });
  }
  const shape = shapeForRequest(e.compute);
  if (!shape) return problems;
  const copy = e.sharing.compute;
  if (shape.accelerator.type !== 'none' && copy.acceleratorCount < 1) {
    problems.push({ path: ['compute', 'acceleratorCount'], message: `the pool runs on ${shape.accelerator.count} × ${shape.accelerator.type} (${shape.id}): a copy needs at least 1 GPU, got 0` });
  }
  if (copy.acceleratorCount > shape.accelerator.count) {
    problems.push({ path: ['compute', 'acceleratorCount'], message: `must be <= ${shape.accelerator.count}, the GPUs of one ${shape.id} instance; got ${copy.acceleratorCount}` });
  }
  if (copy.memoryGiB > shape.memoryGiB) {
    problems.push({ path: ['compute', 'memoryGiB'], message: `must be <= ${shape.memoryGiB}, the memory of one ${shape.id} instance; got ${copy.memoryGiB}` });
  }
  if (copy.cpus > shape.vcpus) {
    problems.push({ path: ['compute', 'cpus'], message: `must be <= ${shape.vcpus}, the vCPUs of one ${shape.id} instance; got ${copy.cpus}` });
  }
  if (!Number.isInteger(copy.cpus * 4)) {
    problems.push({ path: ['compute', 'cpus'], message: `a whole number of quarter cores (0.25, 0.5, …); got ${copy.cpus}` });
  }
  return problems;
}

export const featureCacheSchema = z.strictObject({
  engine: z.enum(['valkey', 'redis']).default('valkey').describe('Cache engine; clients speak the Redis protocol to either.'),
  deployment: z
    .enum(['serverless', 'nodes'])
    .default('serverless')
    .describe('serverless: ElastiCache Serverless ⇔ Memorystore sized to fit; nodes: an ElastiCache replication group ⇔ Memorystore nodes.'),
  memoryGiB: z
    .number()
    .positive()
    .max(5000)
    .describe('Data the cache holds, in GiB: the serverless storage limit, or the memory the nodes are sized to fit.'),
  replicas: z
    .number()
    .int()
    .min(0)
    .max(5)
    .optional()
    .describe(
      `Read replicas per shard; a multi-zone cache needs at least 1. When unset: ${DEFAULT_CACHE_REPLICAS.multiZone} on a multi-zone cache, ${DEFAULT_CACHE_REPLICAS.singleZone} otherwise.`,
    ),
  multiZone: z.boolean().optional().describe('Spread the cache across zones. When unset: true in production, which requires it; false otherwise.'),
  maxKiloEcpuPerSecond: z
    .number()
    .int()
    .min(1)
    .max(15_000)
    .optional()
    .describe(
      `Most processing a serverless cache may use, in thousands of ElastiCache ECPUs per second; bounds its cost. When unset: ${DEFAULT_MAX_KILO_ECPU_PER_SECOND}.`,
    ),
  defaultTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(2_592_000)
    .default(86_400)
    .describe('Time to live of cached features, in seconds, for the clients that write them (neither cache service has a server-side default); carried in the resolved topology.'),
}).refine((c) => !(c.multiZone === true && c.replicas === 0), {
  path: ['replicas'],
  message: 'a multi-zone cache needs at least 1 replica to hold a copy in another zone',
});

/** pgvector's HNSW limits, the same on Aurora and AlloyDB (pgvector README, "HNSW"). */
export const PGVECTOR_LIMITS = { dimensions: 2000, efConstruction: 1000, efSearch: 1000 } as const;

const vectorReplicas = DEFAULT_VECTOR_STORE_REPLICAS;

export const vectorStoreSchema = z.strictObject({
  engine: z
    .enum(['managed', 'pgvector'])
    .default('managed')
    .describe('managed: OpenSearch Serverless ⇔ Vertex AI Vector Search. pgvector: Aurora PostgreSQL ⇔ AlloyDB, with the pgvector extension.'),
  dimensions: z
    .number()
    .int()
    .min(2)
    .max(16_000)
    .describe(`Length of each embedding vector; pgvector HNSW indexes take at most ${PGVECTOR_LIMITS.dimensions}.`),
  metric: z.enum(['cosine', 'dot-product', 'euclidean']).default('cosine').describe('Distance the nearest-neighbour search ranks by.'),
  index: z
    .strictObject({
      m: z.number().int().min(2).max(100).default(16).describe('HNSW graph degree: links per vector (OpenSearch and pgvector m).'),
      efConstruction: z
        .number()
        .int()
        .min(2)
        .max(4096)
        .default(512)
        .describe(`HNSW candidate list size while building (ef_construction); pgvector takes at most ${PGVECTOR_LIMITS.efConstruction}.`),
      efSearch: z
        .number()
        .int()
        .min(2)
        .max(4096)
        .default(512)
        .describe(`HNSW candidate list size while searching (ef_search); pgvector takes at most ${PGVECTOR_LIMITS.efSearch}.`),
      leafNodeEmbeddingCount: z
        .number()
        .int()
        .min(100)
        .max(100_000)
        .default(1000)
        .describe('Vectors per tree-AH leaf (Vertex AI leafNodeEmbeddingCount).'),
      leafNodesToSearchPercent: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(10)
        .describe('Percent of tree-AH leaves a query searches (Vertex AI leafNodesToSearchPercent).'),
      approximateNeighborsCount: z
        .number()
        .int()
        .min(1)
        .max(10_000)
        .default(150)
        .describe('Neighbours a tree-AH search finds before exact reordering (Vertex AI approximateNeighborsCount).'),
    })
    .default({ m: 16, efConstruction: 512, efSearch: 512, leafNodeEmbeddingCount: 1000, leafNodesToSearchPercent: 10, approximateNeighborsCount: 150 })
    .describe('Approximate nearest-neighbour index settings: HNSW for OpenSearch and pgvector, tree-AH for Vertex AI Vector Search; each engine reads its own.'),
  expectedVectors: z
    .number()
    .int()
    .min(1)
    .default(1_000_000)
    .describe('Vectors the store holds; sizes the index, its shards or memory, and the cost.'),
  queriesPerSecond: z
    .number()
    .positive()
    .default(50)
    .describe('Expected queries per second at peak; carried in the resolved topology, no deployed setting reads it yet.'),
  slo: z
    .strictObject({
      p99Ms: z
        .number()
        .positive()
        .max(60_000)
        .describe('Objective for the 99th-percentile latency of one k-NN query, in milliseconds; tune-index recommends the cheapest index setting that meets the recall and stays within it.'),
    })
    .optional()
    .describe('Service-level objective of a vector search. When unset: tune-index recommends on recall alone.'),
  updateMode: z
    .enum(['streaming', 'batch'])
    .default('streaming')
    .describe('How Vertex AI Vector Search takes updates: streaming, vector by vector as they change (STREAM_UPDATE); batch, from files in Cloud Storage (BATCH_UPDATE).'),
  replicas: z
    .strictObject({
      min: z.number().int().min(1).max(100).describe('Fewest replicas, at most max.'),
      max: z.number().int().min(1).max(1000).describe('Most replicas.'),
    })
    .refine((r) => r.min <= r.max, { path: ['min'], message: 'must be <= max' })
    .optional()
    .describe(
      `Serving replicas: Vertex AI deployed index replicas; on OpenSearch Serverless, standby replicas on when min is 2 or more. When unset: min ${vectorReplicas.production.min} and max ${vectorReplicas.production.max} in production, min ${vectorReplicas.otherwise.min} and max ${vectorReplicas.otherwise.max} otherwise.`,
    ),
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
  name: resourceName.describe(
    'Queue name, unique in the topology; part of its cloud resource names. Its dead letters go to the same name plus -dlq (SQS) or -dead-letter (Pub/Sub), so no other queue may be named so.',
  ),
  purpose: z
    .enum(QUEUE_PURPOSES)
    .describe(
      'async-inference: carries async endpoints\' requests and results (required when an endpoint is async); embedding-refresh: documents to re-embed; events: anything else.',
    ),
  maxDeliveryAttempts: z
    .number()
    .int()
    .min(5)
    .max(100)
    .default(5)
    .describe('Deliveries before a message goes to the dead-letter queue (SQS maxReceiveCount 1–1000, Pub/Sub maxDeliveryAttempts 5–100).'),
  retentionHours: z
    .number()
    .int()
    .min(1)
    .max(336)
    .default(96)
    .describe('How long an unconsumed message is kept, in hours (SQS up to 14 days, Pub/Sub up to 31).'),
  ackTimeoutSeconds: z
    .number()
    .int()
    .min(10)
    .max(600)
    .default(60)
    .describe('Seconds a consumer has before the message is delivered again (SQS visibility timeout, Pub/Sub ack deadline 10–600 s).'),
});

const networkSchema = z.strictObject({
  private: z
    .literal(true)
    .default(true)
    .describe('Serve privately: private subnets and VPC endpoints on AWS, Private Service Connect on GCP. Public serving is not offered.'),
  existing: z
    .strictObject({
      aws: z
        .strictObject({
          vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/).describe('ID of the VPC.'),
          availabilityZones: z
            .array(z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/))
            .min(2)
            .max(6)
            .describe('Availability zones of the private subnets, all in regions.aws.'),
          privateSubnetIds: z
            .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/))
            .min(2)
            .max(6)
            .describe('Private subnets serving runs in, the same number in every availability zone (CDK imports them zone by zone).'),
        })
        // CDK imports a VPC's subnets zone by zone (Vpc.fromVpcAttributes).
        .refine((v) => v.privateSubnetIds.length % v.availabilityZones.length === 0, {
          path: ['privateSubnetIds'],
          message: 'give the same number of private subnets in every availability zone (a multiple of availabilityZones)',
        })
        .optional()
        .describe('An existing VPC to deploy into, imported and left unmanaged. When unset: a new isolated VPC.'),
      gcp: z
        .strictObject({
          network: z
            .string()
            .regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/global\/networks\/[a-z](?:[-a-z0-9]*[a-z0-9])?$/)
            .describe('The VPC network: projects/<project>/global/networks/<name>.'),
          subnetwork: z
            .string()
            .regex(/^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/regions\/[a-z0-9-]+\/subnetworks\/[a-z](?:[-a-z0-9]*[a-z0-9])?$/)
            .describe('The subnetwork serving uses: projects/<project>/regions/<region>/subnetworks/<name>.'),
        })
        .optional()
        .describe('An existing VPC network to deploy into (a Shared VPC, for instance), left unmanaged. When unset: a new network.'),
    })
    .optional()
    .describe('Networks to deploy into instead of creating them, per cloud. When unset: new ones on both clouds.'),
});

const monitoringSchema = z.strictObject({
  alarmEmails: z
    .array(z.email())
    .max(10)
    .default([])
    .describe('E-mail addresses alarms notify (SNS e-mail subscriptions on AWS, Cloud Monitoring e-mail channels on GCP).'),
});

const tagKey = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, starting with a letter (GCP label rules)');
const tagValue = z.string().regex(/^[a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (GCP label rules)');

export const topologySchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors; validation ignores it.'),
    name: resourceName
      .max(16)
      .describe(
        'Topology name: the first part of every cloud resource name (<name>-<environment>-…); each cloud\'s naming rules are checked on the full names when the topology resolves.',
      ),
    environment: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,9}$/, 'lowercase letters and digits, at most 10')
      .describe(
        'Environment name, part of every cloud resource name. prod gets the production guardrails unless production says otherwise; staging rolls out as a canary by default.',
      ),
    production: z
      .boolean()
      .optional()
      .describe(
        `Production guardrails: at least ${defaultMinInstances(true)} replicas per endpoint, canary or linear rollouts with alarm rollback, multi-zone caches, retained and deletion-protected data. When unset: true exactly when environment is prod.`,
      ),
    regions: z
      .strictObject({
        aws: awsRegion.describe('AWS region, such as us-east-1.'),
        gcp: gcpRegion.describe('Google Cloud region, such as us-central1.'),
      })
      .describe('Where to deploy on each cloud.'),
    tags: z
      .record(tagKey, tagValue)
      .default({})
      .describe(
        'Tags on every resource: AWS tags and GCP labels, so GCP\'s label rules apply. app, environment and managed-by are always set and take precedence.',
      ),
    endpoints: z
      .array(endpointSchema)
      .min(1)
      .max(20)
      .describe('Model endpoints: each serves a model (or A/B variants) under one name, a SageMaker endpoint and a Vertex AI endpoint; names are unique.'),
    featureCache: featureCacheSchema
      .optional()
      .describe('Feature cache: ElastiCache on AWS, Memorystore on GCP. When unset: none.'),
    vectorStore: vectorStoreSchema
      .optional()
      .describe('Vector store for retrieval: OpenSearch Serverless ⇔ Vertex AI Vector Search, or pgvector on Aurora ⇔ AlloyDB. When unset: none.'),
    queues: z
      .array(queueSchema)
      .max(20)
      .default([])
      .describe('Work queues with dead-lettering: SQS on AWS, Pub/Sub on GCP; names are unique.'),
    pipelines: pipelinesSchema.default({}).describe('Pipelines between the parts of the topology: queue → embedder → vector store.'),
    network: networkSchema.default({ private: true }).describe('The network serving runs in.'),
    monitoring: monitoringSchema
      .default({ alarmEmails: [] })
      .describe('Where alarms go; what they watch comes from each endpoint\'s slo.'),
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
    for (const problem of pipelineProblems(t)) ctx.addIssue({ code: 'custom', ...problem });
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
    const scaleToZeroPaths: Record<ScaleToZeroRuleField, PropertyKey[]> = {
      'scaling.min': ['scaling', 'min'],
      'scaling.idleSeconds': ['scaling', 'idleSeconds'],
      variants: ['variants'],
      mode: ['mode'],
      'scaling.target.metric': ['scaling', 'target', 'metric'],
    };
    t.endpoints.forEach((e, i) => {
      const problems = scaleToZeroProblems({ mode: e.mode, min: e.scaling.min, idleSeconds: e.scaling.idleSeconds, variantCount: e.variants?.length ?? 1, production, targetMetric: e.scaling.target.metric });
      for (const problem of problems) ctx.addIssue({ code: 'custom', path: ['endpoints', i, ...scaleToZeroPaths[problem.field]], message: problem.message });
    });
    // Pool members run on the same instances, so they ask for the same hardware.
    const firstOfPool = new Map<string, number>();
    t.endpoints.forEach((e, i) => {
      if (!e.sharing) return;
      const first = firstOfPool.get(e.sharing.pool);
      if (first === undefined) {
        firstOfPool.set(e.sharing.pool, i);
        return;
      }
      const shape = shapeForRequest(e.compute)?.id;
      const poolShape = shapeForRequest(t.endpoints[first].compute)?.id;
      if (shape !== poolShape || JSON.stringify(e.compute.instanceType) !== JSON.stringify(t.endpoints[first].compute.instanceType)) {
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i, 'compute'],
          message: `endpoints in pool "${e.sharing.pool}" share instances, so they need the same compute as endpoint "${t.endpoints[first].name}" (${poolShape}); got ${shape}`,
        });
      }
    });
    if (!production) return;
    t.endpoints.forEach((e, i) => {
      // Serverless endpoints too: Vertex realises them as dedicated replicas.
      for (const bound of ['min', 'max'] as const) {
        const value = e.scaling[bound];
        // A min of 0 gets its own message (scaleToZeroProblems).
        if (value !== undefined && value < 2 && !(bound === 'min' && value === 0)) {
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
export type SharingSpec = z.output<typeof sharingSchema>;
export type ScalingMetric = (typeof SCALING_METRICS)[number];
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];
export type EndpointMode = (typeof ENDPOINT_MODES)[number];
export type FeatureCacheSpec = z.output<typeof featureCacheSchema>;
export type VectorStoreSpec = z.output<typeof vectorStoreSchema>;
export type QueueSpec = z.output<typeof queueSchema>;
export type QueuePurpose = (typeof QUEUE_PURPOSES)[number];
