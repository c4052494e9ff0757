/**
 * The vector-index custom resource handler against a local fake of a collection's index API, through
 * the AWS SDK's SigV4 signer and HTTP handler: the bundled Lambda as deployed, then the lifecycle's
 * retries, adoption and failures with an injected clock (no wall-clock waits).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenSearchApiError, OpenSearchIndexApi } from '../../aws/handlers/vector-index/opensearch-index-api';
import type { VectorIndexEvent, VectorIndexResult } from '../../aws/handlers/vector-index/vector-index-event';
import { handleVectorIndexEvent, type IndexApi, type LifecycleRuntime } from '../../aws/handlers/vector-index/vector-index-lifecycle';
import { bundleHandler } from '../../aws/private/bundled-handler';
import { vectorIndexDefinition } from '../../aws/private/vector-index-mapping';
import { FakeCollection } from './fake-opensearch-index-api';
import { resolvedTopology } from './support';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const definition = vectorIndexDefinition(resolvedTopology('prod').vectorStore!);

let fake: FakeCollection | undefined;
let endpoint: string;

async function startFake(forbiddenRequests = 0): Promise<FakeCollection> {
  const started = new FakeCollection({ region: REGION, ...CREDENTIALS, forbiddenRequests });
  endpoint = await started.start();
  fake = started;
  return started;
}
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const properties = (indexName = definition.name, body: object = definition.body) => ({ CollectionEndpoint: endpoint, IndexName: indexName, IndexBody: JSON.stringify(body) });
const create = (indexName?: string, body?: object): VectorIndexEvent => ({ RequestType: 'Create', ResourceProperties: properties(indexName, body) });

/** A runtime whose clock advances only by the backoffs it sleeps. */
function virtualRuntime(deadlineMs = 600_000) {
  let now = 0;
  const sleeps: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const clients: OpenSearchIndexApi[] = [];
  const runtime: LifecycleRuntime = {
    apiFor: (url) => {
      const api = new OpenSearchIndexApi({ endpoint: url, region: REGION, credentials: async () => CREDENTIALS });
      clients.push(api);
      return api;
    },
    deadline: deadlineMs,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    log: (entry) => logs.push(entry),
  };
  return { runtime, sleeps, logs, close: () => clients.forEach((c) => c.destroy()) };
}

describe('the bundled handler, as Lambda runs it', () => {
  let outdir: string;
  let handler: (event: VectorIndexEvent, context: { getRemainingTimeInMillis(): number }) => Promise<VectorIndexResult>;
  const context = { getRemainingTimeInMillis: () => 840_000 };

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'vector-index-bundle-'));
    bundleHandler(join(__dirname, '../../aws/handlers/vector-index/index.ts'), join(outdir, 'index.js'));
    // The Lambda runtime provides the function role's credentials and the region in the environment.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: REGION });
    handler = require(join(outdir, 'index.js')).handler;
    // The handler logs one JSON line per step to stdout, as Lambda expects.
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('creates the index with the mapping, answers its physical id, and deletes it', async () => {
    await startFake();
    const created = await handler(create(), context);
    expect(created).toEqual({ PhysicalResourceId: `${endpoint}/${definition.name}`, Data: { IndexName: definition.name } });
    expect(fake!.indexes.get(definition.name)?.mappings).toEqual(definition.body.mappings);
    expect(fake!.indexes.get(definition.name)?.settings).toEqual({ index: { knn: true } });

    await handler({ RequestType: 'Delete', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: properties() }, context);
    expect(fake!.indexes.size).toBe(0);
    expect(fake!.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 200', 'DELETE 200']);
  });

  it('a mapping change (new index name) creates the new index beside the old one; the old one goes only with its own Delete', async () => {
    await startFake();
    const first = await handler(create(), context);
    const changed = vectorIndexDefinition({ ...resolvedTopology('prod').vectorStore!, dimensions: 1024 });
    const second = await handler(
      { RequestType: 'Update', PhysicalResourceId: first.PhysicalResourceId, ResourceProperties: properties(changed.name, changed.body) },
      context,
    );
    expect(second.PhysicalResourceId).toBe(`${endpoint}/${changed.name}`);
    expect([...fake!.indexes.keys()].sort()).toEqual([definition.name, changed.name].sort());
    // CloudFormation then sends Delete for the old physical id (unless the index is retained).
    await handler({ RequestType: 'Delete', PhysicalResourceId: first.PhysicalResourceId, ResourceProperties: properties() }, context);
    expect([...fake!.indexes.keys()]).toEqual([changed.name]);
  });

  it('an update that keeps the index checks it exists and recreates one deleted out of band', async () => {
    await startFake();
    const created = await handler(create(), context);
    await handler({ RequestType: 'Update', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: properties() }, context);
    fake!.indexes.clear();
    await handler({ RequestType: 'Update', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: properties() }, context);
    expect(fake!.requests.map((r) => `${r.method} ${r.path.replace(definition.name, '<index>')} ${r.status}`)).toEqual([
      'PUT /<index> 200',
      'GET /<index>/_mapping 200',
      'GET /<index>/_mapping 404',
      'PUT /<index> 200',
    ]);
  });

  it('deleting an index that is already gone, or one never created (a failed create), succeeds', async () => {
    await startFake();
    await handler({ RequestType: 'Delete', PhysicalResourceId: `${endpoint}/${definition.name}`, ResourceProperties: properties() }, context);
    await handler({ RequestType: 'Delete', PhysicalResourceId: 'a1b2c3d4-request-id', ResourceProperties: properties() }, context);
    expect(fake!.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['DELETE 404']);
  });
});

describe('retries while the collection and its data access policy settle', () => {
  it('retries 403 Forbidden with growing backoff until the policy arrives', async () => {
    await startFake(3);
    const { runtime, sleeps, logs, close } = virtualRuntime();
    try {
      await handleVectorIndexEvent(create(), runtime);
    } finally {
      close();
    }
    expect(fake!.indexes.has(definition.name)).toBe(true);
    expect(fake!.requests.map((r) => r.status)).toEqual([403, 403, 403, 200]);
    // 2 s, 4 s, 8 s with the jitter at its midpoint (×0.75).
    expect(sleeps).toEqual([1500, 3000, 6000]);
    expect(logs.filter((l) => l.message === 'retrying').map((l) => l.type)).toEqual(['Forbidden', 'Forbidden', 'Forbidden']);
  });

  it('gives up before the deadline with the last error', async () => {
    await startFake(1_000);
    const { runtime, close } = virtualRuntime(60_000);
    try {
      await expect(handleVectorIndexEvent(create(), runtime)).rejects.toThrow(/^CreateIndex still failing after \d+ attempts, giving up before the handler's deadline: CreateIndex: HTTP 403 Forbidden: 403 Forbidden$/);
    } finally {
      close();
    }
    expect(fake!.requests.length).toBeLessThan(10);
  });

  it('does not retry a mapping OpenSearch rejects, and reports its reason', async () => {
    await startFake();
    const { runtime, sleeps, close } = virtualRuntime();
    const body = { ...definition.body, mappings: { properties: { embedding: { type: 'knn_vector', dimension: 768, method: { name: 'hnsw', engine: 'faiss', parameters: { efSearch: 512 } } } } } };
    try {
      await expect(handleVectorIndexEvent(create('embeddings-bad', body), runtime)).rejects.toThrow('CreateIndex: HTTP 400 mapper_parsing_exception: Failed to parse mapping [_doc]: Invalid parameter for faiss hnsw: efSearch');
    } finally {
      close();
    }
    expect(sleeps).toEqual([]);
  });
});

describe('an index that already exists', () => {
  it('is adopted when its vector field matches (a retried create)', async () => {
    await startFake();
    fake!.indexes.set(definition.name, { uuid: 'u', settings: definition.body.settings, mappings: definition.body.mappings });
    const { runtime, logs, close } = virtualRuntime();
    try {
      await handleVectorIndexEvent(create(), runtime);
    } finally {
      close();
    }
    expect(fake!.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 400', 'GET 200']);
    expect(logs.map((l) => l.message)).toContain('adopted existing index with the same vector fields');
  });

  it('stops the deploy when its vector field differs', async () => {
    await startFake();
    const other = vectorIndexDefinition({ ...resolvedTopology('prod').vectorStore!, dimensions: 384 });
    fake!.indexes.set(definition.name, { uuid: 'u', settings: other.body.settings, mappings: other.body.mappings });
    const { runtime, close } = virtualRuntime();
    try {
      await expect(handleVectorIndexEvent(create(), runtime)).rejects.toThrow(
        `index ${definition.name} already exists with a different vector field (embedding.dimension: wanted 768, found 384)`,
      );
    } finally {
      close();
    }
  });
});

describe('signing', () => {
  it('the fake refuses a request signed for another region, as OpenSearch Serverless does', async () => {
    await startFake();
    const api = new OpenSearchIndexApi({ endpoint, region: 'eu-west-1', credentials: async () => CREDENTIALS });
    try {
      const error = await api.createIndex('embeddings', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenSearchApiError);
      expect(error).toMatchObject({ status: 403, type: 'Forbidden', reason: 'credential scope names region eu-west-1, not us-east-1' });
    } finally {
      api.destroy();
    }
  });

  it('the fake refuses a request signed with the wrong secret', async () => {
    await startFake();
    const api = new OpenSearchIndexApi({ endpoint, region: REGION, credentials: async () => ({ ...CREDENTIALS, secretAccessKey: 'not-the-secret' }) });
    try {
      await expect(api.getMappings('embeddings')).rejects.toMatchObject({ status: 403, reason: 'The request signature we calculated does not match the signature you provided' });
    } finally {
      api.destroy();
    }
  });
});

describe('a collection that is gone', () => {
  it('counts an endpoint that no longer resolves as deleted, without retrying', async () => {
    const calls: string[] = [];
    const api: IndexApi = {
      createIndex: async () => undefined,
      getMappings: async () => undefined,
      deleteIndex: async (name) => {
        calls.push(name);
        throw new OpenSearchApiError('DeleteIndex', 0, 'ENOTFOUND', 'getaddrinfo ENOTFOUND abc.us-east-1.aoss.amazonaws.com');
      },
    };
    const { runtime, sleeps } = virtualRuntime();
    await handleVectorIndexEvent({ RequestType: 'Delete', PhysicalResourceId: 'https://abc.us-east-1.aoss.amazonaws.com/embeddings-1', ResourceProperties: properties() }, { ...runtime, apiFor: () => api });
    expect(calls).toEqual(['embeddings-1']);
    expect(sleeps).toEqual([]);
  });
});
