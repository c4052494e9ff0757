/**
 * Vertex AI Vector Search on the emulator's port: the REST bindings of IndexService
 * UpsertDatapoints / RemoveDatapoints and MatchService FindNeighbors / ReadIndexDatapoints, from the
 * `google.api.http` annotations of the protos in @google-cloud/aiplatform
 * (load-tests/vertex-api/vertex-http-rules.ts), so `IndexServiceClient` and `MatchServiceClient`
 * in REST fallback mode work against it with only the address changed.
 *
 * Bodies are checked against the request messages by the same validator as the strict fake of the
 * Vertex API in the GCP tests (unknown fields, wrong types, REQUIRED fields); errors are
 * google.rpc.Status JSON (vertex-protocol.ts `writeStatus`). The topology's one index, its index
 * endpoint and deployed index are served (vector-search-names.ts); the vectors live in the injected
 * `VectorIndex`, which is not ScaNN: the banner says which it is.
 */
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { ResolvedTopology, ResolvedVectorStore } from '../../../constructs';
import type { Clock } from '../../clock/clock';
import { realClock } from '../../clock/real-clock';
import type { EmulatorRequest, EmulatorService } from '../../emulator/emulator-service';
import { writeStatus, type RpcStatus } from '../../emulator/vertex-protocol';
import { LocalStateError } from '../../local-state/local-state-error';
import { openMutationLog } from '../../local-state/mutation-log';
import { requestProblems, routeRequest, type Routed } from '../../vertex-api/vertex-http-rules';
import type { VectorIndexFactory } from '../vector-index';
import { datapointAttributes, queryRestricts, type NumericRestrictionJson, type RestrictionJson } from './datapoint-restricts';
import { DatapointStore, type DatapointJson, type DatapointMutation } from './datapoint-store';
import { sameResource, vectorSearchNames, type VectorSearchNames } from './vector-search-names';
import { vertexWireDistance } from './vertex-distance';

export interface VertexVectorSearchOptions {
  /** Builds the index behind the store from the topology's settings (tree-AH knobs included). */
  readonly indexFactory: VectorIndexFactory;
  /** Keeps the datapoints across restarts (`emulate --data-dir`). @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Project in the listed resource names; requests may name any project. @default 'local', as the emulator's Vertex URLs */
  readonly project?: string;
  /** Delay before an upsert or remove is seen by searches and reads (Vertex: "within a few seconds"). @default DEFAULT_VISIBILITY_DELAY_MS */
  readonly visibilityDelayMs?: number;
}

/** Stream updates are searchable a second after they are acknowledged: inside Vertex's "few seconds", short enough for a test run. */
export const DEFAULT_VISIBILITY_DELAY_MS = 1000;

/** The request size the prediction endpoints take (vertex-protocol.ts); Vector Search documents no REST body limit of its own. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** FindNeighborsRequest.Query.neighbor_count when unset: the Vertex SDKs' default of 10 (the service's own default is not documented). */
const DEFAULT_NEIGHBOR_COUNT = 10;

const SERVED = new Set(['IndexService.UpsertDatapoints', 'IndexService.RemoveDatapoints', 'MatchService.FindNeighbors', 'MatchService.ReadIndexDatapoints']);

/** A request the API refuses, answered as google.rpc.Status. */
class StatusError extends Error {
  constructor(
    readonly status: RpcStatus,
    message: string,
    readonly details?: readonly unknown[],
  ) {
    super(message);
  }
}

interface FindNeighborsQuery {
  readonly datapoint: DatapointJson;
  readonly neighborCount?: number;
  readonly fractionLeafNodesToSearchOverride?: number;
  readonly perCrowdingAttributeNeighborCount?: number;
}

export function vertexVectorSearchService(resolved: ResolvedTopology, options: VertexVectorSearchOptions): EmulatorService {
  const store = resolved.vectorStore;
  if (store?.engine !== 'managed') throw new Error(`vectorStore.engine: the local Vertex AI Vector Search serves the managed engine, got ${store?.engine ?? 'no vector store'}`);
  const names = vectorSearchNames(store, options.project ?? 'local', resolved.regions.gcp);
  const index = options.indexFactory({
    dimensions: store.dimensions,
    metric: store.metric,
    treeAh: {
      leafNodeEmbeddingCount: store.index.leafNodeEmbeddingCount,
      leafNodesToSearchPercent: store.index.leafNodesToSearchPercent,
      approximateNeighborsCount: store.index.approximateNeighborsCount,
    },
  });
  const logFile = options.dataDir === undefined ? undefined : join(options.dataDir, 'vertex-vector-search', `${names.indexId}.jsonl`);
  const log = openMutationLog<DatapointMutation>(logFile);
  const misfit = log.replay.flatMap((m) => (m.op === 'upsert' ? m.datapoints : [])).find((d) => d.featureVector?.length !== store.dimensions);
  if (misfit) {
    log.close();
    throw new LocalStateError(
      `${logFile}: datapoint ${misfit.datapointId} holds a ${misfit.featureVector?.length ?? 0}-dimension vector but the topology's vectorStore.dimensions is ${store.dimensions}; use another --data-dir`,
    );
  }
  const visibilityDelayMs = options.visibilityDelayMs ?? DEFAULT_VISIBILITY_DELAY_MS;
  const datapoints = new DatapointStore(index, log, options.clock ?? realClock, visibilityDelayMs);
  const api = new VectorSearchApi(store, names, datapoints);

  return {
    name: 'vectorStore',
    maxBodyBytes: MAX_BODY_BYTES,
    matches: (method, path) => method === 'POST' && /^\/v1\/projects\/[^/]+\/locations\/[^/]+\/index(es|Endpoints)\/[^/]+:/.test(path) && SERVED.has(routeRequest(method, path)?.rule.method ?? ''),
    handle: (request, res) => api.handle(request, res),
    internalError: (res) => writeStatus(res, 'INTERNAL', 'Internal error encountered.'),
    listing: () => ({ vertex: { index: names.index, indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId } }),
    banner: (baseUrl) => [
      `Vertex AI Vector Search: POST ${baseUrl}/v1/${names.index}:upsertDatapoints, :removeDatapoints`,
      `  POST ${baseUrl}/v1/${names.indexEndpoint}:findNeighbors, :readIndexDatapoints (deployedIndexId ${names.deployedIndexId})`,
      `  local index: ${index.kind}; stream updates searchable after ${visibilityDelayMs} ms`,
    ],
    close: async () => datapoints.close(),
  };
}

class VectorSearchApi {
  constructor(
    private readonly store: ResolvedVectorStore,
    private readonly names: VectorSearchNames,
    private readonly datapoints: DatapointStore,
  ) {}

  handle(request: EmulatorRequest, res: ServerResponse): void {
    try {
      const payload = this.answer(request);
      const text = JSON.stringify(payload);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      writeStatus(res, e.status, e.message, e.details);
    }
  }

  private answer(request: EmulatorRequest): unknown {
    const routed = routeRequest(request.method, request.path)!;
    if (request.body === 'too-large') throw new StatusError('INVALID_ARGUMENT', `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`);
    let body: unknown;
    try {
      body = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new StatusError('INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
    }
    const problems = requestProblems(routed, request.query, body).filter((p) => !QUERY_ID_OPTIONAL.test(p));
    if (problems.length > 0) throw invalid(problems);
    const fields = body as Record<string, unknown>;
    switch (routed.rule.method) {
      case 'IndexService.UpsertDatapoints':
        this.checkIndex(routed);
        return this.upsert(fields as { datapoints?: DatapointJson[]; updateMask?: string });
      case 'IndexService.RemoveDatapoints':
        this.checkIndex(routed);
        return this.remove(fields as { datapointIds?: string[] });
      case 'MatchService.FindNeighbors':
        this.checkDeployedIndex(routed, fields.deployedIndexId);
        return this.findNeighbors(fields as { queries?: FindNeighborsQuery[]; returnFullDatapoint?: boolean });
      default:
        this.checkDeployedIndex(routed, fields.deployedIndexId);
        return this.read(fields as { ids?: string[] });
    }
  }

  private checkIndex(routed: Routed): void {
    const name = routed.variables.index;
    if (!sameResource(name, this.names.index)) throw new StatusError('NOT_FOUND', `Index \`${name}\` not found. This emulator serves ${this.names.index}.`);
    // Vertex takes datapoint updates only on an index created for them (index.proto IndexUpdateMethod).
    if (this.store.gcp.indexUpdateMethod !== 'STREAM_UPDATE') {
      throw new StatusError('FAILED_PRECONDITION', `StreamUpdate is not enabled on Index \`${name}\`: its indexUpdateMethod is ${this.store.gcp.indexUpdateMethod} (vectorStore.updateMode batch).`);
    }
  }

  private checkDeployedIndex(routed: Routed, deployedIndexId: unknown): void {
    const name = routed.variables.index_endpoint;
    if (!sameResource(name, this.names.indexEndpoint)) throw new StatusError('NOT_FOUND', `IndexEndpoint \`${name}\` not found. This emulator serves ${this.names.indexEndpoint}.`);
    if (!deployedIndexId) throw new StatusError('INVALID_ARGUMENT', `deployed_index_id is required: the index endpoint serves ${this.names.deployedIndexId}.`);
    if (deployedIndexId !== this.names.deployedIndexId) {
      throw new StatusError('NOT_FOUND', `DeployedIndex ${JSON.stringify(deployedIndexId)} not found on \`${name}\`; it serves ${this.names.deployedIndexId}.`);
    }
  }

  private upsert(body: { datapoints?: DatapointJson[]; updateMask?: string }): unknown {
    const points = body.datapoints ?? [];
    const problems: string[] = [];
    if (body.updateMask !== undefined && body.updateMask !== 'allRestricts') {
      problems.push(`update_mask ${JSON.stringify(body.updateMask)}: the updatable field is all_restricts (allRestricts)`);
    }
    points.forEach((d, i) => {
      const at = `datapoints[${i}]`;
      if (!d.datapointId) problems.push(`${at}.datapoint_id is required`);
      if (body.updateMask === undefined) problems.push(...this.dimensionProblems(at, d.featureVector));
      problems.push(...datapointAttributes(d.restricts, d.numericRestricts).problems.map((p) => `${at}.${p}`));
    });
    if (problems.length > 0) throw invalid(problems);
    if (points.length > 0) this.datapoints.write({ op: body.updateMask === undefined ? 'upsert' : 'restricts', datapoints: points });
    return {};
  }

  private remove(body: { datapointIds?: string[] }): unknown {
    const ids = body.datapointIds ?? [];
    // Ids that are not stored are no error: removal is idempotent.
    if (ids.length > 0) this.datapoints.write({ op: 'remove', ids });
    return {};
  }

  private findNeighbors(body: { queries?: FindNeighborsQuery[]; returnFullDatapoint?: boolean }): unknown {
    const queries = body.queries ?? [];
    const problems: string[] = [];
    const prepared = queries.map((q, i) => {
      const at = `queries[${i}]`;
      problems.push(...this.dimensionProblems(`${at}.datapoint`, q.datapoint.featureVector));
      const k = q.neighborCount ?? DEFAULT_NEIGHBOR_COUNT;
      if (k < 0) problems.push(`${at}.neighbor_count must be positive, got ${k}`);
      const leaf = q.fractionLeafNodesToSearchOverride;
      if (leaf !== undefined && !(leaf >= 0 && leaf <= 1)) problems.push(`${at}.fraction_leaf_nodes_to_search_override must be between 0.0 and 1.0, got ${leaf}`);
      const restricts = queryRestricts(q.datapoint.restricts as RestrictionJson[] | undefined, q.datapoint.numericRestricts as NumericRestrictionJson[] | undefined);
      problems.push(...restricts.problems.map((p) => `${at}.datapoint.${p}`));
      // Zero or unset: the index's own leaf fraction (FindNeighborsRequest.Query comment).
      return { q, k: k === 0 ? DEFAULT_NEIGHBOR_COUNT : k, leafFraction: leaf ? leaf : undefined, restricts: restricts.restricts, perCrowdingAttribute: q.perCrowdingAttributeNeighborCount };
    });
    if (problems.length > 0) throw invalid(problems);
    return {
      nearestNeighbors: prepared.map(({ q, ...search }) => ({
        ...(q.datapoint.datapointId ? { id: q.datapoint.datapointId } : {}),
        neighbors: this.datapoints.search(Float32Array.from(q.datapoint.featureVector ?? [], Number), search).map((n) => ({
          datapoint: this.neighborDatapoint(n.id, body.returnFullDatapoint === true),
          distance: vertexWireDistance(this.store.metric, n.distance),
        })),
      })),
    };
  }

  private read(body: { ids?: string[] }): unknown {
    return { datapoints: (body.ids ?? []).flatMap((id) => this.datapoints.get(id) ?? []) };
  }

  /** Only the id and crowding tag unless the full datapoint is asked for (FindNeighborsResponse.Neighbor.datapoint). */
  private neighborDatapoint(id: string, full: boolean): DatapointJson {
    const stored = this.datapoints.get(id);
    if (full && stored) return stored;
    return { datapointId: id, ...(stored?.crowdingTag ? { crowdingTag: stored.crowdingTag } : {}) };
  }

  private dimensionProblems(at: string, vector: readonly unknown[] | undefined): string[] {
    const length = vector?.length ?? 0;
    if (length === this.store.dimensions) return [];
    return [`${at}.feature_vector has ${length} dimensions; the index ${this.names.index} has ${this.store.dimensions} (vectorStore.dimensions)`];
  }
}

/**
 * Queries need no datapoint id, though IndexDatapoint marks it REQUIRED: the Vertex SDKs send
 * query vectors without one (google-cloud-aiplatform MatchingEngineIndexEndpoint.find_neighbors).
 */
const QUERY_ID_OPTIONAL = /^Required field 'queries\[\d+\]\.datapoint\.datapoint_id' is missing\.$/;

function invalid(problems: readonly string[]): StatusError {
  return new StatusError('INVALID_ARGUMENT', problems.join(' '), [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: problems.map((description) => ({ description })) },
  ]);
}
