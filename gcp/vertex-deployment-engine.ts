/**
 * What `VertexModelDeployment` does, as plain functions over a `VertexApi`: check inputs, diff
 * them, and create / update / delete the models deployed to one Vertex endpoint.
 *
 * A deployment holds one deployed model per variant. A new image or artifact (or a new machine
 * shape) uploads a new model, deploys it beside the old one with no traffic, then moves traffic
 * to it in the resolved rollout steps, baking between steps; the old deployed model is undeployed
 * and its model deleted at the end. Replica bounds and autoscaling change in place
 * (mutateDeployedModel); weights change the traffic split alone. Vertex has no alarm-driven
 * rollback (gcp-gaps.md §4): a failed step stops the update with the old model still serving.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GCP_NAMING } from '../constructs/naming';
import { formatPath, valueAtPath } from '../constructs/parse-topology';
import { isVertexApiError, VertexApi, type AccessTokenSource, type DedicatedResources, type TrafficSplit } from './vertex-api';

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
    /** Vertex v1 needs at least one replica (gcp-gaps.md §3). */
    minReplicaCount: z.number().int().min(1),
    maxReplicaCount: z.number().int().min(1),
  })
  .refine((v) => v.minReplicaCount <= v.maxReplicaCount, { path: ['minReplicaCount'], message: 'must be <= maxReplicaCount' })
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

export interface DeploymentState extends DeploymentInputs {
  readonly deployed: Readonly<Record<string, DeployedVariant>>;
  readonly trafficSplit: TrafficSplit;
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
  if (containsUnknown(raw)) return { inputs: raw as DeploymentInputs, failures: [] };
  const result = deploymentInputsSchema.safeParse(raw);
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
  return hash({ machineType: v.machineType, acceleratorType: v.acceleratorType ?? null, acceleratorCount: v.acceleratorCount, sa: d.serviceAccount ?? null });
}

export interface EngineDeps {
  /** An access-token source (tests pass a client holding a dummy token). */
  readonly auth?: AccessTokenSource;
  /** Waits between rollout steps (the bake) and between polls. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollInitialMs?: number;
  readonly retryInitialMs?: number;
  /** Progress lines for the person running the update. */
  readonly log?: (message: string) => void;
}

function apiFor(d: DeploymentInputs, deps: EngineDeps): VertexApi {
  return new VertexApi({
    project: d.project,
    region: d.region,
    baseUrl: d.apiBaseUrl,
    auth: deps.auth,
    operationTimeoutMs: d.operationTimeoutSeconds * 1000,
    pollInitialMs: deps.pollInitialMs,
    retryInitialMs: deps.retryInitialMs,
    sleep: deps.sleep,
  });
}

const sleepFor = (deps: EngineDeps) => deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

/** A fresh deployment: every variant uploaded and deployed, then traffic set to the weights (nothing to bake against). */
export async function createDeployment(inputs: DeploymentInputs, deps: EngineDeps = {}): Promise<DeploymentState> {
  const api = apiFor(inputs, deps);
  const made = new Made();
  let split: Record<string, number> = {};
  try {
    for (const v of inputs.variants) {
      const { deployedModelId } = await deployVariant(api, inputs, v, split, deps, made);
      split = Object.keys(split).length === 0 ? { [deployedModelId]: 100 } : { ...split, [deployedModelId]: 0 };
    }
    const target = targetSplit(inputs, made.deployed);
    await api.setTrafficSplit(inputs.endpointId, target);
    return { ...inputs, deployed: made.deployed, trafficSplit: target };
  } catch (e) {
    // A failed create is not recorded in the state: whatever it made would be orphaned.
    await undo(api, inputs.endpointId, made, {}, deps);
    throw e;
  }
}

/**
 * An in-place update, per the actions of `variantActions`. If any step fails, traffic goes back
 * to the previous split and what this update deployed is removed: the previous models keep
 * serving (Vertex has no rollback of its own, gcp-gaps.md §4).
 */
export async function updateDeployment(olds: DeploymentState, news: DeploymentInputs, deps: EngineDeps = {}): Promise<DeploymentState> {
  const api = apiFor(news, deps);
  const actions = variantActions(olds, news);
  const made = new Made();
  const deployed: Record<string, DeployedVariant> = {};
  const retired: DeployedVariant[] = [];
  let split: Record<string, number> = { ...olds.trafficSplit };
  try {
    for (const v of news.variants) {
      const action = actions[v.name];
      const previous = olds.deployed[v.name];
      if (action === 'add' || action === 'redeploy') {
        const reuse = action === 'redeploy' && previous.modelFingerprint === modelFingerprint(news, v) ? previous : undefined;
        deployed[v.name] = await deployVariant(api, news, v, split, deps, made, reuse);
        split = { ...split, [deployed[v.name].deployedModelId]: 0 };
        if (previous) retired.push(previous);
      } else {
        if (action === 'mutate') {
          deps.log?.(`${v.name}: replicas ${v.minReplicaCount}-${v.maxReplicaCount} and autoscaling updated in place`);
          await api.mutateDeployedModel(news.endpointId, { id: previous.deployedModelId, model: previous.model, dedicatedResources: dedicatedResources(news, v) });
        }
        deployed[v.name] = previous;
      }
    }
    for (const [name, previous] of Object.entries(olds.deployed)) if (actions[name] === 'remove') retired.push(previous);

    const target = targetSplit(news, deployed);
    const modelChange = Object.values(actions).some((a) => a === 'add' || a === 'redeploy' || a === 'remove');
    const steps = modelChange ? news.rollout.steps : [100];
    const start = { ...split };
    for (const [i, percent] of steps.entries()) {
      const step = interpolateSplit(start, target, percent / 100);
      deps.log?.(`traffic step ${i + 1}/${steps.length} (${percent} %): ${JSON.stringify(step)}`);
      await api.setTrafficSplit(news.endpointId, step);
      if (i < steps.length - 1 && news.rollout.bakeSeconds > 0) await sleepFor(deps)(news.rollout.bakeSeconds * 1000);
    }
    split = target;
  } catch (e) {
    await undo(api, news.endpointId, made, olds.trafficSplit, deps);
    throw e;
  }
  // Past the last step the new models carry the traffic; retiring the old ones is clean-up.
  const live = new Set(Object.values(deployed).map((d) => d.model));
  for (const old of retired) {
    const { [old.deployedModelId]: _gone, ...rest } = split;
    split = rest;
    await api.undeployModel(news.endpointId, old.deployedModelId, split);
    if (!live.has(old.model)) await api.deleteModel(old.model);
  }
  return { ...news, deployed, trafficSplit: targetSplit(news, deployed) };
}

/** What one create or update made so far, to undo on failure. */
class Made {
  readonly deployed: Record<string, DeployedVariant> = {};
  readonly models: string[] = [];
}

/** Best effort: restore the previous split, undeploy and delete what `made` holds; the original error is what the user sees. */
async function undo(api: VertexApi, endpointId: string, made: Made, previousSplit: TrafficSplit, deps: EngineDeps): Promise<void> {
  const attempt = async (what: string, call: () => Promise<void>) => {
    try {
      await call();
    } catch (e) {
      deps.log?.(`clean-up after the failure: ${what} failed too: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const newIds = new Set(Object.values(made.deployed).map((d) => d.deployedModelId));
  if (Object.keys(previousSplit).length > 0) await attempt('restoring the traffic split', () => api.setTrafficSplit(endpointId, previousSplit));
  for (const d of Object.values(made.deployed)) {
    newIds.delete(d.deployedModelId);
    const remaining = Object.keys(previousSplit).length > 0 ? previousSplit : renormalise(Object.fromEntries([...newIds].map((id) => [id, 1])));
    await attempt(`undeploying ${d.deployedModelId}`, () => api.undeployModel(endpointId, d.deployedModelId, remaining));
  }
  for (const model of made.models) await attempt(`deleting ${model}`, () => api.deleteModel(model));
}

/**
 * Refresh: what the endpoint holds now. A variant whose deployed model is gone (undeployed out of
 * band) drops out of the state, so the next update deploys it again; the traffic split is the
 * endpoint's own. An endpoint that is gone means the deployment is gone.
 */
export async function readDeployment(olds: DeploymentState, deps: EngineDeps = {}): Promise<DeploymentState | undefined> {
  const api = apiFor(olds, deps);
  let endpoint: Awaited<ReturnType<VertexApi['getEndpoint']>>;
  try {
    endpoint = await api.getEndpoint(olds.endpointId);
  } catch (e) {
    if (isVertexApiError(e) && e.status === 'NOT_FOUND') return undefined;
    throw e;
  }
  const live = new Set((endpoint.deployedModels ?? []).map((d) => d.id));
  const deployed = Object.fromEntries(Object.entries(olds.deployed).filter(([, d]) => live.has(d.deployedModelId)));
  return { ...olds, deployed, trafficSplit: { ...(endpoint.trafficSplit ?? {}) } };
}

/** Undeploys every model (traffic first moved off each) and deletes the models; already-gone counts as done. */
export async function deleteDeployment(olds: DeploymentState, deps: EngineDeps = {}): Promise<void> {
  const api = apiFor(olds, deps);
  let split: Record<string, number> = { ...olds.trafficSplit };
  const entries = Object.values(olds.deployed);
  for (const d of entries) {
    const { [d.deployedModelId]: _gone, ...rest } = split;
    split = renormalise(rest);
    await api.undeployModel(olds.endpointId, d.deployedModelId, split);
  }
  for (const model of new Set(entries.map((d) => d.model))) await api.deleteModel(model);
}

async function deployVariant(
  api: VertexApi,
  d: DeploymentInputs,
  v: VariantDeployment,
  currentSplit: TrafficSplit,
  deps: EngineDeps,
  made: Made,
  reuse?: DeployedVariant,
): Promise<DeployedVariant> {
  let model = reuse?.model;
  if (!model) {
    deps.log?.(`${v.name}: uploading ${v.model.imageUri}`);
    model = await api.uploadModel({
      displayName: v.displayName,
      artifactUri: v.model.artifactUri,
      containerSpec: {
        imageUri: v.model.imageUri,
        env: Object.entries(v.model.env).map(([name, value]) => ({ name, value })),
        ports: [{ containerPort: v.model.port }],
        predictRoute: v.model.predictRoute,
        healthRoute: v.model.healthRoute,
      },
      labels: { ...d.labels, variant: v.name },
      encryptionSpec: d.encryptionKmsKeyName ? { kmsKeyName: d.encryptionKmsKeyName } : undefined,
    });
    made.models.push(model);
  }
  deps.log?.(`${v.name}: deploying ${model} on ${v.minReplicaCount}-${v.maxReplicaCount} x ${v.machineType}`);
  // The new model ("0") starts with no traffic unless the endpoint has none yet.
  const first = Object.keys(currentSplit).length === 0;
  const deployedModelId = await api.deployModel(
    d.endpointId,
    { model, displayName: v.displayName, dedicatedResources: dedicatedResources(d, v), serviceAccount: d.serviceAccount },
    first ? { '0': 100 } : { ...currentSplit, '0': 0 },
  );
  const result = { deployedModelId, model, modelFingerprint: modelFingerprint(d, v), shapeFingerprint: shapeFingerprint(d, v) };
  made.deployed[v.name] = result;
  return result;
}

export function dedicatedResources(d: Pick<DeploymentInputs, 'autoscalingMetricSpecs'>, v: VariantDeployment): DedicatedResources {
  return {
    machineSpec: {
      machineType: v.machineType,
      ...(v.acceleratorType ? { acceleratorType: v.acceleratorType, acceleratorCount: v.acceleratorCount } : {}),
    },
    minReplicaCount: v.minReplicaCount,
    maxReplicaCount: v.maxReplicaCount,
    autoscalingMetricSpecs: d.autoscalingMetricSpecs,
  };
}

/** Variant weights keyed by deployed-model id. */
export function targetSplit(d: DeploymentInputs, deployed: Readonly<Record<string, DeployedVariant>>): Record<string, number> {
  return Object.fromEntries(d.variants.map((v) => [deployed[v.name].deployedModelId, v.weight]));
}

/**
 * The split `fraction` of the way from `from` to `to`, in whole percents summing to 100
 * (largest remainder), as Vertex requires.
 */
export function interpolateSplit(from: TrafficSplit, to: TrafficSplit, fraction: number): Record<string, number> {
  const ids = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const exact = ids.map((id) => (from[id] ?? 0) * (1 - fraction) + (to[id] ?? 0) * fraction);
  return largestRemainder(ids, exact);
}

/** The same proportions over 100 after some models left; empty when none carries traffic. */
export function renormalise(split: TrafficSplit): Record<string, number> {
  const ids = Object.keys(split).sort();
  const total = ids.reduce((sum, id) => sum + split[id], 0);
  if (total === 0) return {};
  return largestRemainder(
    ids,
    ids.map((id) => (split[id] * 100) / total),
  );
}

function largestRemainder(ids: readonly string[], exact: readonly number[]): Record<string, number> {
  const floors = exact.map(Math.floor);
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i] += 1;
    missing -= 1;
  }
  return Object.fromEntries(ids.map((id, i) => [id, floors[i]]));
}

function scalingOf(d: DeploymentInputs, v: VariantDeployment) {
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
