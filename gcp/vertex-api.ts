/**
 * A small client for the Vertex AI REST API v1, covering what `VertexModelDeployment` needs:
 * models.upload / delete, endpoints.get / patch / deployModel / undeployModel /
 * mutateDeployedModel, and polling of long-running operations.
 *
 * Plain module on purpose: the dynamic provider `require()`s it at run time (dynamic providers
 * are serialized as closures, see ../shared/reference/gotchas.md), and tests call it directly
 * against a local fake. Errors follow google.rpc.Status (protocols.md §3) and each one names the
 * operation, the resource and what to do about it.
 */
import { GoogleAuth } from 'google-auth-library';

/** Anything that yields an OAuth 2.0 access token: a google-auth-library `GoogleAuth` or `AuthClient`. */
export interface AccessTokenSource {
  getAccessToken(): Promise<string | null | undefined | { readonly token?: string | null }>;
}

export interface VertexApiOptions {
  readonly project: string;
  readonly region: string;
  /** Defaults to `https://{region}-aiplatform.googleapis.com` (Vertex regional endpoint, protocols.md §3). */
  readonly baseUrl?: string;
  /** Defaults to application-default credentials with the cloud-platform scope. */
  readonly auth?: AccessTokenSource;
  /** How long one long-running operation may take. Deploying a GPU model takes many minutes. */
  readonly operationTimeoutMs?: number;
  /** First delay between operation polls; doubles up to `pollMaxMs`. */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Attempts for a call answered 429 RESOURCE_EXHAUSTED or 503 UNAVAILABLE (retryable, protocols.md §3). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt. */
  readonly retryInitialMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export function defaultVertexBaseUrl(region: string): string {
  return `https://${region}-aiplatform.googleapis.com`;
}

/** Application-default credentials (gcloud auth application-default login, workload identity, a key file). */
export function defaultVertexAuth(): AccessTokenSource {
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
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
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** What to do about each status, for the person reading the error. */
function adviceFor(status: string, operation: string): string {
  switch (status) {
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return 'fix the request: check the machine type, accelerator, replica counts, image URI and traffic split in the topology';
    case 'UNAUTHENTICATED':
      return 'refresh credentials (gcloud auth application-default login) or check the workload identity';
    case 'PERMISSION_DENIED':
      return `grant the deploying identity roles/aiplatform.user on the project (and iam.serviceAccounts.actAs on the serving service account), and check that aiplatform.googleapis.com is enabled`;
    case 'NOT_FOUND':
      return 'check that the project, region and endpoint exist (the endpoint is created by the AiEndpoint resource)';
    case 'RESOURCE_EXHAUSTED':
      return `a quota or capacity limit was hit during ${operation}: request more quota for the machine or accelerator type in this region, lower maxReplicaCount, or retry later`;
    case 'ALREADY_EXISTS':
      return 'a resource with this id already exists; import it or pick another id';
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED':
    case 'INTERNAL':
      return 'Vertex AI failed transiently; run the update again';
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
  ) {
    super(
      `Vertex AI ${operation} on ${resource} failed: ${status}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${detail}. ` +
        `What to do: ${adviceFor(status, operation)}.`,
    );
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
}

export interface DeployedModel {
  readonly id?: string;
  readonly model: string;
  readonly displayName?: string;
  readonly dedicatedResources: DedicatedResources;
  readonly serviceAccount?: string;
}

export interface Endpoint {
  readonly name: string;
  readonly deployedModels?: readonly DeployedModel[];
  readonly trafficSplit?: Readonly<Record<string, number>>;
}

/** Traffic split keyed by deployed-model id; in a deployModel request the key "0" is the model being deployed. */
export type TrafficSplit = Readonly<Record<string, number>>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class VertexApi {
  readonly baseUrl: string;
  private readonly auth: AccessTokenSource;
  private readonly operationTimeoutMs: number;
  private readonly pollInitialMs: number;
  private readonly pollMaxMs: number;
  private readonly maxAttempts: number;
  private readonly retryInitialMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: VertexApiOptions) {
    this.baseUrl = (options.baseUrl ?? defaultVertexBaseUrl(options.region)).replace(/\/+$/, '');
    this.auth = options.auth ?? defaultVertexAuth();
    this.operationTimeoutMs = options.operationTimeoutMs ?? 60 * 60 * 1000;
    this.pollInitialMs = options.pollInitialMs ?? 2000;
    this.pollMaxMs = options.pollMaxMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryInitialMs = options.retryInitialMs ?? 1000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** `projects/{p}/locations/{l}` */
  get parent(): string {
    return `projects/${this.options.project}/locations/${this.options.region}`;
  }

  endpointName(endpointId: string): string {
    return `${this.parent}/endpoints/${endpointId}`;
  }

  /** models.upload, waiting for the operation; returns the model's resource name. */
  async uploadModel(model: ModelUpload): Promise<string> {
    const what = `model "${model.displayName}"`;
    const op = await this.call<Operation>('models.upload', what, 'POST', `${this.parent}/models:upload`, { model });
    const response = await this.waitForOperation(op, 'models.upload', what);
    const name = response.model;
    if (typeof name !== 'string') throw new VertexApiError('models.upload', what, 'UNKNOWN', undefined, 'the operation response has no model name');
    return name;
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

  /** endpoints.deployModel, waiting for the operation; returns the new deployed model's id. */
  async deployModel(endpointId: string, deployedModel: DeployedModel, trafficSplit: TrafficSplit): Promise<string> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deploying ${deployedModel.displayName ?? deployedModel.model})`;
    const op = await this.call<Operation>('endpoints.deployModel', what, 'POST', `${name}:deployModel`, { deployedModel, trafficSplit });
    const response = await this.waitForOperation(op, 'endpoints.deployModel', what);
    const deployed = response.deployedModel as { id?: unknown } | undefined;
    if (typeof deployed?.id !== 'string') {
      throw new VertexApiError('endpoints.deployModel', what, 'UNKNOWN', undefined, 'the operation response has no deployed model id');
    }
    return deployed.id;
  }

  /** endpoints.undeployModel; `trafficSplit` is the split of the models that stay (empty when none carry traffic). */
  async undeployModel(endpointId: string, deployedModelId: string, trafficSplit: TrafficSplit): Promise<void> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deployed model ${deployedModelId})`;
    const op = await this.call<Operation>('endpoints.undeployModel', what, 'POST', `${name}:undeployModel`, { deployedModelId, trafficSplit }, { notFoundOk: true });
    if (op) await this.waitForOperation(op, 'endpoints.undeployModel', what);
  }

  /** endpoints.mutateDeployedModel: replica bounds and autoscaling change without a redeploy. */
  async mutateDeployedModel(endpointId: string, deployedModel: DeployedModel & { readonly id: string }): Promise<void> {
    const name = this.endpointName(endpointId);
    const what = `${name} (deployed model ${deployedModel.id})`;
    const updateMask = 'dedicatedResources.minReplicaCount,dedicatedResources.maxReplicaCount,dedicatedResources.autoscalingMetricSpecs';
    const op = await this.call<Operation>('endpoints.mutateDeployedModel', what, 'POST', `${name}:mutateDeployedModel`, { deployedModel, updateMask });
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
   * passes; returns its response, or throws its google.rpc.Status as a VertexApiError.
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
          `operation ${op.name} still running after ${Math.round(waited / 1000)} s; it may still finish: check it with ` +
            `\`gcloud ai operations describe\`, then run the update again (or raise operationTimeoutSeconds)`,
        );
      }
      await this.sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, this.pollMaxMs);
      current = await this.call<Operation>('operations.get', `${resource} (operation ${op.name})`, 'GET', op.name);
    }
    if (current.error) {
      const status = current.error.status ?? RPC_CODE_NAMES[current.error.code ?? 2] ?? 'UNKNOWN';
      throw new VertexApiError(operation, resource, status, undefined, `the operation ${op.name} ended in error: ${current.error.message ?? 'no message'}`);
    }
    return current.response ?? {};
  }

  private async call<T>(
    operation: string,
    resource: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options?: { readonly notFoundOk?: false },
  ): Promise<T>;
  private async call<T>(
    operation: string,
    resource: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    options: { readonly notFoundOk: true },
  ): Promise<T | undefined>;
  private async call<T>(
    operation: string,
    resource: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options?: { readonly notFoundOk?: boolean },
  ): Promise<T | undefined> {
    const url = `${this.baseUrl}/v1/${path}`;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { authorization: `Bearer ${await this.token(operation, resource)}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
        throw new VertexApiError(operation, resource, 'UNAVAILABLE', undefined, `cannot reach ${this.baseUrl}: ${cause}`);
      }
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : {}) as T;
      if (response.status === 404 && options?.notFoundOk) return undefined;
      const status = parseStatus(text);
      const name = status.status ?? HTTP_STATUS_NAMES[response.status] ?? 'UNKNOWN';
      const retryable = response.status === 429 || response.status === 503;
      if (retryable && attempt < this.maxAttempts) {
        await this.sleep(this.retryInitialMs * 2 ** (attempt - 1));
        continue;
      }
      const tries = retryable ? ` (after ${attempt} attempts)` : '';
      throw new VertexApiError(operation, resource, name, response.status, `${status.message ?? (text.slice(0, 300) || response.statusText)}${tries}`);
    }
  }

  private async token(operation: string, resource: string): Promise<string> {
    let result: Awaited<ReturnType<AccessTokenSource['getAccessToken']>>;
    try {
      result = await this.auth.getAccessToken();
    } catch (e) {
      throw new VertexApiError(operation, resource, 'UNAUTHENTICATED', undefined, `no Google credentials: ${e instanceof Error ? e.message : String(e)}`);
    }
    const token = typeof result === 'string' ? result : result?.token;
    if (!token) throw new VertexApiError(operation, resource, 'UNAUTHENTICATED', undefined, 'the credentials yielded no access token');
    return token;
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
