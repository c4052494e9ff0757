/**
 * The embedding-refresh worker on GCP under Pulumi mocks: the function built from a source archive,
 * its push subscription with ordering and OIDC, its identities and grants, Direct VPC egress, the
 * freshness alert, and the policy pack; then the exact bundle in the archive, called with Pub/Sub
 * push bodies against in-memory ports and the local Vertex endpoint.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseTopology, presetInput, resolveTopology, type ResolvedTopology } from '../../constructs';
import { EMBEDDING_REFRESH_FUNCTION_ENTRY } from '../../gcp/embedding-refresh-pipeline';
import { planGcp, PLAN_PROJECT, PLAN_PROJECT_NUMBER, type PlannedResource } from '../../gcp/plan';
import { GCP_POLICIES } from '../../gcp/policy/gcp-policies';
import { bundleFunction } from '../../gcp/private/function-source';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { PushRequest, PushResponse } from '../../pipelines/embedding-refresh/cloud-function/push-handler';
import type { RefreshWorkerOptions } from '../../pipelines/embedding-refresh/refresh-worker';
import { MemoryVectorStore } from '../pipelines/support/memory-ports';
import { fromPlan, runPolicies } from './support/run-policy-pack';

// Mock inputs are untyped JSON; the tests read into them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;

function pipelineTopology(engine: 'managed' | 'pgvector' = 'managed'): ResolvedTopology {
  const input = presetInput('dev');
  input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } };
  if (engine === 'pgvector' && input.vectorStore) input.vectorStore = { ...input.vectorStore, engine: 'pgvector' };
  return resolveTopology(parseTopology(input, 'test'));
}

const ofType = (plan: PlannedResource[], type: string): Inputs[] => plan.filter((r) => r.type === type).map((r) => r.inputs as Inputs);
const one = (plan: PlannedResource[], type: string): Inputs => {
  const found = ofType(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}`);
  return found[0];
};

describe('EmbeddingRefreshPipeline (Pulumi mocks)', () => {
  let plan: PlannedResource[];
  let pgPlan: PlannedResource[];
  const topology = pipelineTopology();
  beforeAll(async () => {
    plan = await planGcp(topology);
    pgPlan = await planGcp(pipelineTopology('pgvector'));
  });

  it('builds a 2nd gen function from the uploaded source archive, sized from the topology', () => {
    const p = topology.pipelines.embeddingRefresh;
    const fn = one(plan, 'gcp:cloudfunctionsv2/function:Function');
    const object = one(plan, 'gcp:storage/bucketObject:BucketObject');
    expect(fn).toMatchObject({
      name: 'news-dev-embedding-refresh',
      location: 'us-central1',
      buildConfig: { runtime: 'nodejs22', entryPoint: 'embeddingRefresh', source: { storageSource: { object: expect.any(String) } } },
      serviceConfig: {
        maxInstanceCount: p?.concurrency,
        maxInstanceRequestConcurrency: p?.batchSize,
        timeoutSeconds: p?.timeoutSeconds,
        availableMemory: `${p?.memoryMiB}Mi`,
        ingressSettings: 'ALLOW_INTERNAL_ONLY',
        directVpcEgress: 'VPC_EGRESS_ALL_TRAFFIC',
        directVpcNetworkInterfaces: [{ network: `projects/${PLAN_PROJECT}/global/networks/news-network-vpc`, subnetwork: expect.stringContaining('subnetworks/') }],
        environmentVariables: {
          VERTEX_API_URL: 'https://us-central1-aiplatform.googleapis.com',
          EMBEDDER_ENDPOINT: expect.stringMatching(new RegExp(`^projects/${PLAN_PROJECT}/locations/us-central1/endpoints/\\d{9}$`)),
          EMBEDDER_MAX_BATCH: '10',
          VECTOR_DIMENSIONS: '768',
          VECTOR_STORE_ENGINE: 'managed',
        },
      },
    });
    expect(fn.serviceConfig.serviceAccountEmail).toContain(topology.pipelines.embeddingRefresh?.gcp.serviceAccountId);
    expect(object.source).toBeDefined();
    expect(one(plan, 'gcp:storage/bucket:Bucket')).toMatchObject({
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      location: 'us-central1',
      encryption: { defaultKmsKeyName: expect.stringMatching(/\/cryptoKeys\/pipeline-embedding-refresh$/) },
    });
  });

  it('pushes the ordered, dead-lettering subscription to the function with an OIDC token', () => {
    const subscriptions = ofType(plan, 'gcp:pubsub/subscription:Subscription');
    const source = subscriptions.find((s) => s.name === 'news-dev-embedding-refresh-ordered-sub');
    const other = subscriptions.find((s) => s.name === 'news-dev-async-inference-sub');
    expect(source).toMatchObject({
      enableMessageOrdering: true,
      deadLetterPolicy: { maxDeliveryAttempts: 5 },
      pushConfig: { pushEndpoint: expect.stringMatching(/^https:\/\/.*\.run\.app$/), oidcToken: { serviceAccountEmail: expect.stringContaining('news-dev-embed-push') } },
    });
    expect(source?.pushConfig.oidcToken.audience).toBe(source?.pushConfig.pushEndpoint);
    expect(other?.pushConfig).toBeUndefined();
    expect(other?.enableMessageOrdering).toBeUndefined();
  });

  it('lets the push identity only invoke, and the worker only predict on the embedder and write the index', () => {
    const invoker = one(plan, 'gcp:cloudrunv2/serviceIamMember:ServiceIamMember');
    expect(invoker).toMatchObject({ role: 'roles/run.invoker', member: expect.stringContaining('news-dev-embed-push') });
    const tokenCreator = one(plan, 'gcp:serviceaccount/iAMMember:IAMMember');
    expect(tokenCreator).toMatchObject({ role: 'roles/iam.serviceAccountTokenCreator', member: `serviceAccount:service-${PLAN_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com` });
    const roles = ofType(plan, 'gcp:projects/iAMCustomRole:IAMCustomRole');
    expect(roles.map((r) => [r.roleId, r.permissions])).toEqual([
      ['news_dev_embedding_predictor', ['aiplatform.endpoints.predict']],
      ['news_dev_vector_index_writer', ['aiplatform.indexes.get', 'aiplatform.indexes.update', 'aiplatform.indexEndpoints.get', 'aiplatform.indexEndpoints.queryVectors']],
    ]);
    const predict = one(plan, 'gcp:vertex/aiEndpointIamMember:AiEndpointIamMember');
    expect(predict).toMatchObject({ location: 'us-central1', member: expect.stringContaining('news-dev-embed-refresh') });
    const projectGrants = ofType(plan, 'gcp:projects/iAMMember:IAMMember').filter((m) => String(m.member).includes('news-dev-embed-refresh'));
    expect(projectGrants.map((g) => g.role)).toEqual([expect.stringContaining('roles/news_dev_vector_index_writer')]);
  });

  it('on pgvector, connects to AlloyDB as an IAM database user and has no index role', () => {
    const fn = one(pgPlan, 'gcp:cloudfunctionsv2/function:Function');
    expect(fn.serviceConfig.environmentVariables).toMatchObject({ VECTOR_STORE_ENGINE: 'pgvector', DATABASE_USER: expect.stringMatching(/^news-dev-embed-refresh@.*\.iam$/) });
    const projectGrants = ofType(pgPlan, 'gcp:projects/iAMMember:IAMMember').filter((m) => String(m.member).includes('news-dev-embed-refresh'));
    expect(projectGrants.map((g) => g.role).sort()).toEqual(['roles/alloydb.client', 'roles/alloydb.databaseUser']);
  });

  it('alerts when the oldest unacknowledged message is older than the SLO', () => {
    const policy = ofType(plan, 'gcp:monitoring/alertPolicy:AlertPolicy').find((a) => String(a.displayName).startsWith('embedding refresh'));
    expect(policy?.conditions[0].conditionThreshold).toMatchObject({
      filter: expect.stringContaining('metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"'),
      thresholdValue: 60,
      duration: '120s',
    });
    expect(policy?.conditions[0].conditionThreshold.filter).toContain('subscription_id = "news-dev-embedding-refresh-ordered-sub"');
    expect(policy?.notificationChannels).toEqual(ofType(plan, 'gcp:monitoring/alertPolicy:AlertPolicy')[0].notificationChannels);
  });

  it('passes the GCP policy pack', async () => {
    expect(await runPolicies(GCP_POLICIES, fromPlan(plan))).toEqual([]);
    expect(await runPolicies(GCP_POLICIES, fromPlan(pgPlan))).toEqual([]);
  });
});

describe('the function bundle, with Pub/Sub push bodies', () => {
  let dir: string;
  let emulator: EmulatorHandle;
  let bundle: {
    embeddingRefresh: (req: PushRequest, res: PushResponse) => Promise<void>;
    pushHandler: (ports: () => RefreshWorkerOptions) => (req: PushRequest, res: PushResponse) => Promise<void>;
    embedderFromEnvironment: (env: NodeJS.ProcessEnv) => RefreshWorkerOptions['embedder'];
  };
  const topology = pipelineTopology();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedding-refresh-function-'));
    // The same bundle the source archive carries as index.js.
    writeFileSync(join(dir, 'index.js'), bundleFunction(EMBEDDING_REFRESH_FUNCTION_ENTRY));
    bundle = require(join(dir, 'index.js'));
    emulator = await startEmulator(topology, { seed: 4, project: 'serving-test' });
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function call(handler: (req: PushRequest, res: PushResponse) => Promise<void>, body: unknown) {
    const answer: { status?: number; body?: unknown } = {};
    const res: PushResponse = {
      status(code) {
        answer.status = code;
        return res;
      },
      json(b) {
        answer.body = b;
        return res;
      },
    };
    return handler({ body }, res).then(() => answer);
  }
  let n = 0;
  const push = (message: object, deliveryAttempt = 1) => ({
    message: { data: Buffer.from(JSON.stringify(message)).toString('base64'), messageId: String(++n), publishTime: '2026-12-06T12:00:00Z', orderingKey: 'doc' },
    subscription: `projects/serving-test/subscriptions/${topology.queues[0].gcp.subscriptionName}`,
    deliveryAttempt,
  });

  it('acknowledges written, stale and deleted messages with 2xx, and nacks poison with 4xx', async () => {
    const embedder = topology.endpoints.find((e) => e.name === 'embedder');
    const endpointId = emulator.endpoints.find((e) => e.name === 'embedder');
    const routes = endpointId && emulator.routes(endpointId);
    const match = routes?.vertex.match(/\/v1\/(projects\/.+\/endpoints\/[^/:]+)/);
    if (!embedder || !match) throw new Error(`no embedder route: ${routes?.vertex}`);
    const env = { VERTEX_API_URL: emulator.url, EMBEDDER_ENDPOINT: match[1], EMBEDDER_MAX_BATCH: '10', VECTOR_DIMENSIONS: '768', VECTOR_STORE_ENGINE: 'managed' };
    const store = new MemoryVectorStore();
    const handler = bundle.pushHandler(() => ({ embedder: bundle.embedderFromEnvironment(env), writer: store, dimensions: 768 }));

    const written = await call(handler, push({ formatVersion: 1, documentId: 'doc', version: 3, op: 'upsert', text: 'breaking news' }));
    expect(written).toMatchObject({ status: 204, body: { status: 'written', documentId: 'doc', version: 3 } });
    expect(store.documents.get('doc')?.vector).toHaveLength(768);
    expect(await call(handler, push({ formatVersion: 1, documentId: 'doc', version: 2, op: 'upsert', text: 'older' }, 2))).toMatchObject({ status: 204, body: { status: 'stale' } });
    expect(await call(handler, push({ formatVersion: 1, documentId: 'doc', version: 4, op: 'delete' }))).toMatchObject({ status: 204, body: { status: 'deleted' } });
    expect(await call(handler, push({ formatVersion: 1, documentId: 'doc', version: 5, op: 'upsert' }))).toMatchObject({ status: 422, body: { status: 'poison' } });
    expect(await call(handler, { hello: 'world' })).toMatchObject({ status: 400 });
    expect(store.documents.get('doc')).toEqual({ version: 4, deleted: true });
  });

  it('answers 503 so Pub/Sub retries when the embedder fails', async () => {
    const env = { VERTEX_API_URL: emulator.url, EMBEDDER_ENDPOINT: 'projects/serving-test/locations/us-central1/endpoints/999999999', EMBEDDER_MAX_BATCH: '10', VECTOR_DIMENSIONS: '768', VECTOR_STORE_ENGINE: 'managed' };
    const handler = bundle.pushHandler(() => ({ embedder: bundle.embedderFromEnvironment(env), writer: new MemoryVectorStore(), dimensions: 768 }));
    const answer = await call(handler, push({ formatVersion: 1, documentId: 'x', version: 1, op: 'upsert', text: 'hello' }));
    expect(answer).toMatchObject({ status: 503, body: { status: 'failed', reason: expect.stringContaining('embedder failed:') } });
  });
});
