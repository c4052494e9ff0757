/**
 * The embedding-refresh writer for Vertex AI Vector Search (a STREAM_UPDATE index), through
 * `@google-cloud/aiplatform`: `IndexServiceClient.upsertDatapoints` writes, and
 * `MatchServiceClient.readIndexDatapoints` on the deployed index reads the stored versions back.
 * upsertDatapoints has no condition; the worker's version check and the queue's per-document ordering
 * keep older versions out (pipelines/embedding-refresh/ports.ts).
 *
 * The version travels in a numeric restrict `version` (valueInt), so it is stored with the datapoint
 * and read back with it. A delete is a tombstone datapoint, not removeDatapoints: a removed datapoint
 * leaves no version behind, and a late older upsert would bring the document back. The tombstone
 * carries the token restrict `deleted: ["true"]` and a unit vector (the index needs a vector of its
 * dimensions, and cosine indexes refuse zero vectors); every query must deny it with
 * `{ namespace: "deleted", denyList: ["true"] }` (TOMBSTONE_DENY_RESTRICT, used by the RAG target).
 * Datapoints without the namespace, such as a corpus loaded before the pipeline, pass that deny.
 * Every datapoint also carries the token restrict `id: [documentId]`, so a k-NN query can select one
 * document (`{ namespace: "id", allowList: [documentId] }`): findNeighbors has no lookup by id, and
 * `loadtest --target pipeline` polls with it until the new version is searchable.
 * Message metadata becomes restricts: strings and booleans token restricts, numbers numeric ones
 * (valueDouble), the filters Vector Search applies (https://cloud.google.com/vertex-ai/docs/vector-search/filtering).
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import type { StoredVersion, VectorRecord, VectorWriter, WriteOutcome } from '../ports';
import { awaitVisible, type VisibilityOptions } from './await-visible';

export const VERSION_RESTRICT = 'version';
export const DELETED_RESTRICT = 'deleted';
/** The token restrict naming the document, the same name as OpenSearch's id field. */
export const DOCUMENT_ID_RESTRICT = 'id';
/** The restrict every findNeighbors query adds so tombstones are never neighbours. */
export const TOMBSTONE_DENY_RESTRICT: { readonly namespace: string; readonly denyList: string[] } = { namespace: DELETED_RESTRICT, denyList: ['true'] };

type IndexClient = Pick<Aiplatform.v1.IndexServiceClient, 'upsertDatapoints'>;
type MatchClient = Pick<Aiplatform.v1.MatchServiceClient, 'readIndexDatapoints'>;
type Datapoint = Aiplatform.protos.google.cloud.aiplatform.v1.IIndexDatapoint;

export interface VertexWriterOptions extends VisibilityOptions {
  /** projects/{project}/locations/{region}/indexes/{id} */
  readonly index: string;
  /** projects/{project}/locations/{region}/indexEndpoints/{id} */
  readonly indexEndpoint: string;
  readonly deployedIndexId: string;
  /** The index's dimensions, for the tombstone's vector. */
  readonly dimensions: number;
}

export class VertexVectorWriter implements VectorWriter {
  constructor(
    private readonly indexClient: IndexClient,
    private readonly matchClient: MatchClient,
    private readonly options: VertexWriterOptions,
  ) {}

  async readVersions(documentIds: readonly string[]): Promise<ReadonlyMap<string, StoredVersion>> {
    if (documentIds.length === 0) return new Map();
    const [response] = await this.matchClient.readIndexDatapoints({
      indexEndpoint: this.options.indexEndpoint,
      deployedIndexId: this.options.deployedIndexId,
      ids: [...new Set(documentIds)],
    });
    const found = new Map<string, StoredVersion>();
    for (const point of response.datapoints ?? []) {
      if (!point.datapointId) continue;
      const version = point.numericRestricts?.find((r) => r.namespace === VERSION_RESTRICT)?.valueInt;
      const deleted = point.restricts?.some((r) => r.namespace === DELETED_RESTRICT && r.allowList?.includes('true')) ?? false;
      // int64 arrives as a string (REST) or a Long (gRPC); a datapoint loaded before the pipeline has none.
      found.set(point.datapointId, { version: version === undefined || version === null ? 0 : Number(version.toString()), deleted });
    }
    return found;
  }

  async write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]> {
    if (records.length === 0) return [];
    await this.indexClient.upsertDatapoints({ index: this.options.index, datapoints: records.map((r) => this.datapointOf(r)) });
    const pending = await awaitVisible(async () => {
      const stored = await this.readVersions(records.map((r) => r.documentId));
      // Exactly this version: until the upsert applies, the read shows the previous state, whatever its version.
      return new Set(records.filter((r) => stored.get(r.documentId)?.version !== r.version).map((r) => r.documentId));
    }, this.options);
    return records.map((r) =>
      pending.has(r.documentId) ? { ok: false, reason: `upserted but not readable within ${this.options.timeoutMs ?? 30_000} ms; a retry finds it` } : { ok: true },
    );
  }

  private datapointOf(r: VectorRecord): Datapoint {
    const version = { namespace: VERSION_RESTRICT, valueInt: r.version };
    const document = { namespace: DOCUMENT_ID_RESTRICT, allowList: [r.documentId] };
    if (r.kind === 'tombstone') {
      const unit = Array.from({ length: this.options.dimensions }, (_, i) => (i === 0 ? 1 : 0));
      return { datapointId: r.documentId, featureVector: unit, restricts: [document, { namespace: DELETED_RESTRICT, allowList: ['true'] }], numericRestricts: [version] };
    }
    const pipelineOwn = new Set([VERSION_RESTRICT, DELETED_RESTRICT, DOCUMENT_ID_RESTRICT]);
    const metadata = Object.entries(r.metadata).filter(([key]) => !pipelineOwn.has(key));
    return {
      datapointId: r.documentId,
      featureVector: [...r.vector],
      restricts: [document, ...metadata.filter(([, v]) => typeof v !== 'number').map(([namespace, v]) => ({ namespace, allowList: [String(v)] }))],
      numericRestricts: [version, ...metadata.filter(([, v]) => typeof v === 'number').map(([namespace, v]) => ({ namespace, valueDouble: v as number }))],
    };
  }
}
