/**
 * What a `VertexModelDeployment` is asked for and what it holds: the input schema (every problem
 * with its path, the bad value and what is allowed), the state, and the diff that decides, per
 * variant, whether a change redeploys, mutates in place, moves traffic, or nothing.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GCP_NAMING } from '../../../constructs/naming';
import { IDLE_SECONDS, MIN_SCALEUP_SECONDS } from '../../../constructs/scale-to-zero-rules';
import { formatPath, valueAtPath } from '../../../constructs/spec/parse-topology';
import type { TrafficSplit } from './traffic-split';

const label = z.string().regex(/^[a-z0-9_-]{0,63}$/);

const modelSchema = z.strictObject({
  imageUri: z.string().regex(/^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)\/\S+$/, 'an Artifact Registry or gcr.io image URI'),
  artifactUri: z.string().regex(/^gs:\/\/\S+$/, 'a gs:// URI').optional(),
  port: z.number().int().min(1).max(65535),
  predictRoute: z.string().regex(/^\/\S*$/, 'a path starting with /'),
  healthRoute: z.string().regex(/^\/\S*$/, 'a path starting with /'),
  env: z.record(z.string(), z.string()),
});

const variantSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z](?:-?[a-z0-9])*$/, 'lowercase letters, digits and single hyphens'),
    displayName: z.string().min(1).max(128),
    /** Percent of the endpoint's traffic. */
    weight: z.number().int().min(0).max(100),
    model: modelSchema,
    machineType: z.string().min(1),
    acceleratorType: z.string().optional(),
    acceleratorCount: z.number().int().min(0).max(8),
    /** Vertex v1 needs at least one replica (DedicatedResources.min_replica_count, machine_resources.proto); 0 deploys through v1beta1 with `scaleToZero`. */
    minReplicaCount: z.number().int().min(0),
    maxReplicaCount: z.number().int().min(1),
    /** v1beta1 scale to zero (DedicatedResources.initial_replica_count and ScaleToZeroSpec); exactly when minReplicaCount is 0. */
    scaleToZero: z
      .strictObject({
        initialReplicaCount: z.number().int().min(1),
        minScaleupPeriodSeconds: z.number().int().min(MIN_SCALEUP_SECONDS.min).max(MIN_SCALEUP_SECONDS.max),
        idleScaledownPeriodSeconds: z.number().int().min(IDLE_SECONDS.min).max(IDLE_SECONDS.max),
      })
      .optional(),
    /**
     * The DeploymentResourcePool the model is deployed to (DeployedModel.shared_resources): the
     * pool's replicas and autoscaling serve it, and the replica bounds here are not sent.
     */
    sharedResources: z
      .string()
      .regex(/^projects\/[^/]+\/locations\/[^/]+\/deploymentResourcePools\/[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a deployment resource pool name projects/…/deploymentResourcePools/…')
      .optional(),
  })
  .refine((v) => !(v.sharedResources && v.scaleToZero), {
    path: ['sharedResources'],
    message: 'a model on a deployment resource pool cannot scale to zero: the pool keeps at least 1 replica (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting)',
  })
  .refine((v) => v.minReplicaCount <= v.maxReplicaCount, { path: ['minReplicaCount'], message: 'must be <= maxReplicaCount' })
  .refine((v) => (v.minReplicaCount === 0) === (v.scaleToZero !== undefined), {
    path: ['scaleToZero'],
    message: 'set scaleToZero exactly when minReplicaCount is 0 (Vertex v1beta1 scale to zero)',
  })
  .refine((v) => !v.scaleToZero || v.scaleToZero.initialReplicaCount <= v.maxReplicaCount, {
    path: ['scaleToZero', 'initialReplicaCount'],
    message: 'must be <= maxReplicaCount (DedicatedResources.initial_replica_count)',
  })
  .refine((v) => (v.acceleratorCount > 0) === (v.acceleratorType !== undefined), {
    path: ['acceleratorType'],
    message: 'set acceleratorType exactly when acceleratorCount > 0',
  });

export const deploymentInputsSchema = z
  .strictObject({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id'),
    region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a Google Cloud region such as us-central1'),
    /** The endpoint id (the AiEndpoint `name`). */
    endpointId: z.string().regex(GCP_NAMING.vertexEndpointId.pattern, GCP_NAMING.vertexEndpointId.allowed),
    apiBaseUrl: z.url().optional(),
    serviceAccount: z.email().optional(),
    encryptionKmsKeyName: z
      .string()
      .regex(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, 'a Cloud KMS key name projects/…/cryptoKeys/…')
      .optional(),
    labels: z.record(label, label),
    autoscalingMetricSpecs: z.array(z.strictObject({ metricName: z.string().min(1), target: z.number().int().positive() })),
    rollout: z.strictObject({
      /** Cumulative percent of the change applied after each step; ends at 100. */
      steps: z.array(z.number().int().min(1).max(100)).min(1),
      bakeSeconds: z.number().int().min(0).max(86_400),
    }),
    operationTimeoutSeconds: z.number().int().min(1).max(86_400),
    variants: z.array(variantSchema).min(1).max(10),
  })
  .superRefine((d, ctx) => {
    const total = d.variants.reduce((sum, v) => sum + v.weight, 0);
    if (total !== 100) ctx.addIssue({ code: 'custom', path: ['variants'], message: `weights must sum to 100, got ${total}` });
    const names = d.variants.map((v) => v.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: `duplicate variant "${n}"` });
    });
    if (d.rollout.steps[d.rollout.steps.length - 1] !== 100) {
      ctx.addIssue({ code: 'custom', path: ['rollout', 'steps'], message: 'the last step must be 100' });
    }
    if (d.rollout.steps.some((s, i) => i > 0 && s <= d.rollout.steps[i - 1])) {
      ctx.addIssue({ code: 'custom', path: ['rollout', 'steps'], message: 'steps must increase' });
    }
  });

export type DeploymentInputs = z.output<typeof deploymentInputsSchema>;
export type VariantDeployment = DeploymentInputs['variants'][number];

/** What Vertex holds for one variant. */
export interface DeployedVariant {
  readonly deployedModelId: string;
  /** Model resource name, `projects/…/models/…`. */
  readonly model: string;
  /** Hash of what the model was uploaded from; a new one means a new model. */
  readonly modelFingerprint: string;
  /** Hash of what needs a redeploy to change (machine shape, service account). */
  readonly shapeFingerprint: string;
}

/**
 * Something a create, update or destroy started and did not see through: a model that may have
 * been uploaded, or a deployed model that may be on the endpoint, with the long-running
 * operation that makes it while that may still be running. The state keeps these (Pulumi records
 * a failed step's state as a partial failure), and the next update or destroy waits for the
 * operation, then removes what it made before doing anything else.
 */
export interface PendingWork {
  readonly kind: 'model' | 'deployed-model';
  /** Model resource name; for a deployed model, the model it serves. */
  readonly model: string;
  readonly deployedModelId?: string;
  /** The operation that makes it, while it may still be running. */
  readonly operation?: string;
  /** Why it is pending, for the person reading the state. */
  readonly reason: string;
}

export interface DeploymentState extends DeploymentInputs {
  readonly deployed: Readonly<Record<string, DeployedVariant>>;
  readonly trafficSplit: TrafficSplit;
  /** Absent in states written before pending work was recorded. */
  readonly pending?: readonly PendingWork[];
}

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Pulumi's marker for a value not known until apply (@pulumi/pulumi runtime/rpc.ts `unknownValue`). */
export const PULUMI_UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function containsUnknown(value: unknown): boolean {
  if (value === PULUMI_UNKNOWN) return true;
  if (value && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Validates the inputs; every problem with its path, the bad value and what is allowed. Inputs
 * still holding unknowns (a preview before the endpoint exists) pass through unchecked: they are
 * checked again once known, before anything is deployed.
 */
export function checkDeploymentInputs(raw: unknown): { inputs?: DeploymentInputs; failures: CheckFailure[] } {
  return checkWith(deploymentInputsSchema, raw);
}

/** `raw` against `schema`, as `checkDeploymentInputs` does it, for each of the provider's resources. */
export function checkWith<T>(schema: z.ZodType<T>, raw: unknown): { inputs?: T; failures: CheckFailure[] } {
  if (containsUnknown(raw)) return { inputs: raw as T, failures: [] };
  const result = schema.safeParse(raw);
  if (result.success) return { inputs: result.data, failures: [] };
  return {
    failures: result.error.issues.map((issue) => {
      const property = formatPath(issue.path);
      const value = valueAtPath(raw, issue.path);
      // Our own refinements already say what they got; zod's built-in checks do not.
      const got = issue.code === 'custom' || value === undefined ? '' : `, got ${JSON.stringify(value)}`;
      return { property, reason: `${issue.message}${got}` };
    }),
  };
}

/** Where a deployment lives: changing any of these makes a new deployment on another endpoint. */
export const REPLACE_PROPERTIES = ['project', 'region', 'endpointId'] as const;

export interface DeploymentDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  /** What an in-place update will do, per variant, for the preview. */
  readonly actions: Readonly<Record<string, VariantAction>>;
}

/**
 * redeploy: new model or shape, rolled out in steps; mutate: replica bounds or autoscaling in
 * place; traffic: weight only; add / remove: variant appears or goes; keep: nothing.
 */
export type VariantAction = 'add' | 'redeploy' | 'mutate' | 'traffic' | 'keep' | 'remove';

export function diffDeployment(olds: DeploymentState, news: DeploymentInputs): DeploymentDiff {
  const replaces = REPLACE_PROPERTIES.filter((p) => olds[p] !== news[p]);
  const actions = variantActions(olds, news);
  const changes =
    replaces.length > 0 ||
    (olds.pending ?? []).length > 0 ||
    Object.values(actions).some((a) => a !== 'keep') ||
    olds.apiBaseUrl !== news.apiBaseUrl ||
    olds.operationTimeoutSeconds !== news.operationTimeoutSeconds ||
    canonical(olds.rollout) !== canonical(news.rollout) ||
    canonical(olds.labels) !== canonical(news.labels);
  return { changes, replaces: [...replaces], actions };
}

export function variantActions(olds: DeploymentState, news: DeploymentInputs): Record<string, VariantAction> {
  const actions: Record<string, VariantAction> = {};
  const oldVariants = new Map(olds.variants.map((v) => [v.name, v]));
  for (const v of news.variants) {
    const before = oldVariants.get(v.name);
    const deployed = olds.deployed[v.name];
    if (!before || !deployed) actions[v.name] = 'add';
    else if (deployed.modelFingerprint !== modelFingerprint(news, v) || deployed.shapeFingerprint !== shapeFingerprint(news, v)) {
      actions[v.name] = 'redeploy';
    } else if (canonical(scalingOf(olds, before)) !== canonical(scalingOf(news, v))) actions[v.name] = 'mutate';
    else if (before.weight !== v.weight) actions[v.name] = 'traffic';
    else actions[v.name] = 'keep';
  }
  for (const name of Object.keys(olds.deployed)) if (!actions[name]) actions[name] = 'remove';
  return actions;
}

export function modelFingerprint(d: Pick<DeploymentInputs, 'encryptionKmsKeyName'>, v: VariantDeployment): string {
  return hash({ model: v.model, displayName: v.displayName, key: d.encryptionKmsKeyName ?? null });
}

export function shapeFingerprint(d: Pick<DeploymentInputs, 'serviceAccount'>, v: VariantDeployment): string {
  // initial_replica_count is immutable and mutateDeployedModel takes no scale-to-zero fields: a change of them redeploys.
  // A move onto or off a pool, or to another pool, redeploys: prediction_resources is immutable.
  return hash({
    machineType: v.machineType,
    acceleratorType: v.acceleratorType ?? null,
    acceleratorCount: v.acceleratorCount,
    sa: d.serviceAccount ?? null,
    ...(v.scaleToZero && { scaleToZero: v.scaleToZero }),
    ...(v.sharedResources && { sharedResources: v.sharedResources }),
  });
}


function scalingOf(d: DeploymentInputs, v: VariantDeployment) {
  // The pool owns a pooled model's replicas: nothing to mutate here.
  if (v.sharedResources) return { pool: v.sharedResources };
  return { min: v.minReplicaCount, max: v.maxReplicaCount, specs: d.autoscalingMetricSpecs };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function hash(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex').slice(0, 16);
}

