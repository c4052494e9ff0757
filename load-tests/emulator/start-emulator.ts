/**
 * `startEmulator`: every endpoint of a resolved topology behind one `node:http` server, speaking
 * the SageMaker runtime and Vertex prediction protocols on the same port.
 *
 * Names on the wire:
 * - SageMaker: `POST /endpoints/{aws.endpointName}/invocations` (the resolved SageMaker name,
 *   for example `news-dev-ranker`), as a client of a real endpoint would send it.
 * - Vertex: `POST /v1/projects/{any}/locations/{any}/endpoints/{name}:predict`, where `{name}` is
 *   the endpoint's topology name (`ranker`) or its Vertex display name (`news-dev-ranker`); real
 *   Vertex endpoints have numeric ids, which only exist once deployed.
 * - `GET /emulator` lists the endpoints, their URLs and each variant's pool metrics as JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assumptionSet, type AssumptionSet, type ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { realClock } from '../clock/real-clock';
import { Random } from '../replica/random';
import { replicaModelFor, withQueueLimit } from '../replica/replica-model';
import { serviceTimeModel } from '../replica/service-time';
import { createModel, modelKindFor, type ModelKind } from '../models/endpoint-model';
import { EmulatedEndpoint } from './emulated-endpoint';
import type { EmulatorService } from './emulator-service';
import { NO_FAULTS, type FaultOptions } from './faults';
import { handleSageMaker, SAGEMAKER_MAX_BODY_BYTES, SAGEMAKER_PATH } from './sagemaker-protocol';
import { handleVertex, VERTEX_MAX_BODY_BYTES, VERTEX_PATH, writeStatus } from './vertex-protocol';

export interface EmulatorOptions {
  /** @default 0 - an ephemeral port, reported in the handle */
  readonly port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** @default - no faults */
  readonly faults?: Partial<FaultOptions>;
  /** Seed of service-time, fault and variant draws. @default 1 */
  readonly seed?: number;
  /**
   * The assumptions the replica model reads (the per-replica queue limit).
   * @default assumptionSet('aws') - the register's base values; the queue limit is the same on both clouds
   */
  readonly assumptions?: AssumptionSet;
  /** Requests a replica holds waiting beyond its concurrency. @default - the replica model's, register entry `replica.queue-limit` */
  readonly queueDepthPerReplica?: number;
  /** Shape (log-σ) of the log-normal service time. @default - the replica model's, DEFAULT_SERVICE_TIME_LOG_SIGMA */
  readonly serviceTimeSigma?: number;
  /**
   * Delay before a replica added by `pool.resize` serves. @default the CPU replica start-up of the
   * assumption register (`provisioning.cpu-replica-seconds`, 3 minutes)
   */
  readonly provisioningDelayMs?: number;
  /** Model per endpoint name, instead of the one guessed from the name and framework. */
  readonly models?: Readonly<Record<string, ModelKind>>;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Project shown in the printed Vertex URLs (any project is accepted). @default 'local' */
  readonly project?: string;
  /**
   * Protocols served beside the model endpoints on the same port (vector store, queues), asked in
   * order after the model routes. @default - none
   */
  readonly services?: readonly EmulatorService[];
}

export interface EmulatorRoutes {
  readonly sagemaker: string;
  readonly vertex: string;
}

export interface EmulatorHandle {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly endpoints: readonly EmulatedEndpoint[];
  readonly services: readonly EmulatorService[];
  routes(endpoint: EmulatedEndpoint): EmulatorRoutes;
  /** Stops listening, drops open connections and stops the pools' timers. */
  close(): Promise<void>;
}

export async function startEmulator(resolved: ResolvedTopology, options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const clock = options.clock ?? realClock;
  const random = new Random(options.seed ?? 1);
  const assumptions = options.assumptions ?? assumptionSet('aws');
  const faults: FaultOptions = { ...NO_FAULTS, ...options.faults };
  const dimensions = resolved.vectorStore?.dimensions;
  const endpoints = resolved.endpoints.map(
    (e) =>
      new EmulatedEndpoint(e, {
        clock,
        random,
        model: createModel(options.models?.[e.name] ?? modelKindFor(e), { embeddingDimensions: dimensions }),
        faults,
        replicaModel: (v) => {
          // The simulator's replica, with the explicit overrides of `emulate --queue-depth` and tests.
          const model = replicaModelFor(e, v, assumptions.cloud, { assumptions });
          const sized = options.queueDepthPerReplica === undefined ? model : withQueueLimit(model, options.queueDepthPerReplica);
          return options.serviceTimeSigma === undefined ? sized : { ...sized, serviceTime: serviceTimeModel(sized.serviceTime.medianMs, options.serviceTimeSigma) };
        },
        provisioningDelayMs: options.provisioningDelayMs ?? assumptions.value('provisioning.cpu-replica-seconds') * 1000,
      }),
  );
  const byAwsName = new Map(endpoints.filter((e) => !e.resolved.aws.inferenceComponent).map((e) => [e.resolved.aws.endpointName, e]));
  const byComponent = new Map(endpoints.flatMap((e) => (e.resolved.aws.inferenceComponent ? [[e.resolved.aws.inferenceComponent.componentName, e] as const] : [])));
  const byVertexName = new Map<string, EmulatedEndpoint>();
  for (const e of endpoints) {
    byVertexName.set(e.resolved.gcp.displayName, e);
    byVertexName.set(e.name, e);
  }
  const sagemaker = { region: resolved.regions.aws, endpoints: byAwsName, components: byComponent };
  const vertex = { endpoints: byVertexName };
  const project = options.project ?? 'local';
  const services = options.services ?? [];

  let url = '';
  const routes = (e: EmulatedEndpoint): EmulatorRoutes => ({
    sagemaker: `${url}/endpoints/${e.resolved.aws.endpointName}/invocations`,
    vertex: `${url}/v1/projects/${project}/locations/${resolved.regions.gcp}/endpoints/${e.name}:predict`,
  });

  const server = createServer((req, res) => {
    try {
      const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
      const path = decodeURIComponent(rawPath);
      const sm = req.method === 'POST' ? SAGEMAKER_PATH.exec(path) : null;
      if (sm) return readBody(req, SAGEMAKER_MAX_BODY_BYTES, (body) => guard(res, 'sagemaker', () => handleSageMaker(sagemaker, sm[1], req, body, res)));
      const vx = req.method === 'POST' ? VERTEX_PATH.exec(path) : null;
      if (vx) {
        const route = { project: vx[1], location: vx[2], endpointId: vx[3] };
        return readBody(req, VERTEX_MAX_BODY_BYTES, (body) => guard(res, 'vertex', () => handleVertex(vertex, route, body, res)));
      }
      if (req.method === 'GET' && path === '/emulator') return listing(res);
      const method = req.method ?? 'GET';
      const service = services.find((s) => s.matches(method, path, req.headers));
      if (service) {
        return readBody(req, service.maxBodyBytes, (body) => {
          const answered = (e: unknown) => serviceError(res, service, e);
          try {
            void Promise.resolve(service.handle({ method, path, query: new URLSearchParams(rawQuery), headers: req.headers, body }, res)).catch(answered);
          } catch (e) {
            answered(e);
          }
        });
      }
      writeStatus(res, 'NOT_FOUND', `No route for ${req.method} ${path}; GET /emulator lists the endpoints served.`);
    } catch (e) {
      internalError(res, 'vertex', e);
    }
  });
  // Keep idle keep-alive connections of a load generator open between bursts (Node's default is 5 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const listing = (res: ServerResponse) => {
    const payload = JSON.stringify(
      {
        topology: resolved.name,
        environment: resolved.environment,
        endpoints: endpoints.map((e) => ({
          name: e.name,
          model: e.model.kind,
          ...routes(e),
          variants: e.variants.map((v) => ({ name: v.name, weight: v.weight, deployedModelId: v.deployedModelId, metrics: v.pool.metrics() })),
        })),
        ...serviceListings(services, url),
      },
      null,
      2,
    );
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    port: address.port,
    endpoints,
    services,
    routes,
    close: async () => {
      for (const e of endpoints) e.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // After the server: no request can reach a service that is flushing its state.
      for (const s of services) await s.close?.();
    },
  };
}

/** Each service under its name; services sharing a name (the vector store's protocols) have their listings merged. */
function serviceListings(services: readonly EmulatorService[], baseUrl: string): Record<string, unknown> {
  const listings: Record<string, unknown> = {};
  for (const s of services) {
    const listing = s.listing(baseUrl);
    const before = listings[s.name];
    listings[s.name] = isObject(before) && isObject(listing) ? { ...before, ...listing } : listing;
  }
  return listings;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Collects a request body up to `limit` bytes; past it the rest is read and discarded, so the
 * connection stays usable and the protocol can answer with its own "too large" error.
 */
function readBody(req: IncomingMessage, limit: number, onBody: (body: Buffer | 'too-large') => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on('end', () => onBody(size > limit ? 'too-large' : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

/** A bug in the emulator answers 500 in the caller's protocol instead of hanging the request. */
function guard(res: ServerResponse, protocol: 'sagemaker' | 'vertex', handler: () => void): void {
  try {
    handler();
  } catch (e) {
    internalError(res, protocol, e);
  }
}

function serviceError(res: ServerResponse, service: EmulatorService, e: unknown): void {
  process.stderr.write(`emulator: internal error in ${service.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  if (res.headersSent) return void res.destroy();
  service.internalError(res);
}

function internalError(res: ServerResponse, protocol: 'sagemaker' | 'vertex', e: unknown): void {
  process.stderr.write(`emulator: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  if (res.headersSent) return void res.destroy();
  if (protocol === 'vertex') return writeStatus(res, 'INTERNAL', 'Internal error encountered.');
  const payload = JSON.stringify({ Message: 'An internal failure occurred.' });
  res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'X-Amzn-ErrorType': 'InternalFailure' });
  res.end(payload);
}
