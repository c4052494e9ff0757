/**
 * What `VertexModelDeployment` does, as plain functions over a `VertexApi`: create / update /
 * read / delete the models deployed to one Vertex endpoint.
 *
 * A deployment holds one deployed model per variant. A new image or artifact (or a new machine
 * shape) uploads a new model, deploys it beside the old one with no traffic, then moves traffic
 * to it in the resolved rollout steps, baking between steps; the old deployed model is undeployed
 * and its model deleted at the end. Replica bounds and autoscaling change in place
 * (mutateDeployedModel); weights change the traffic split alone. Vertex has no alarm-driven
 * rollback: a failed step puts the previous split back and removes what the update deployed.
 *
 * Every model and deployed model gets its id from here before the request that makes it
 * (UploadModelRequest.model_id, DeployedModel.id), and is recorded as pending work until it is
 * known to be serving or known to be gone. When a step fails, or an operation outlives its
 * timeout, what could not be removed stays in the state (a Pulumi partial failure), and the next
 * update or destroy waits for its operation and removes it first: no GPU replica is orphaned.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  modelFingerprint,
  shapeFingerprint,
  variantActions,
  type DeployedVariant,
  type DeploymentInputs,
  type DeploymentState,
  type PendingWork,
  type VariantDeployment,
} from './deployment-inputs';
import { credentialSettings, credentialSource, gcpAuth, userProjectOverride, type AuthEndpoints, type GcpCredentialSettings, type RequestHeadersSource } from './gcp-credentials';
import { interpolateSplit, splitWithout, type TrafficSplit } from './traffic-split';
import { isVertexApiError, VertexApi, type DedicatedResources } from './vertex-api';

export interface EngineDeps {
  /** The gcp provider's credential settings (its stack config and environment). @default the environment alone */
  readonly credentials?: GcpCredentialSettings;
  /** Request headers instead of the credentials (tests pass a client holding a dummy token). */
  readonly auth?: RequestHeadersSource;
  /** Token endpoints of the credentials, for tests against local servers. */
  readonly authEndpoints?: AuthEndpoints;
  /** Waits between rollout steps (the bake), between polls and before retries. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollInitialMs?: number;
  readonly retryInitialMs?: number;
  /** Progress lines for the person running the update. */
  readonly log?: (message: string) => void;
}

/**
 * A create, update or destroy that failed and left pending work: `state` is what the stack must
 * record (Pulumi keeps it as a partial failure), so the next run can finish the work.
 */
export class DeploymentIncompleteError extends Error {
  override readonly name = 'DeploymentIncompleteError';
  constructor(
    readonly failure: unknown,
    readonly state: DeploymentState,
  ) {
    const pending = state.pending ?? [];
    super(
      `${failure instanceof Error ? failure.message : String(failure)} The stack records ${pending.length} unfinished item(s) ` +
        `(${pending.map(describe).join('; ')}); the next \`pulumi up\` or \`pulumi destroy\` waits for them and removes them.`,
    );
  }
}

function describe(w: PendingWork): string {
  const what = w.kind === 'model' ? `model ${w.model}` : `deployed model ${w.deployedModelId} of ${w.model}`;
  return `${what}: ${w.reason}${w.operation ? ` (operation ${w.operation})` : ''}`;
}

/** The API client for a resource in `d`'s project and region, with the engine's credentials. */
export function apiFor(d: Pick<DeploymentInputs, 'project' | 'region' | 'apiBaseUrl' | 'operationTimeoutSeconds'>, deps: EngineDeps): VertexApi {
  const settings = deps.credentials ?? credentialSettings(() => undefined, process.env);
  return new VertexApi({
    project: d.project,
    region: d.region,
    baseUrl: d.apiBaseUrl,
    auth: deps.auth ?? gcpAuth(settings, deps.authEndpoints),
    credentialSource: deps.auth ? undefined : credentialSource(settings),
    userProject: userProjectOverride(settings, d.project),
    operationTimeoutMs: d.operationTimeoutSeconds * 1000,
    pollInitialMs: deps.pollInitialMs,
    retryInitialMs: deps.retryInitialMs,
    sleep: deps.sleep,
  });
}

const sleepFor = (deps: EngineDeps) => deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

/** UploadModelRequest.model_id: `[a-z0-9_-]`, up to 63, not starting with a digit or hyphen. */
export function newModelId(): string {
  return `mlserve-${randomBytes(8).toString('hex')}`;
}

/** DeployedModel.id: 1-10 characters of `[0-9]`; ten digits, no leading zero. */
export function newDeployedModelId(): string {
  return String(randomInt(1_000_000_000, 9_999_999_999));
}

/** The work a run started: recorded before each request, settled when its outcome is known. */
class Work {
  private readonly entries: PendingWork[] = [];

  get items(): readonly PendingWork[] {
    return [...this.entries];
  }

  start(work: PendingWork): PendingWork {
    this.entries.push(work);
    return work;
  }

  /** The request was accepted: `operation` is making it. */
  running(work: PendingWork, operation: string): PendingWork {
    return this.replace(work, { ...work, operation });
  }

  /** The operation is done: the thing exists. */
  done(work: PendingWork): PendingWork {
    const { operation: _done, ...rest } = work;
    return this.replace(work, rest);
  }

  private replace(old: PendingWork, next: PendingWork): PendingWork {
    const i = this.entries.findIndex((w) => w.kind === old.kind && w.model === old.model && w.deployedModelId === old.deployedModelId);
    this.entries[i] = next;
    return next;
  }
}

/** A fresh deployment: every variant uploaded and deployed, then traffic set to the weights (nothing to bake against). */
export async function createDeployment(inputs: DeploymentInputs, deps: EngineDeps = {}): Promise<DeploymentState> {
  const api = apiFor(inputs, deps);
  const work = new Work();
  const deployed: Record<string, DeployedVariant> = {};
  let split: Record<string, number> = {};
  try {
    for (const v of inputs.variants) {
      const { deployedModelId } = (deployed[v.name] = await deployVariant(api, inputs, v, split, work, deps));
      split = Object.keys(split).length === 0 ? { [deployedModelId]: 100 } : { ...split, [deployedModelId]: 0 };
    }
    const target = targetSplit(inputs, deployed);
    await api.setTrafficSplit(inputs.endpointId, target);
    return { ...inputs, deployed, trafficSplit: target, pending: [] };
  } catch (e) {
    const left = await cleanUp(api, inputs.endpointId, work.items, new Set(), deps);
    if (left.length === 0) throw e;
    throw new DeploymentIncompleteError(e, { ...inputs, deployed: {}, trafficSplit: {}, pending: left });
  }
}

/**
 * An in-place update, per the actions of `variantActions`, after finishing what an earlier run
 * left pending. If any step fails, traffic goes back to the previous split and what this update
 * deployed is removed: the previous models keep serving.
 */
export async function updateDeployment(olds: DeploymentState, news: DeploymentInputs, deps: EngineDeps = {}): Promise<DeploymentState> {
  const api = apiFor(news, deps);
  const oldModels = new Set(Object.values(olds.deployed).map((d) => d.model));
  const earlier = olds.pending ?? [];
  const stillPending = await cleanUp(api, news.endpointId, earlier, oldModels, deps);
  if (stillPending.length > 0) {
    throw new DeploymentIncompleteError(new Error('Work an earlier run started has not finished.'), { ...olds, pending: stillPending });
  }

  const actions = variantActions(olds, news);
  const work = new Work();
  const deployed: Record<string, DeployedVariant> = {};
  const retired: DeployedVariant[] = [];
  let split: Record<string, number> = { ...olds.trafficSplit };
  try {
    for (const v of news.variants) {
      const action = actions[v.name];
      const previous = olds.deployed[v.name];
      if (action === 'add' || action === 'redeploy') {
        const reuse = action === 'redeploy' && previous.modelFingerprint === modelFingerprint(news, v) ? previous.model : undefined;
        deployed[v.name] = await deployVariant(api, news, v, split, work, deps, reuse);
        split = Object.keys(split).length === 0 ? { [deployed[v.name].deployedModelId]: 100 } : { ...split, [deployed[v.name].deployedModelId]: 0 };
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
  } catch (e) {
    if (Object.keys(olds.trafficSplit).length > 0) {
      await attempt(deps, 'restoring the traffic split', () => api.setTrafficSplit(news.endpointId, olds.trafficSplit));
    }
    const left = await cleanUp(api, news.endpointId, work.items, oldModels, deps);
    // The previous models serve as before; the state says so, and keeps what could not be removed.
    if (left.length === 0 && earlier.length === 0) throw e;
    throw new DeploymentIncompleteError(e, { ...olds, pending: left });
  }

  // Past the last step the new models carry the traffic; retiring the old ones is clean-up.
  const live = new Set(Object.values(deployed).map((d) => d.model));
  const retiring = retired.flatMap((old): PendingWork[] => [
    { kind: 'deployed-model', model: old.model, deployedModelId: old.deployedModelId, reason: 'retired by an update' },
    ...(live.has(old.model) ? [] : [{ kind: 'model' as const, model: old.model, reason: 'retired by an update' }]),
  ]);
  const left = await cleanUp(api, news.endpointId, retiring, live, deps);
  const state: DeploymentState = { ...news, deployed, trafficSplit: targetSplit(news, deployed), pending: left };
  if (left.length > 0) throw new DeploymentIncompleteError(new Error('The new models serve, but the old ones could not all be removed.'), state);
  return state;
}

/**
 * Refresh: what the endpoint holds now. A variant whose deployed model is gone (undeployed out of
 * band) drops out of the state, so the next update deploys it again; the traffic split is the
 * endpoint's own. An endpoint that is gone means the deployment is gone. Pending work stays.
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
  return { ...olds, deployed, trafficSplit: { ...(endpoint.trafficSplit ?? {}) }, pending: olds.pending ?? [] };
}

/**
 * Undeploys every model (the ones without traffic first; each undeploy hands its traffic to the
 * models that stay) and deletes the models, after the pending work; already gone counts as done.
 */
export async function deleteDeployment(olds: DeploymentState, deps: EngineDeps = {}): Promise<void> {
  const api = apiFor(olds, deps);
  const byTraffic = Object.entries(olds.deployed).sort(([, a], [, b]) => (olds.trafficSplit[a.deployedModelId] ?? 0) - (olds.trafficSplit[b.deployedModelId] ?? 0));
  const everything: PendingWork[] = [
    ...(olds.pending ?? []),
    ...byTraffic.map(([name, d]): PendingWork => ({ kind: 'deployed-model', model: d.model, deployedModelId: d.deployedModelId, reason: `destroying ${name}` })),
    ...[...new Set(byTraffic.map(([, d]) => d.model))].map((model): PendingWork => ({ kind: 'model', model, reason: 'destroying' })),
  ];
  const left = await cleanUp(api, olds.endpointId, everything, new Set(), deps);
  if (left.length > 0) {
    throw new Error(`VertexModelDeployment could not remove everything: ${left.map(describe).join('; ')}. Run \`pulumi destroy\` again once the operations finished.`);
  }
}

/**
 * Removes what pending work may have made: waits for each operation (one that ended in error made
 * nothing), undeploys the deployed models, then deletes the models that nothing in `keep` serves.
 * Returns the work it could not finish: operations still running, and calls that failed.
 */
async function cleanUp(api: VertexApi, endpointId: string, items: readonly PendingWork[], keep: ReadonlySet<string>, deps: EngineDeps): Promise<PendingWork[]> {
  const left: PendingWork[] = [];
  const settled: PendingWork[] = [];
  for (const item of items) {
    if (!item.operation) {
      settled.push(item);
      continue;
    }
    try {
      await api.waitForOperation({ name: item.operation }, 'operations.get', item.operation);
      const { operation: _done, ...rest } = item;
      settled.push(rest);
    } catch (e) {
      if (isVertexApiError(e) && (e.operationFailed || (e.status === 'NOT_FOUND' && e.operation === 'operations.get'))) {
        // Ended in error (made nothing), or done so long ago that the operation expired.
        if (e.operationFailed) continue;
        const { operation: _expired, ...rest } = item;
        settled.push(rest);
        continue;
      }
      deps.log?.(`${describe(item)} is not finished: ${e instanceof Error ? e.message : String(e)}`);
      left.push(item);
    }
  }
  for (const item of settled.filter((w) => w.kind === 'deployed-model')) {
    const ok = await attempt(deps, `undeploying ${item.deployedModelId}`, async () => {
      let endpoint;
      try {
        endpoint = await api.getEndpoint(endpointId);
      } catch (e) {
        if (isVertexApiError(e) && e.status === 'NOT_FOUND') return; // the endpoint, and everything on it, is gone
        throw e;
      }
      const ids = (endpoint.deployedModels ?? []).map((d) => d.id);
      if (!ids.includes(item.deployedModelId!)) return;
      await api.undeployModel(endpointId, item.deployedModelId!, splitWithout(endpoint.trafficSplit ?? {}, item.deployedModelId!, ids));
    });
    if (!ok) left.push(item);
  }
  const stillServing = new Set(left.filter((w) => w.kind === 'deployed-model').map((w) => w.model));
  const models = new Map(settled.filter((w) => w.kind === 'model' && !keep.has(w.model)).map((w) => [w.model, w]));
  for (const item of models.values()) {
    if (stillServing.has(item.model) || !(await attempt(deps, `deleting ${item.model}`, () => api.deleteModel(item.model)))) left.push(item);
  }
  return left;
}

/** Runs a clean-up call; a failure is logged (the original error is what the user sees) and reported as false. */
async function attempt(deps: EngineDeps, what: string, call: () => Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (e) {
    deps.log?.(`clean-up: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

async function deployVariant(
  api: VertexApi,
  d: DeploymentInputs,
  v: VariantDeployment,
  currentSplit: TrafficSplit,
  work: Work,
  deps: EngineDeps,
  reuseModel?: string,
): Promise<DeployedVariant> {
  let model = reuseModel;
  if (!model) {
    const modelId = newModelId();
    model = api.modelName(modelId);
    deps.log?.(`${v.name}: uploading ${v.model.imageUri} as ${model}`);
    let upload = work.start({ kind: 'model', model, reason: `uploaded for ${v.name}` });
    await api.uploadModel(
      modelId,
      {
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
      },
      (operation) => (upload = work.running(upload, operation)),
    );
    work.done(upload);
  }
  const deployedModelId = newDeployedModelId();
  deps.log?.(`${v.name}: deploying ${model} as ${deployedModelId} on ${v.sharedResources ?? `${v.minReplicaCount}-${v.maxReplicaCount} x ${v.machineType}`}`);
  let deploy = work.start({ kind: 'deployed-model', model, deployedModelId, reason: `deployed for ${v.name}` });
  // The new model ("0") starts with no traffic unless the endpoint has none yet.
  const first = Object.keys(currentSplit).length === 0;
  await api.deployModel(
    d.endpointId,
    {
      id: deployedModelId,
      model,
      displayName: v.displayName,
      ...(v.sharedResources ? { sharedResources: v.sharedResources } : { dedicatedResources: dedicatedResources(d, v) }),
      serviceAccount: d.serviceAccount,
    },
    first ? { '0': 100 } : { ...currentSplit, '0': 0 },
    (operation) => (deploy = work.running(deploy, operation)),
  );
  work.done(deploy);
  return { deployedModelId, model, modelFingerprint: modelFingerprint(d, v), shapeFingerprint: shapeFingerprint(d, v) };
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
    ...(v.scaleToZero && {
      initialReplicaCount: v.scaleToZero.initialReplicaCount,
      scaleToZeroSpec: { minScaleupPeriod: `${v.scaleToZero.minScaleupPeriodSeconds}s`, idleScaledownPeriod: `${v.scaleToZero.idleScaledownPeriodSeconds}s` },
    }),
  };
}

/** Variant weights keyed by deployed-model id. */
export function targetSplit(d: DeploymentInputs, deployed: Readonly<Record<string, DeployedVariant>>): Record<string, number> {
  return Object.fromEntries(d.variants.map((v) => [deployed[v.name].deployedModelId, v.weight]));
}
