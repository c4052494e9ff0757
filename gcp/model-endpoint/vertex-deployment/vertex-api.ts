/**
 * A small client for the Vertex AI REST API v1, covering what `VertexModelDeployment` and
 * `VertexDeploymentResourcePool` need: models.upload / get / delete, endpoints.get / patch /
 * deployModel / undeployModel / mutateDeployedModel, deploymentResourcePools.create / get /
 * delete, and polling of long-running operations. URLs, verbs and bodies follow the
 * `google.api.http` annotations and messages of the v1 protos in @google-cloud/aiplatform.
 *
 * Plain module on purpose: the dynamic provider `require()`s it at run time, and tests call it
 * directly against a local fake.
 *
 * Transient failures are retried with capped exponential backoff and full jitter: network errors,
 * 408, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 502, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED, on every
 * call including the operation polls of an hour-long deployment. Creates are safe to retry because
 * the caller chooses the ids (UploadModelRequest.model_id, DeployedModel.id): a retried create
 * answered ALREADY_EXISTS was accepted by an earlier attempt whose answer was lost, and the
 * client waits for the resource to appear instead of failing. Errors follow google.rpc.Status and
 * each one names the operation, the resource and what to do about it.
 */
import { CLOUD_PLATFORM_SCOPE, type RequestHeadersSource } from './gcp-credentials';
import type { TrafficSplit } from './traffic-split';
import { GoogleAuth } from 'google-auth-library';

export interface VertexApiOptions {
  readonly project: string;
  readonly region: string;
  /** Defaults to `https://{region}-aiplatform.googleapis.com`, the regional endpoint. */
  readonly baseUrl?: string;
  /** Request headers (authorization, and x-goog-user-project when the credentials name one). Defaults to application-default credentials. */
  readonly auth?: RequestHeadersSource | Promise<RequestHeadersSource>;
  /** Which credentials `auth` holds, for the error when they yield no token. */
  readonly credentialSource?: string;
  /** Sent as `x-goog-user-project`, overriding the credentials' quota project (gcp:userProjectOverride). */
  readonly userProject?: string;
  /** How long one long-running operation may take. Deploying a GPU model takes many minutes. */
  readonly operationTimeoutMs?: number;
  /** First delay between operation polls; doubles up to `pollMaxMs`. */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Attempts of one call that fails transiently. */
  readonly maxAttempts?: number;
  /** Cap of the first retry delay; doubles per attempt up to `retryMaxMs`; the delay is drawn below the cap (full jitter). */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Uniform in [0, 1), for the jitter. */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function defaultVertexBaseUrl(region: string): string {
  return `https://${region}-aiplatform.googleapis.com`;
}

/** google.rpc.Status as carried in an error body and in a failed operation. */
export interface RpcStatus {
  readonly code?: number;
  readonly message?: string;
  readonly status?: string;
  readonly details?: readonly unknown[];
}

/** google.rpc.Code numbers to names, for operations whose error carries only the number. */
const RPC_CODE_NAMES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

const HTTP_STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Answers that mean "not done, try again": the request may or may not have been acted on. */
export const RETRYABLE_HTTP_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** What to do about each status, for the person reading the error. */
function adviceFor(status: string, operation: string): string {
  switch (status) {
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return 'fix the request: check the machine type, accelerator, replica counts, image URI and traffic split in the topology';
    case 'UNAUTHENTICATED':
      return 'refresh the credentials the gcp provider uses (gcp:credentials, GOOGLE_CREDENTIALS, or gcloud auth application-default login)';
    case 'PERMISSION_DENIED':
      return `grant the deploying identity roles/aiplatform.user on the project (and iam.serviceAccounts.actAs on the serving service account), check that aiplatform.googleapis.com is enabled, and that the Vertex AI service agent can read the image and artifacts`;
    case 'NOT_FOUND':
      return 'check that the project, region and endpoint exist (the endpoint is created by the AiEndpoint resource)';
    case 'RESOURCE_EXHAUSTED':
      return `a quota or capacity limit was hit during ${operation}: request more quota for the machine or accelerator type in this region, lower maxReplicaCount, or retry later`;
    case 'ALREADY_EXISTS':
      return 'a resource with this id already exists; run the update again (the stack records what it started)';
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED':
    case 'INTERNAL':
      return 'Vertex AI failed transiently; run the update again: the stack recorded what was started and finishes or removes it';
    default:
      return 'see the message above and the Vertex AI console';
  }
}

/** A Vertex AI call that failed, with the operation, the resource and the advice in the message. */
export class VertexApiError extends Error {
  override readonly name = 'VertexApiError';
  constructor(
    readonly operation: string,
    readonly resource: string,
    /** google.rpc status name, e.g. RESOURCE_EXHAUSTED. */
    readonly status: string,
    /** HTTP status for a failed call; undefined for an operation that ended in error. */
    readonly httpStatus: number | undefined,
    readonly detail: string,
    /** The long-running operation this is about, when there is one (still running, or ended in error). */
    readonly longRunningOperation?: string,
  ) {
    super(
      `Vertex AI ${operation} on ${resource} failed: ${status}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${detail}. ` +
        `What to do: ${adviceFor(status, operation)}.`,
    );
  }

  /** The operation is still running on the server: its outcome is not known yet. */
  get stillRunning(): boolean {
    return this.status === 'DEADLINE_EXCEEDED' && this.httpStatus === undefined && this.longRunningOperation !== undefined;
  }

  /** A long-running operation that ended in error: it made nothing. */
  get operationFailed(): boolean {
    return this.httpStatus === undefined && this.longRunningOperation !== undefined && !this.stillRunning;
  }
}

export function isVertexApiError(e: unknown): e is VertexApiError {
  return e instanceof Error && e.name === 'VertexApiError' && 'status' in e;
}

export interface Operation {
  readonly name: string;
  readonly done?: boolean;
  readonly error?: RpcStatus;
  readonly response?: Record<string, unknown>;
}

export interface ContainerSpec {
  readonly imageUri: string;
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly ports?: readonly { readonly containerPort: number }[];
  readonly predictRoute?: string;
  readonly healthRoute?: string;
}

/** google.cloud.aiplatform.v1.Model, the fields an upload sets. */
export interface ModelUpload {
  readonly displayName: string;
  readonly artifactUri?: string;
  readonly containerSpec: ContainerSpec;
  readonly labels?: Readonly<Record<string, string>>;
  readonly encryptionSpec?: { readonly kmsKeyName: string };
}

export interface DedicatedResources {
  readonly machineSpec: { readonly machineType: string; readonly acceleratorType?: string; readonly acceleratorCount?: number };
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  readonly autoscalingMetricSpecs?: readonly { readonly metricName: string; readonly target: number }[];
  /** v1beta1 only, with minReplicaCount 0: replicas started on creation and on every wake. */
  readonly initialReplicaCount?: number;
  /** v1beta1 only (DedicatedResources.ScaleToZeroSpec): durations such as `"900s"`. */
  readonly scaleToZeroSpec?: { readonly minScaleupPeriod: string; readonly idleScaledownPeriod: string };
}

/**
 * The API version a request speaks: v1, or v1beta1 for what only the preview has (scale to zero:
 * DedicatedResources.min_replica_count 0, initial_replica_count, scale_to_zero_spec, in
 * google/cloud/aiplatform/v1beta1/machine_resources.proto; the v1 proto has none of them).
 */
export type VertexApiVersion = 'v1' | 'v1beta1';

/** The version a deployment of these resources needs (a deployment resource pool's members: v1). */
export function apiVersionFor(resources: DedicatedResources | undefined): VertexApiVersion {
  return resources !== undefined && (resources.scaleToZeroSpec !== undefined || resources.minReplicaCount === 0) ? 'v1beta1' : 'v1';
}

export interface DeployedModel {
  /** DeployedModel.id: 1-10 digits, chosen by the caller so a retried deploy cannot deploy twice. */
  readonly id: string;
  readonly model: string;
  readonly displayName?: string;
  /** Exactly one of the two (DeployedModel.prediction_resources, endpoint.proto). */
  readonly dedicatedResources?: DedicatedResources;
  /** The DeploymentResourcePool's resource name: the pool's replicas serve the model. */
  readonly sharedResources?: string;
  readonly serviceAccount?: string;
}

/** google.cloud.aiplatform.v1.DeploymentResourcePool, the fields a create sets. */
export interface DeploymentResourcePool {
  readonly dedicatedResources: DedicatedResources;
  readonly encryptionSpec?: { readonly kmsKeyName: string };
  readonly serviceAccount?: string;
}

export interface Endpoint {
  readonly name: string;
  readonly deployedModels?: readonly DeployedModel[];
  readonly trafficSplit?: Readonly<Record<string, number>>;
}

/** Called with the name of the long-running operation a request started, before waiting on it. */
export type OperationStarted = (operation: string) => void;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A create a retried request found done by an earlier attempt (its response was lost). */
const ACCEPTED_EARLIER = Symbol('accepted earlier');

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface CallOptions {
  /** The API version of the request. @default 'v1' */
  readonly version?: VertexApiVersion;
  /** 404 answers undefined instead of failing. */
  readonly notFoundOk?: boolean;
  /** A create with a caller-chosen id: ALREADY_EXISTS on a retry means an earlier attempt was accepted. */
  readonly idempotentCreate?: boolean;
}

export class VertexApi {
  readonly baseUrl: string;
  private readonly auth: Promise<RequestHeadersSource>;
  private readonly operationTimeoutMs: number;
  private readonly pollInitialMs: number;
  private readonly pollMaxMs: number;
  private readonly maxAttempts: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: VertexApiOptions) {
    this.baseUrl = (options.baseUrl ?? defaultVertexBaseUrl(options.region)).replace(/\/+$/, '');
    this.auth = Promise.resolve(options.auth ?? new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] }));
    this.operationTimeoutMs = options.operationTimeoutMs ?? 60 * 60 * 1000;
    this.pollInitialMs = options.pollInitialMs ?? 2000;
    this.pollMaxMs = options.pollMaxMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.retryInitialMs = options.retryInitialMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 32_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** `projects/{p}/locations/{l}` */
  get parent(): string {
    return `projects/${this.options.project}/locations/${this.options.region}`;
  }

  endpointName(endpointId: string): string {
    return `${this.parent}/endpoints/${endpointId}`;
  }

  modelName(modelId: string): string {
    return `${this.parent}/models/${modelId}`;
  }

  poolName(poolId: string): string {
    return `${this.parent}/deploymentResourcePools/${poolId}`;
  }

  /** deploymentResourcePools.create under `poolId`, waiting for the operation; returns the pool's resource name. */
  async createDeploymentResourcePool(poolId: string, pool: DeploymentResourcePool, started?: OperationStarted): Promise<string> {
    const name = this.poolName(poolId);
    const op = await this.call<Operation>('deploymentResourcePools.create', name, 'POST', `${this.parent}/deploymentResourcePools`, { deploymentResourcePoolId: poolId, deploymentResourcePool: pool }, { idempotentCreate: true });
    if (op === ACCEPTED_EARLIER) {
      await this.waitUntil('deploymentResourcePools.create', name, async () => (await this.getDeploymentResourcePool(name)) !== undefined);
      return name;
    }
    started?.(op.name);
    await this.waitForOperation(op, 'deploymentResourcePools.create', name);
    return name;
  }

  /** deploymentResourcePools.get; undefined when there is no such pool. */
  async getDeploymentResourcePool(name: string): Promise<{ readonly name: string } | undefined> {
    return this.call<{ name: string }>('deploymentResourcePools.get', name, 'GET', name, undefined, { notFoundOk: true });
  }

  /** deploymentResourcePools.delete; a pool that is already gone counts as deleted. Vertex refuses while models are deployed to it. */
  async deleteDeploymentResourcePool(name: string): Promise<void> {
    const op = await this.call<Operation>('deploymentResourcePools.delete', name, 'DELETE', name, undefined, { notFoundOk: true });
    if (op) await this.waitForOperation(op, 'deploymentResourcePools.delete', name);
  }

  /** models.upload under `modelId`, waiting for the operation; returns the model's resource name. */
  async uploadModel(modelId: string, model: ModelUpload, started?: OperationStarted): Promise<string> {
    const name = this.modelName(modelId);
    const what = `model "${model.displayName}" (${name})`;
    const op = await this.call<Operation>('models.upload', what, 'POST', `${this.parent}/models:upload`, { modelId, model }, { idempotentCreate: true });
    if (op === ACCEPTED_EARLIER) {
      await this.waitUntil('models.upload', what, async () => (await this.getModel(name)) !== undefined);
      return name;
    }
    started?.(op.name);
    await this.waitForOperation(op, 'models.upload', what);
    return name;
  }

  /** models.get; undefined when there is no such model. */
  async getModel(name: string): Promise<{ readonly name: string } | undefined> {
    return this.call<{ name: string }>('models.get', name, 'GET', name, undefined, { notFoundOk: true });
  }

  /** models.delete; a model that is already gone counts as deleted. */
  async deleteModel(modelName: string): Promise<void> {
    const op = await this.call<Operation>('models.delete', modelName, 'DELETE', modelName, undefined, { notFoundOk: true });
    if (op) await this.waitForOperation(op, 'models.delete', modelName);
  }

  async getEndpoint(endpointId: string): Promise<Endpoint> {
    const name = this.endpointName(endpointId);
    return this.call<Endpoint>('endpoints.get', name, 'GET', name);
  }

  /** endpoints.deployModel under `deployedModel.id`, waiting for the operation. */
  async deployModel(endpointId: string, deployedModel: DeployedModel, trafficSplit: TrafficSplit, started?: OperationStarted): Promise<void> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deploying ${deployedModel.displayName ?? deployedModel.model} as ${deployedModel.id})`;
    const op = await this.call<Operation>('endpoints.deployModel', what, 'POST', `${name}:deployModel`, { deployedModel, trafficSplit }, {
      idempotentCreate: true,
      version: apiVersionFor(deployedModel.dedicatedResources),
    });
    if (op === ACCEPTED_EARLIER) {
      await this.waitUntil('endpoints.deployModel', what, async () => (await this.getEndpoint(endpointId)).deployedModels?.some((d) => d.id === deployedModel.id) ?? false);
      return;
    }
    started?.(op.name);
    await this.waitForOperation(op, 'endpoints.deployModel', what);
  }

  /**
   * endpoints.undeployModel; `trafficSplit` is the new split of the models that stay (empty: the
   * endpoint's split is left as it is). A model that is not deployed counts as undeployed.
   */
  async undeployModel(endpointId: string, deployedModelId: string, trafficSplit: TrafficSplit): Promise<void> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deployed model ${deployedModelId})`;
    const op = await this.call<Operation>('endpoints.undeployModel', what, 'POST', `${name}:undeployModel`, { deployedModelId, trafficSplit }, { notFoundOk: true });
    if (op) await this.waitForOperation(op, 'endpoints.undeployModel', what);
  }

  /** endpoints.mutateDeployedModel: replica bounds and autoscaling change without a redeploy. */
  async mutateDeployedModel(endpointId: string, deployedModel: DeployedModel): Promise<void> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deployed model ${deployedModel.id})`;
    const updateMask = 'dedicatedResources.minReplicaCount,dedicatedResources.maxReplicaCount,dedicatedResources.autoscalingMetricSpecs';
    const op = await this.call<Operation>('endpoints.mutateDeployedModel', what, 'POST', `${name}:mutateDeployedModel`, { deployedModel, updateMask }, {
      version: apiVersionFor(deployedModel.dedicatedResources),
    });
    await this.waitForOperation(op, 'endpoints.mutateDeployedModel', what);
  }

  /** endpoints.patch with updateMask=trafficSplit (synchronous). */
  async setTrafficSplit(endpointId: string, trafficSplit: TrafficSplit): Promise<void> {
    const name = this.endpointName(endpointId);
    await this.call<Endpoint>('endpoints.patch', `${name} (traffic split ${JSON.stringify(trafficSplit)})`, 'PATCH', `${name}?updateMask=trafficSplit`, {
      trafficSplit,
    });
  }

  /**
   * Polls operations.get with exponential backoff until the operation is done or the timeout
   * passes; returns its response, or throws its google.rpc.Status as a VertexApiError that names
   * the operation (`stillRunning` when the timeout passed).
   */
  async waitForOperation(op: Operation, operation: string, resource: string): Promise<Record<string, unknown>> {
    let current = op;
    let delay = this.pollInitialMs;
    let waited = 0;
    while (!current.done) {
      if (waited >= this.operationTimeoutMs) {
        throw new VertexApiError(
          operation,
          resource,
          'DEADLINE_EXCEEDED',
          undefined,
          `operation ${op.name} still running after ${Math.round(waited / 1000)} s; it may still finish: the stack records it, and the next ` +
            `\`pulumi up\` or \`pulumi destroy\` waits for it and removes what it made (or raise operationTimeoutSeconds)`,
          op.name,
        );
      }
      await this.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, this.pollMaxMs);
      current = await this.call<Operation>('operations.get', `${resource} (operation ${op.name})`, 'GET', op.name);
    }
    if (current.error) {
      const status = current.error.status ?? RPC_CODE_NAMES[current.error.code ?? 2] ?? 'UNKNOWN';
      throw new VertexApiError(operation, resource, status, undefined, `the operation ${op.name} ended in error: ${current.error.message ?? 'no message'}`, op.name);
    }
    return current.response ?? {};
  }

  /** Waits, as for an operation, until `ready` holds (a create accepted by an attempt whose answer was lost). */
  private async waitUntil(operation: string, resource: string, ready: () => Promise<boolean>): Promise<void> {
    let delay = this.pollInitialMs;
    let waited = 0;
    while (!(await ready())) {
      if (waited >= this.operationTimeoutMs) {
        throw new VertexApiError(operation, resource, 'DEADLINE_EXCEEDED', undefined, `accepted but not finished after ${Math.round(waited / 1000)} s`);
      }
      await this.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, this.pollMaxMs);
    }
  }

  private async call<T>(operation: string, resource: string, method: Method, path: string, body?: unknown, options?: CallOptions & { readonly notFoundOk?: false; readonly idempotentCreate?: false }): Promise<T>;
  private async call<T>(operation: string, resource: string, method: Method, path: string, body: unknown, options: CallOptions & { readonly notFoundOk: true }): Promise<T | undefined>;
  private async call<T>(operation: string, resource: string, method: Method, path: string, body: unknown, options: CallOptions & { readonly idempotentCreate: true }): Promise<T | typeof ACCEPTED_EARLIER>;
  private async call<T>(operation: string, resource: string, method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<T | undefined | typeof ACCEPTED_EARLIER> {
    const url = `${this.baseUrl}/${options.version ?? 'v1'}/${path}`;
    for (let attempt = 1; ; attempt++) {
      const headers = await this.headers(operation, resource, url);
      if (body !== undefined) headers.set('content-type', 'application/json');
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
        if (attempt < this.maxAttempts) {
          await this.backoff(attempt);
          continue;
        }
        throw new VertexApiError(operation, resource, 'UNAVAILABLE', undefined, `cannot reach ${this.baseUrl}: ${cause} (after ${attempt} attempts)`);
      }
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : {}) as T;
      if (response.status === 404 && options.notFoundOk) return undefined;
      const status = parseStatus(text);
      const name = status.status ?? HTTP_STATUS_NAMES[response.status] ?? 'UNKNOWN';
      if (name === 'ALREADY_EXISTS' && options.idempotentCreate && attempt > 1) return ACCEPTED_EARLIER;
      const retryable = RETRYABLE_HTTP_STATUSES.includes(response.status);
      if (retryable && attempt < this.maxAttempts) {
        await this.backoff(attempt, response.headers.get('retry-after'));
        continue;
      }
      const tries = retryable ? ` (after ${attempt} attempts)` : '';
      throw new VertexApiError(operation, resource, name, response.status, `${status.message ?? (text.slice(0, 300) || response.statusText)}${tries}`);
    }
  }

  /** Full jitter below a doubling cap (or the server's Retry-After, when it gives seconds). */
  private async backoff(attempt: number, retryAfter?: string | null): Promise<void> {
    const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    const cap = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** (attempt - 1));
    await this.sleep(seconds !== undefined ? seconds * 1000 : Math.floor(this.random() * cap));
  }

  private async headers(operation: string, resource: string, url: string): Promise<Headers> {
    let source: Headers | Readonly<Record<string, string>>;
    try {
      source = await (await this.auth).getRequestHeaders(url);
    } catch (e) {
      const from = this.options.credentialSource ? ` from ${this.options.credentialSource}` : '';
      throw new VertexApiError(operation, resource, 'UNAUTHENTICATED', undefined, `no Google credentials${from}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const headers = new Headers(source instanceof Headers ? source : Object.entries(source));
    if (!/^Bearer \S+/.test(headers.get('authorization') ?? '')) {
      throw new VertexApiError(operation, resource, 'UNAUTHENTICATED', undefined, 'the credentials yielded no access token');
    }
    if (this.options.userProject) headers.set('x-goog-user-project', this.options.userProject);
    return headers;
  }
}

function parseStatus(text: string): RpcStatus {
  try {
    const parsed = JSON.parse(text) as { error?: RpcStatus };
    return parsed.error ?? {};
  } catch {
    return {};
  }
}
