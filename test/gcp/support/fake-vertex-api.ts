/**
 * A local fake of the Vertex AI REST API v1, as strict as the parts of Google Cloud it can see.
 *
 * - Routing: URLs and verbs from the `google.api.http` annotations of the official protos
 *   (load-tests/vertex-api/vertex-http-rules.ts); a call to anything else is a protocol violation.
 * - Every request is checked against its proto message (unknown fields, wrong types, REQUIRED
 *   fields missing, OUTPUT_ONLY fields sent): a problem answers 400 INVALID_ARGUMENT, as the API
 *   does, and is kept in `violations`, which every test asserts empty (a swallowed 400 in a
 *   clean-up path still fails the test).
 * - The documented rules it can check: id formats and lengths (model_id, DeployedModel.id), a
 *   CMEK key in the request's region, replica bounds, autoscaling metric names, traffic splits of
 *   existing deployed models summing to 100, no undeploy of a model that still carries traffic
 *   without a new split, no delete of a deployed model, ids already taken.
 * - Long-running operations: the effect lands when the operation completes (after
 *   `pollsBeforeDone` polls), as on the real service; operations can be made to fail or to never
 *   finish, and responses can be lost after the server acted (the ambiguous failure a retry meets).
 *
 * Listens on 127.0.0.1, port 0. Errors are google.rpc.Status bodies (cloud.google.com/apis/design/errors).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { requestProblems, routeRequest, type HttpRule } from '../../../load-tests/vertex-api/vertex-http-rules';
import { protoFile } from '../../../load-tests/vertex-api/vertex-protos';
import { DEPLOYMENT_RESOURCE_POOL_ID, vertexPoolImageProblem } from '../../../constructs/deployment-pool-rules';

export type FakeMethod =
  | 'models.upload'
  | 'models.get'
  | 'models.delete'
  | 'operations.get'
  | 'endpoints.get'
  | 'endpoints.patch'
  | 'endpoints.deployModel'
  | 'endpoints.undeployModel'
  | 'endpoints.mutateDeployedModel'
  | 'deploymentResourcePools.create'
  | 'deploymentResourcePools.get'
  | 'deploymentResourcePools.delete'
  | 'deploymentResourcePools.queryDeployedModels';

/** Proto method to the REST name the fake records it under. */
const METHODS: Readonly<Record<string, FakeMethod>> = {
  'ModelService.UploadModel': 'models.upload',
  'ModelService.GetModel': 'models.get',
  'ModelService.DeleteModel': 'models.delete',
  'Operations.GetOperation': 'operations.get',
  'EndpointService.GetEndpoint': 'endpoints.get',
  'EndpointService.UpdateEndpoint': 'endpoints.patch',
  'EndpointService.DeployModel': 'endpoints.deployModel',
  'EndpointService.UndeployModel': 'endpoints.undeployModel',
  'EndpointService.MutateDeployedModel': 'endpoints.mutateDeployedModel',
  'DeploymentResourcePoolService.CreateDeploymentResourcePool': 'deploymentResourcePools.create',
  'DeploymentResourcePoolService.GetDeploymentResourcePool': 'deploymentResourcePools.get',
  'DeploymentResourcePoolService.DeleteDeploymentResourcePool': 'deploymentResourcePools.delete',
  'DeploymentResourcePoolService.QueryDeployedModels': 'deploymentResourcePools.queryDeployedModels',
};

/** AutoscalingMetricSpec.metric_name: the metrics its proto comment lists for online prediction. */
export const AUTOSCALING_METRICS: readonly string[] = (() => {
  const proto = readFileSync(protoFile('google/cloud/aiplatform/v1/machine_resources.proto'), 'utf8');
  const comment = proto.slice(proto.indexOf('message AutoscalingMetricSpec'), proto.indexOf('string metric_name = 1'));
  return [...comment.matchAll(/`(aiplatform\.googleapis\.com\/prediction\/online\/[a-z_/]+)`/g)].map((m) => m[1]);
})();

/** MutateDeployedModelRequest.deployed_model: the fields its proto comment says can change. */
const MUTABLE_PATHS = new Set([
  'dedicatedResources.minReplicaCount',
  'dedicatedResources.maxReplicaCount',
  'dedicatedResources.requiredReplicaCount',
  'dedicatedResources.autoscalingMetricSpecs',
  'automaticResources.minReplicaCount',
  'automaticResources.maxReplicaCount',
  'disableContainerLogging',
]);

/** UploadModelRequest.model_id: up to 63 of `[a-z0-9_-]`, not starting with a digit or hyphen. */
const MODEL_ID = /^[a-z_][a-z0-9_-]{0,62}$/;
/** DeployedModel.id: 1-10 characters of `[0-9]`. */
const DEPLOYED_MODEL_ID = /^\d{1,10}$/;

export interface FakeModel {
  name: string;
  displayName: string;
  containerSpec: { imageUri: string };
  artifactUri?: string;
  encryptionSpec?: { kmsKeyName: string };
  labels?: Record<string, string>;
}

interface DedicatedResourcesJson {
  machineSpec?: { machineType?: string; acceleratorType?: string; acceleratorCount?: number };
  minReplicaCount?: number;
  maxReplicaCount?: number;
  autoscalingMetricSpecs?: { metricName: string; target?: number }[];
  /** v1beta1 only (the v1 protos reject both as unknown fields). */
  initialReplicaCount?: number;
  scaleToZeroSpec?: { minScaleupPeriod?: string; idleScaledownPeriod?: string };
}

/** ScaleToZeroSpec periods: [MinValue=300] (5 minutes) [MaxValue=28800] (8 hours), v1beta1 machine_resources.proto. */
const SCALE_TO_ZERO_PERIOD_SECONDS = { min: 300, max: 28_800 } as const;

export interface FakeDeployedModel {
  id: string;
  model: string;
  displayName?: string;
  serviceAccount?: string;
  /** One of the two (DeployedModel.prediction_resources). */
  dedicatedResources?: DedicatedResourcesJson;
  /** The DeploymentResourcePool's resource name. */
  sharedResources?: string;
}

export interface FakeDeploymentResourcePool {
  name: string;
  dedicatedResources: DedicatedResourcesJson;
  encryptionSpec?: { kmsKeyName: string };
  serviceAccount?: string;
}

export interface FakeEndpoint {
  name: string;
  /** The endpoint's CMEK (Endpoint.encryption_spec), as the AiEndpoint resource set it. */
  kmsKeyName?: string;
  deployedModels: FakeDeployedModel[];
  trafficSplit: Record<string, number>;
}

interface FakeOperation {
  readonly name: string;
  pollsLeft: number;
  readonly stalled: boolean;
  done: boolean;
  result?: { response?: unknown; error?: { code: number; message: string } };
  /** Applies the effect; returns the response. */
  readonly complete: () => unknown;
  /** Releases what the operation reserved when it ends in error. */
  readonly abandon: () => void;
  readonly failure?: { code: number; message: string };
}

type Injected =
  | { kind: 'http'; method: FakeMethod; httpStatus: number; status: string; message: string; times: number }
  | { kind: 'operation'; method: FakeMethod; code: number; message: string; times: number }
  | { kind: 'stall'; method: FakeMethod; times: number }
  | { kind: 'network'; method: FakeMethod; when: 'before' | 'after'; times: number };

export interface RecordedRequest {
  readonly method: FakeMethod;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

export const FAKE_TOKEN = 'dummy-token';

export class FakeVertexApi {
  readonly requests: RecordedRequest[] = [];
  readonly models = new Map<string, FakeModel>();
  readonly endpoints = new Map<string, FakeEndpoint>();
  /** Deployment resource pools by resource name. */
  readonly pools = new Map<string, FakeDeploymentResourcePool>();
  /** What the real API would have refused, or a call the provider must not make. */
  readonly violations: string[] = [];
  /** operations.get calls that answer done: false before an operation completes. */
  pollsBeforeDone = 1;
  /** Bearer tokens the fake accepts. */
  readonly tokens = new Set([FAKE_TOKEN]);
  private readonly operations = new Map<string, FakeOperation>();
  /** Ids taken by an operation still running (a model being uploaded, a model being deployed). */
  private readonly reserved = new Set<string>();
  private injected: Injected[] = [];
  private nextId = 1000;
  private server?: Server;

  constructor(
    readonly project: string,
    readonly region: string,
  ) {}

  get location(): string {
    return `projects/${this.project}/locations/${this.region}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }

  /** An endpoint as the AiEndpoint resource would have created it. */
  addEndpoint(endpointId: string, kmsKeyName?: string): FakeEndpoint {
    const endpoint = { name: `${this.location}/endpoints/${endpointId}`, deployedModels: [], trafficSplit: {}, ...(kmsKeyName && { kmsKeyName }) };
    this.endpoints.set(endpointId, endpoint);
    return endpoint;
  }

  /** The next `times` calls of `method` answer this error. */
  failHttp(method: FakeMethod, httpStatus: number, status: string, message: string, times = 1): void {
    this.injected.push({ kind: 'http', method, httpStatus, status, message, times });
  }

  /** The next `times` operations `method` starts end in this google.rpc.Code. */
  failOperation(method: FakeMethod, code: number, message: string, times = 1): void {
    this.injected.push({ kind: 'operation', method, code, message, times });
  }

  /** The next `times` operations `method` starts never finish. */
  stallOperation(method: FakeMethod, times = 1): void {
    this.injected.push({ kind: 'stall', method, times });
  }

  /** The connection drops: before the server acts, or after it acted (the response is lost). */
  dropConnection(method: FakeMethod, when: 'before' | 'after', times = 1): void {
    this.injected.push({ kind: 'network', method, when, times });
  }

  /** Finishes the stalled operations, as the service eventually would. */
  finishStalled(): void {
    for (const op of this.operations.values()) if (op.stalled && !op.done) this.finish(op);
  }

  reset(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.models.clear();
    this.endpoints.clear();
    this.pools.clear();
    this.operations.clear();
    this.reserved.clear();
    this.injected = [];
    this.pollsBeforeDone = 1;
    this.tokens.clear();
    this.tokens.add(FAKE_TOKEN);
  }

  calls(method: FakeMethod): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** Nothing uploaded, nothing deployed, no pool, nothing running. */
  leftovers(): string[] {
    return [
      ...[...this.models.keys()].map((m) => `model ${m}`),
      ...[...this.pools.keys()].map((p) => `deployment resource pool ${p}`),
      ...[...this.endpoints.values()].flatMap((e) => e.deployedModels.map((d) => `deployed model ${d.id} on ${e.name}`)),
      ...[...this.operations.values()].filter((o) => !o.done).map((o) => `operation ${o.name} still running`),
    ];
  }

  private take(method: FakeMethod, kinds: Injected['kind'][], when?: 'before' | 'after'): Injected | undefined {
    const found = this.injected.find((f) => f.method === method && f.times > 0 && kinds.includes(f.kind) && (f.kind !== 'network' || f.when === when));
    if (found) found.times -= 1;
    return found;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const routed = routeRequest(req.method ?? 'GET', path);
    const method = routed ? METHODS[routed.rule.method] : undefined;
    if (!routed || !method) {
      const what = routed ? `${routed.rule.method}, which the model deployment has no business calling` : 'no method of the Vertex AI v1 or v1beta1 API';
      this.violations.push(`${req.method} ${path}: ${what}`);
      return this.error(res, 404, 'NOT_FOUND', `${req.method} ${path} is ${what}`);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      this.violations.push(`${method}: the body is not JSON`);
      return this.error(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    this.requests.push({ method, path, query: url.search, body, headers: { authorization: req.headers.authorization, 'x-goog-user-project': header(req, 'x-goog-user-project') } });

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return this.error(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const problems = requestProblems(routed, url.searchParams, body);
    if (problems.length > 0) {
      this.violations.push(...problems.map((p) => `${method}: ${p}`));
      return this.error(res, 400, 'INVALID_ARGUMENT', problems.join(' '));
    }
    if (this.take(method, ['network'], 'before')) return void req.socket.destroy();
    this.tick();
    const injected = this.take(method, ['http']);
    if (injected?.kind === 'http') return this.error(res, injected.httpStatus, injected.status, injected.message);
    let result: unknown;
    try {
      result = this.dispatch(method, routed.variables, url.searchParams, (body ?? {}) as Record<string, unknown>, routed.rule.version);
    } catch (e) {
      if (e instanceof ApiError) return this.error(res, e.httpStatus, e.status, e.message);
      throw e;
    }
    if (this.take(method, ['network'], 'after')) return void req.socket.destroy();
    this.json(res, 200, result);
  }

  private dispatch(method: FakeMethod, vars: Record<string, string>, query: URLSearchParams, body: Record<string, unknown>, version: HttpRule['version']): unknown {
    switch (method) {
      case 'models.upload':
        return this.upload(vars.parent, body);
      case 'models.get':
        return this.model(vars.name);
      case 'models.delete':
        return this.deleteModel(vars.name);
      case 'operations.get':
        return this.poll(vars.name);
      case 'endpoints.get':
        return this.endpointJson(this.endpoint(vars.name));
      case 'endpoints.patch':
        return this.patch(vars['endpoint.name'], body, query);
      case 'endpoints.deployModel':
        return this.deploy(vars.endpoint, body, version);
      case 'endpoints.undeployModel':
        return this.undeploy(vars.endpoint, body);
      case 'endpoints.mutateDeployedModel':
        return this.mutate(vars.endpoint, body, version);
      case 'deploymentResourcePools.create':
        return this.createPool(vars.parent, body);
      case 'deploymentResourcePools.get':
        return this.pool(vars.name);
      case 'deploymentResourcePools.delete':
        return this.deletePool(vars.name);
      case 'deploymentResourcePools.queryDeployedModels':
        return { deployedModelRefs: this.poolMembers(this.pool(vars.deployment_resource_pool).name).map(({ endpoint, id }) => ({ endpoint, deployedModelId: id })) };
    }
  }

  private inLocation(name: string): void {
    if (!name.startsWith(`${this.location}/`)) throw new ApiError(404, 'NOT_FOUND', `${name} is not in ${this.location}`);
  }

  private endpoint(name: string): FakeEndpoint {
    this.inLocation(name);
    const endpoint = this.endpoints.get(name.slice(name.lastIndexOf('/') + 1));
    if (!endpoint) throw new ApiError(404, 'NOT_FOUND', `Endpoint \`${name}\` not found.`);
    return endpoint;
  }

  private model(name: string): FakeModel {
    this.inLocation(name);
    const model = this.models.get(name);
    if (!model) throw new ApiError(404, 'NOT_FOUND', `The Model does not exist: ${name}`);
    return model;
  }

  private startOperation(method: FakeMethod, resource: string, complete: () => unknown, abandon: () => void = () => undefined): { name: string; done: boolean } {
    const name = `${resource}/operations/${this.nextId++}`;
    const failure = this.take(method, ['operation', 'stall']);
    const op: FakeOperation = {
      name,
      pollsLeft: this.pollsBeforeDone,
      stalled: failure?.kind === 'stall',
      done: false,
      complete,
      abandon,
      failure: failure?.kind === 'operation' ? { code: failure.code, message: failure.message } : undefined,
    };
    this.operations.set(name, op);
    return { name, done: false };
  }

  private finish(op: FakeOperation): void {
    op.done = true;
    if (op.failure) {
      op.abandon();
      op.result = { error: op.failure };
    } else {
      op.result = { response: op.complete() };
    }
  }

  /** Time passes with every request: each running operation gets one step closer to done. */
  private tick(): void {
    for (const op of this.operations.values()) {
      if (op.done || op.stalled) continue;
      if (op.pollsLeft > 0) op.pollsLeft -= 1;
      else this.finish(op);
    }
  }

  private poll(name: string): unknown {
    const op = this.operations.get(name);
    if (!op) throw new ApiError(404, 'NOT_FOUND', `Operation ${name} not found.`);
    return op.done ? { name, done: true, ...op.result } : { name, done: false };
  }

  private kmsKeyProblem(key: string | undefined): void {
    if (key === undefined) return;
    const match = /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.exec(key);
    if (!match) throw new ApiError(400, 'INVALID_ARGUMENT', `encryption_spec.kms_key_name ${key} is not a Cloud KMS key name`);
    if (match[1] !== this.region) throw new ApiError(400, 'INVALID_ARGUMENT', `The key ${key} must be in ${this.region}, where the resource is created.`);
  }

  private upload(parent: string, body: Record<string, unknown>): unknown {
    if (parent !== this.location) throw new ApiError(400, 'INVALID_ARGUMENT', `parent ${parent} is not ${this.location}`);
    const model = body.model as FakeModel;
    const modelId = body.modelId as string | undefined;
    if (modelId !== undefined && !MODEL_ID.test(modelId)) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `model_id "${modelId}": up to 63 of [a-z0-9_-], the first character not a digit or hyphen`);
    }
    if (!model.containerSpec?.imageUri) throw new ApiError(400, 'INVALID_ARGUMENT', 'A custom model needs container_spec.image_uri.');
    this.kmsKeyProblem(model.encryptionSpec?.kmsKeyName);
    const name = `${this.location}/models/${modelId ?? String(this.nextId++)}`;
    if (this.models.has(name) || this.reserved.has(name)) throw new ApiError(409, 'ALREADY_EXISTS', `Model ${name} already exists.`);
    this.reserved.add(name);
    return this.startOperation(
      'models.upload',
      name,
      () => {
        this.reserved.delete(name);
        this.models.set(name, { ...model, name });
        return { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.UploadModelResponse', model: name };
      },
      () => this.reserved.delete(name),
    );
  }

  private deleteModel(name: string): unknown {
    this.model(name);
    for (const e of this.endpoints.values()) {
      if (e.deployedModels.some((d) => d.model === name)) {
        throw new ApiError(400, 'FAILED_PRECONDITION', `The Model ${name} is deployed to ${e.name}: undeploy it first.`);
      }
    }
    if ([...this.reserved].some((r) => r.startsWith(`deploy:${name}:`))) throw new ApiError(400, 'FAILED_PRECONDITION', `The Model ${name} is being deployed.`);
    return this.startOperation('models.delete', name, () => {
      this.models.delete(name);
      return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
    });
  }

  private resourcesProblem(r: DedicatedResourcesJson | undefined, version: HttpRule['version'], mutable = false): void {
    if (!r) throw new ApiError(400, 'INVALID_ARGUMENT', 'A custom-container model is deployed on dedicated_resources.');
    const machine = r.machineSpec;
    if (!mutable && !machine?.machineType) throw new ApiError(400, 'INVALID_ARGUMENT', 'dedicated_resources.machine_spec.machine_type is required.');
    if (machine && (machine.acceleratorType !== undefined) !== ((machine.acceleratorCount ?? 0) > 0)) {
      throw new ApiError(400, 'INVALID_ARGUMENT', 'machine_spec: accelerator_type and a positive accelerator_count go together.');
    }
    const min = r.minReplicaCount ?? 0;
    const max = r.maxReplicaCount || min;
    // v1 takes at least one replica; v1beta1 also takes 0, the scale-to-zero preview.
    if (min < 1 && version === 'v1') throw new ApiError(400, 'INVALID_ARGUMENT', `dedicated_resources.min_replica_count must be at least 1, got ${min}.`);
    if (min < 0) throw new ApiError(400, 'INVALID_ARGUMENT', `dedicated_resources.min_replica_count must not be negative, got ${min}.`);
    if (max < Math.max(1, min)) throw new ApiError(400, 'INVALID_ARGUMENT', `max_replica_count ${max} is below min_replica_count ${min} (or 1).`);
    this.scaleToZeroProblem(r, min, max);
    for (const spec of r.autoscalingMetricSpecs ?? []) {
      if (!AUTOSCALING_METRICS.includes(spec.metricName)) {
        throw new ApiError(400, 'INVALID_ARGUMENT', `autoscaling metric ${spec.metricName} is not one of ${AUTOSCALING_METRICS.join(', ')}.`);
      }
      const utilisation = !spec.metricName.endsWith('/request_count');
      if (utilisation && spec.target !== undefined && (spec.target < 1 || spec.target > 100)) {
        throw new ApiError(400, 'INVALID_ARGUMENT', `autoscaling target ${spec.target} of ${spec.metricName}: 1-100 (percent).`);
      }
    }
  }

  /**
   * DedicatedResources.initial_replica_count: set, above zero and at most max_replica_count exactly
   * when min_replica_count is 0; ScaleToZeroSpec periods within 300–28800 s (v1beta1 machine_resources.proto).
   */
  private scaleToZeroProblem(r: DedicatedResourcesJson, min: number, max: number): void {
    const initial = r.initialReplicaCount;
    if (min > 0 && initial !== undefined) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `dedicated_resources.initial_replica_count is for min_replica_count 0 (scale to zero); min_replica_count is ${min}.`);
    }
    if (min > 0 && r.scaleToZeroSpec !== undefined) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `dedicated_resources.scale_to_zero_spec needs min_replica_count 0, got ${min}.`);
    }
    if (min === 0 && (initial === undefined || initial < 1 || initial > max)) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `dedicated_resources.initial_replica_count must be in 1..max_replica_count (${max}) when min_replica_count is 0, got ${initial ?? 'none'}.`);
    }
    for (const [field, value] of Object.entries(r.scaleToZeroSpec ?? {})) {
      const seconds = Number(/^(\d+)s$/.exec(String(value))?.[1] ?? NaN);
      const { min: lo, max: hi } = SCALE_TO_ZERO_PERIOD_SECONDS;
      if (!(seconds >= lo && seconds <= hi)) throw new ApiError(400, 'INVALID_ARGUMENT', `scale_to_zero_spec.${field} must be ${lo}s to ${hi}s, got ${String(value)}.`);
    }
  }

  private pool(name: string): FakeDeploymentResourcePool {
    this.inLocation(name);
    const pool = this.pools.get(name);
    if (!pool) throw new ApiError(404, 'NOT_FOUND', `DeploymentResourcePool \`${name}\` not found.`);
    return pool;
  }

  /** The deployed models on a pool, and those being deployed to it. */
  private poolMembers(name: string): { endpoint: string; id: string; model: string }[] {
    return [...this.endpoints.values()].flatMap((e) => e.deployedModels.filter((d) => d.sharedResources === name).map((d) => ({ endpoint: e.name, id: d.id, model: d.model })));
  }

  private createPool(parent: string, body: Record<string, unknown>): unknown {
    if (parent !== this.location) throw new ApiError(400, 'INVALID_ARGUMENT', `parent ${parent} is not ${this.location}`);
    const id = body.deploymentResourcePoolId as string;
    if (!DEPLOYMENT_RESOURCE_POOL_ID.test(id)) throw new ApiError(400, 'INVALID_ARGUMENT', `deployment_resource_pool_id "${id}": ${DEPLOYMENT_RESOURCE_POOL_ID.source}`);
    const pool = body.deploymentResourcePool as Omit<FakeDeploymentResourcePool, 'name'>;
    // The pool owns its replicas: v1 DedicatedResources, min_replica_count >= 1.
    this.resourcesProblem(pool.dedicatedResources, 'v1');
    this.kmsKeyProblem(pool.encryptionSpec?.kmsKeyName);
    const name = `${this.location}/deploymentResourcePools/${id}`;
    if (this.pools.has(name) || this.reserved.has(name)) throw new ApiError(409, 'ALREADY_EXISTS', `DeploymentResourcePool ${name} already exists.`);
    this.reserved.add(name);
    return this.startOperation(
      'deploymentResourcePools.create',
      name,
      () => {
        this.reserved.delete(name);
        const created = { ...pool, name };
        this.pools.set(name, created);
        return { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeploymentResourcePool', ...created };
      },
      () => this.reserved.delete(name),
    );
  }

  private deletePool(name: string): unknown {
    this.pool(name);
    const members = this.poolMembers(name);
    const deploying = [...this.reserved].filter((r) => r.startsWith(`pool:${name}:`));
    if (members.length > 0 || deploying.length > 0) {
      const which = members.map((m) => `${m.id} on ${m.endpoint}`).join(', ') || 'a model being deployed';
      throw new ApiError(400, 'FAILED_PRECONDITION', `DeploymentResourcePool ${name} has deployed models (${which}): undeploy them first.`);
    }
    return this.startOperation('deploymentResourcePools.delete', name, () => {
      this.pools.delete(name);
      return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
    });
  }

  /** A model deployed to a pool: the pool exists here, and takes the model's container (model-co-hosting limitations). */
  private sharedProblem(poolName: string, model: FakeModel, endpoint: FakeEndpoint): void {
    const pool = this.pool(poolName);
    // "Endpoints and the DeploymentResourcePool they deploy in need to have the same EncryptionSpec" (deployment_resource_pool.proto).
    if ((pool.encryptionSpec?.kmsKeyName ?? '') !== (endpoint.kmsKeyName ?? '')) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `${endpoint.name} (key ${endpoint.kmsKeyName ?? 'none'}) and ${pool.name} (key ${pool.encryptionSpec?.kmsKeyName ?? 'none'}) need the same encryption_spec.`);
    }
    const images = [model.containerSpec.imageUri, ...this.poolMembers(pool.name).map((m) => this.models.get(m.model)?.containerSpec.imageUri ?? '')];
    const problem = vertexPoolImageProblem(images);
    if (problem) throw new ApiError(400, 'FAILED_PRECONDITION', `Model ${model.name} cannot be deployed to ${pool.name}: ${problem}.`);
  }

  /** Keys are deployed-model ids among `ids`, values whole percents summing to 100 (or nothing at all). */
  private splitProblem(split: Record<string, number>, ids: readonly string[], what: string): void {
    for (const [id, percent] of Object.entries(split)) {
      if (!ids.includes(id)) throw new ApiError(400, 'INVALID_ARGUMENT', `${what}: ${id} is not a deployed model of the endpoint (have ${ids.join(', ') || 'none'}).`);
      if (percent < 0 || percent > 100) throw new ApiError(400, 'INVALID_ARGUMENT', `${what}: ${id} gets ${percent} %.`);
    }
    const total = Object.values(split).reduce((a, b) => a + b, 0);
    if (Object.keys(split).length > 0 && total !== 100) throw new ApiError(400, 'INVALID_ARGUMENT', `${what} must add up to 100, got ${total}.`);
  }

  private deploy(endpointName: string, body: Record<string, unknown>, version: HttpRule['version']): unknown {
    const endpoint = this.endpoint(endpointName);
    const deployed = body.deployedModel as FakeDeployedModel;
    const model = this.model(deployed.model);
    if (deployed.sharedResources !== undefined) this.sharedProblem(deployed.sharedResources, model, endpoint);
    else this.resourcesProblem(deployed.dedicatedResources, version);
    if (deployed.id !== undefined && !DEPLOYED_MODEL_ID.test(deployed.id)) {
      throw new ApiError(400, 'INVALID_ARGUMENT', `DeployedModel.id "${deployed.id}": 1-10 characters of [0-9].`);
    }
    const id = deployed.id ?? String(this.nextId++);
    if (endpoint.deployedModels.some((d) => d.id === id) || this.reserved.has(`${endpoint.name}:${id}`)) {
      throw new ApiError(409, 'ALREADY_EXISTS', `DeployedModel ${id} already exists on ${endpoint.name}.`);
    }
    const split = (body.trafficSplit ?? {}) as Record<string, number>;
    this.splitProblem(split, [...endpoint.deployedModels.map((d) => d.id), '0'], 'traffic_split');
    const keys = [`${endpoint.name}:${id}`, `deploy:${deployed.model}:${id}`, ...(deployed.sharedResources ? [`pool:${deployed.sharedResources}:${id}`] : [])];
    for (const k of keys) this.reserved.add(k);
    const release = () => keys.forEach((k) => this.reserved.delete(k));
    return this.startOperation(
      'endpoints.deployModel',
      endpoint.name,
      () => {
        release();
        const model = { ...deployed, id };
        endpoint.deployedModels.push(model);
        if (Object.keys(split).length > 0) endpoint.trafficSplit = Object.fromEntries(Object.entries(split).map(([k, v]) => [k === '0' ? id : k, v]));
        return { '@type': `type.googleapis.com/google.cloud.aiplatform.${version}.DeployModelResponse`, deployedModel: model };
      },
      release,
    );
  }

  private undeploy(endpointName: string, body: Record<string, unknown>): unknown {
    const endpoint = this.endpoint(endpointName);
    const id = body.deployedModelId as string;
    if (!endpoint.deployedModels.some((d) => d.id === id)) throw new ApiError(404, 'NOT_FOUND', `DeployedModel ${id} not found on ${endpoint.name}.`);
    const rest = endpoint.deployedModels.filter((d) => d.id !== id).map((d) => d.id);
    const given = (body.trafficSplit ?? {}) as Record<string, number>;
    this.splitProblem(given, rest, 'traffic_split');
    const carried = endpoint.trafficSplit[id] ?? 0;
    // UndeployModelRequest.traffic_split: undeployed only if it carries no traffic, or this field unassigns it.
    if (carried > 0 && rest.length > 0 && Object.keys(given).length === 0) {
      throw new ApiError(400, 'FAILED_PRECONDITION', `DeployedModel ${id} has ${carried} % of the traffic: give the traffic_split of the models that stay.`);
    }
    return this.startOperation('endpoints.undeployModel', endpoint.name, () => {
      const { [id]: _gone, ...kept } = endpoint.trafficSplit;
      endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== id);
      endpoint.trafficSplit = endpoint.deployedModels.length === 0 ? {} : Object.keys(given).length > 0 ? given : kept;
      return { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.UndeployModelResponse' };
    });
  }

  private mutate(endpointName: string, body: Record<string, unknown>, version: HttpRule['version']): unknown {
    const endpoint = this.endpoint(endpointName);
    const change = body.deployedModel as FakeDeployedModel;
    const target = endpoint.deployedModels.find((d) => d.id === change.id);
    if (!target) throw new ApiError(404, 'NOT_FOUND', `DeployedModel ${change.id} not found on ${endpoint.name}.`);
    if (target.sharedResources !== undefined) {
      throw new ApiError(400, 'FAILED_PRECONDITION', `DeployedModel ${change.id} runs on ${target.sharedResources}: its deployment resource pool owns the replicas and their autoscaling.`);
    }
    const paths = String(body.updateMask).split(',');
    const immutable = paths.filter((p) => !MUTABLE_PATHS.has(p));
    if (immutable.length > 0) throw new ApiError(400, 'INVALID_ARGUMENT', `update_mask: ${immutable.join(', ')} cannot be mutated (only ${[...MUTABLE_PATHS].join(', ')}).`);
    const next: DedicatedResourcesJson = { ...target.dedicatedResources };
    for (const p of paths) {
      const key = p.split('.')[1] as keyof DedicatedResourcesJson;
      if (p.startsWith('dedicatedResources.')) Object.assign(next, { [key]: change.dedicatedResources?.[key] });
    }
    this.resourcesProblem(next, version);
    return this.startOperation('endpoints.mutateDeployedModel', endpoint.name, () => {
      target.dedicatedResources = next;
      return { '@type': `type.googleapis.com/google.cloud.aiplatform.${version}.MutateDeployedModelResponse`, deployedModel: target };
    });
  }

  private patch(endpointName: string, body: Record<string, unknown>, query: URLSearchParams): unknown {
    const endpoint = this.endpoint(endpointName);
    const mask = query.get('updateMask');
    if (mask !== 'trafficSplit') {
      this.violations.push(`endpoints.patch: updateMask ${mask}; the model deployment only changes trafficSplit`);
      throw new ApiError(400, 'INVALID_ARGUMENT', `update_mask ${mask} is not trafficSplit`);
    }
    const split = (body.trafficSplit ?? {}) as Record<string, number>;
    const ids = endpoint.deployedModels.map((d) => d.id);
    this.splitProblem(split, ids, 'traffic_split');
    if (ids.length > 0 && Object.keys(split).length === 0) throw new ApiError(400, 'INVALID_ARGUMENT', 'traffic_split must add up to 100 while models are deployed.');
    endpoint.trafficSplit = { ...split };
    return this.endpointJson(endpoint);
  }

  private endpointJson(endpoint: FakeEndpoint): unknown {
    return { name: endpoint.name, deployedModels: endpoint.deployedModels, trafficSplit: endpoint.trafficSplit };
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, code: number, status: string, message: string): void {
    this.json(res, code, { error: { code, message, status } });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
