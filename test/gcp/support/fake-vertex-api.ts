/**
 * A local fake of the Vertex AI REST API v1, enough for VertexModelDeployment: models.upload and
 * models.delete (long-running operations), operations.get, endpoints.get / patch / deployModel /
 * undeployModel / mutateDeployedModel. Errors are google.rpc.Status bodies (protocols.md §3).
 * Failures are injectable per method: an HTTP error (400, 403, 429 …) or an operation that ends
 * in error. Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMethod =
  | 'models.upload'
  | 'models.delete'
  | 'operations.get'
  | 'endpoints.get'
  | 'endpoints.patch'
  | 'endpoints.deployModel'
  | 'endpoints.undeployModel'
  | 'endpoints.mutateDeployedModel';

export interface HttpFailure {
  readonly kind: 'http';
  readonly method: FakeMethod;
  readonly httpStatus: number;
  readonly status: string;
  readonly message: string;
  /** How many calls fail before the method works again. */
  readonly times: number;
}

export interface OperationFailure {
  readonly kind: 'operation';
  readonly method: FakeMethod;
  /** google.rpc.Code number. */
  readonly code: number;
  readonly message: string;
  readonly times: number;
}

interface FakeModel {
  name: string;
  displayName: string;
  containerSpec: { imageUri: string };
  artifactUri?: string;
  encryptionSpec?: { kmsKeyName: string };
}

interface FakeDeployedModel {
  id: string;
  model: string;
  displayName?: string;
  dedicatedResources: { minReplicaCount: number; maxReplicaCount: number; machineSpec: { machineType: string } };
}

interface FakeEndpoint {
  name: string;
  deployedModels: FakeDeployedModel[];
  trafficSplit: Record<string, number>;
}

interface FakeOperation {
  name: string;
  pollsLeft: number;
  result: { response?: unknown; error?: { code: number; message: string } };
}

export interface RecordedRequest {
  readonly method: FakeMethod;
  readonly path: string;
  readonly body: unknown;
}

export const FAKE_TOKEN = 'dummy-token';

export class FakeVertexApi {
  readonly requests: RecordedRequest[] = [];
  readonly models = new Map<string, FakeModel>();
  readonly endpoints = new Map<string, FakeEndpoint>();
  /** operations.get calls that answer done: false before an operation completes. */
  pollsBeforeDone = 1;
  private readonly operations = new Map<string, FakeOperation>();
  private failures: (HttpFailure | OperationFailure)[] = [];
  private nextId = 1000;
  private server?: Server;

  constructor(
    readonly project: string,
    readonly region: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }

  /** An endpoint as the AiEndpoint resource would have created it. */
  addEndpoint(endpointId: string): void {
    const name = `projects/${this.project}/locations/${this.region}/endpoints/${endpointId}`;
    this.endpoints.set(endpointId, { name, deployedModels: [], trafficSplit: {} });
  }

  failHttp(method: FakeMethod, httpStatus: number, status: string, message: string, times = 1): void {
    this.failures.push({ kind: 'http', method, httpStatus, status, message, times });
  }

  failOperation(method: FakeMethod, code: number, message: string, times = 1): void {
    this.failures.push({ kind: 'operation', method, code, message, times });
  }

  reset(): void {
    this.requests.length = 0;
    this.models.clear();
    this.endpoints.clear();
    this.operations.clear();
    this.failures = [];
    this.pollsBeforeDone = 1;
  }

  calls(method: FakeMethod): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  private takeFailure(method: FakeMethod): HttpFailure | OperationFailure | undefined {
    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (!failure) return undefined;
    this.failures = this.failures.map((f) => (f === failure ? { ...f, times: f.times - 1 } : f));
    return failure;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);

    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) {
      return this.error(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    const route = this.route(req.method ?? 'GET', path);
    if (!route) return this.error(res, 404, 'NOT_FOUND', `no route ${req.method} ${path}`);
    this.requests.push({ method: route.method, path, body });
    const failure = route.method === 'operations.get' ? undefined : this.takeFailure(route.method);
    if (failure?.kind === 'http') return this.error(res, failure.httpStatus, failure.status, failure.message);
    try {
      const result = route.run(body as Record<string, unknown>, url.searchParams);
      if (result === undefined) return this.error(res, 404, 'NOT_FOUND', `${path} not found`);
      if (failure?.kind === 'operation' && isOperation(result)) {
        this.operations.get(result.name)!.result = { error: { code: failure.code, message: failure.message } };
      }
      this.json(res, 200, result);
    } catch (e) {
      this.error(res, 400, 'INVALID_ARGUMENT', (e as Error).message);
    }
  }

  private route(
    method: string,
    path: string,
  ): { method: FakeMethod; run: (body: Record<string, unknown>, query: URLSearchParams) => unknown } | undefined {
    const parent = `/v1/projects/${this.project}/locations/${this.region}`;
    const endpointMatch = path.match(/^\/v1\/projects\/[^/]+\/locations\/[^/]+\/endpoints\/(\d+)(:\w+)?$/);
    if (method === 'POST' && path === `${parent}/models:upload`) return { method: 'models.upload', run: (b) => this.upload(b) };
    if (method === 'GET' && /\/operations\/\d+$/.test(path)) return { method: 'operations.get', run: () => this.poll(path.slice(4)) };
    if (method === 'DELETE' && /\/models\/\d+$/.test(path)) return { method: 'models.delete', run: () => this.deleteModel(path.slice(4)) };
    if (!endpointMatch || !path.startsWith(parent)) return undefined;
    const [, id, verb] = endpointMatch;
    if (method === 'GET' && !verb) return { method: 'endpoints.get', run: () => this.endpoints.get(id) };
    if (method === 'PATCH' && !verb) return { method: 'endpoints.patch', run: (b, q) => this.patch(id, b, q) };
    if (method === 'POST' && verb === ':deployModel') return { method: 'endpoints.deployModel', run: (b) => this.deploy(id, b) };
    if (method === 'POST' && verb === ':undeployModel') return { method: 'endpoints.undeployModel', run: (b) => this.undeploy(id, b) };
    if (method === 'POST' && verb === ':mutateDeployedModel') return { method: 'endpoints.mutateDeployedModel', run: (b) => this.mutate(id, b) };
    return undefined;
  }

  private operation(result: FakeOperation['result']): { name: string; done: boolean } {
    const name = `projects/${this.project}/locations/${this.region}/operations/${this.nextId++}`;
    this.operations.set(name, { name, pollsLeft: this.pollsBeforeDone, result });
    return { name, done: false };
  }

  private poll(name: string): unknown {
    const op = this.operations.get(name);
    if (!op) return undefined;
    if (op.pollsLeft > 0) {
      op.pollsLeft -= 1;
      return { name, done: false };
    }
    return { name, done: true, ...op.result };
  }

  private upload(body: Record<string, unknown>): unknown {
    const model = body.model as FakeModel | undefined;
    if (!model?.containerSpec?.imageUri) throw new Error('model.containerSpec.imageUri is required');
    const name = `projects/${this.project}/locations/${this.region}/models/${this.nextId++}`;
    this.models.set(name, { ...model, name });
    return this.operation({ response: { model: name } });
  }

  private deleteModel(name: string): unknown {
    if (!this.models.has(name)) return undefined;
    for (const e of this.endpoints.values()) {
      if (e.deployedModels.some((d) => d.model === name)) throw new Error(`model ${name} is still deployed to ${e.name}`);
    }
    this.models.delete(name);
    return this.operation({ response: {} });
  }

  private deploy(endpointId: string, body: Record<string, unknown>): unknown {
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) return undefined;
    const deployed = body.deployedModel as FakeDeployedModel;
    if (!this.models.has(deployed.model)) throw new Error(`model ${deployed.model} does not exist`);
    const { minReplicaCount, maxReplicaCount } = deployed.dedicatedResources;
    if (minReplicaCount < 1 || maxReplicaCount < minReplicaCount) throw new Error('dedicatedResources: 1 <= minReplicaCount <= maxReplicaCount');
    const id = String(this.nextId++);
    const split = validSplit(body.trafficSplit, [...endpoint.deployedModels.map((d) => d.id), '0']);
    const op = this.operation({ response: { deployedModel: { ...deployed, id } } });
    // Applied when the call is accepted, as the real service shows the model as deploying.
    endpoint.deployedModels.push({ ...deployed, id });
    endpoint.trafficSplit = Object.fromEntries(Object.entries(split).map(([k, v]) => [k === '0' ? id : k, v]));
    return op;
  }

  private undeploy(endpointId: string, body: Record<string, unknown>): unknown {
    const endpoint = this.endpoints.get(endpointId);
    const id = body.deployedModelId as string;
    if (!endpoint || !endpoint.deployedModels.some((d) => d.id === id)) return undefined;
    const rest = endpoint.deployedModels.filter((d) => d.id !== id);
    const given = (body.trafficSplit as Record<string, number> | undefined) ?? {};
    const { [id]: carried = 0, ...kept } = endpoint.trafficSplit;
    // Vertex: a new split is required when the model being undeployed still carries traffic.
    if (carried > 0 && rest.length > 0 && Object.keys(given).length === 0) {
      throw new Error(`deployed model ${id} carries ${carried} % of traffic: give the trafficSplit of the remaining models`);
    }
    endpoint.deployedModels = rest;
    endpoint.trafficSplit = Object.keys(given).length > 0 ? validSplit(given, rest.map((d) => d.id)) : rest.length > 0 ? kept : {};
    return this.operation({ response: {} });
  }

  private mutate(endpointId: string, body: Record<string, unknown>): unknown {
    const endpoint = this.endpoints.get(endpointId);
    const change = body.deployedModel as FakeDeployedModel;
    const target = endpoint?.deployedModels.find((d) => d.id === change.id);
    if (!target) return undefined;
    target.dedicatedResources = { ...target.dedicatedResources, ...change.dedicatedResources, machineSpec: target.dedicatedResources.machineSpec };
    return this.operation({ response: { deployedModel: target } });
  }

  private patch(endpointId: string, body: Record<string, unknown>, query: URLSearchParams): unknown {
    const endpoint = this.endpoints.get(endpointId);
    if (!endpoint) return undefined;
    if (query.get('updateMask') !== 'trafficSplit') throw new Error(`unsupported updateMask ${query.get('updateMask')}`);
    endpoint.trafficSplit = validSplit(body.trafficSplit, endpoint.deployedModels.map((d) => d.id));
    return endpoint;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, code: number, status: string, message: string): void {
    this.json(res, code, { error: { code, message, status } });
  }
}

/** Vertex's rule: keys are deployed-model ids, values sum to 100 (or the map is empty). */
function validSplit(split: unknown, ids: readonly string[]): Record<string, number> {
  const entries = Object.entries((split ?? {}) as Record<string, number>);
  for (const [k] of entries) if (!ids.includes(k)) throw new Error(`trafficSplit names unknown deployed model ${k}`);
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  if (entries.length > 0 && total !== 100) throw new Error(`trafficSplit must sum to 100, got ${total}`);
  return Object.fromEntries(entries);
}

function isOperation(value: unknown): value is { name: string; done: boolean } {
  return typeof value === 'object' && value !== null && 'done' in value && typeof (value as { name?: unknown }).name === 'string';
}
