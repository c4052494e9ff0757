/**
 * Vertex deployment resource pools (model co-hosting): the strict fake learns
 * DeploymentResourcePoolService from the protos and rejects what Vertex rejects; the deployment
 * provider creates a pool and deploys its members with `sharedResources`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { vertexHarness } from './support/vertex-test-harness';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const ENDPOINT = '987654321';
const LOCATION = `projects/${PROJECT}/locations/${REGION}`;
const POOL = `${LOCATION}/deploymentResourcePools/quiet-dev-gpu`;
const PYTORCH = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest';
const GPU = { machineSpec: { machineType: 'g2-standard-8', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 }, minReplicaCount: 1, maxReplicaCount: 2 };

const { fake, baseUrl } = vertexHarness(PROJECT, REGION);

beforeEach(() => {
  fake.reset();
  fake.addEndpoint(ENDPOINT);
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl()}/v1/${path}`, {
    method,
    headers: { authorization: 'Bearer dummy-token', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const message = (r: { json: Record<string, unknown> }) => String((r.json.error as { message?: string } | undefined)?.message ?? '');

/** Polls until done, as the provider does. */
async function settle(op: Record<string, unknown>): Promise<Record<string, unknown>> {
  let current = op;
  while (!current.done) current = (await call('GET', String(op.name))).json;
  return current;
}

function model(id: string, imageUri: string): string {
  const name = `${LOCATION}/models/${id}`;
  fake.models.set(name, { name, displayName: id, containerSpec: { imageUri } });
  return name;
}

async function createPool(dedicatedResources: unknown = GPU) {
  return call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'quiet-dev-gpu', deploymentResourcePool: { dedicatedResources } });
}

async function deployShared(modelName: string, extra: Record<string, unknown> = {}, pool = POOL) {
  return call('POST', `${LOCATION}/endpoints/${ENDPOINT}:deployModel`, { deployedModel: { model: modelName, sharedResources: pool, ...extra }, trafficSplit: { '0': 100 } });
}

describe('the fake serves DeploymentResourcePoolService as the v1 protos define it', () => {
  it('creates a pool (a long-running operation), deploys a prebuilt-container model to it, lists it, and deletes the pool once empty', async () => {
    const created = await createPool();
    expect(created.status).toBe(200);
    expect((await settle(created.json)).response).toMatchObject({ name: POOL, dedicatedResources: GPU });
    expect((await call('GET', POOL)).json).toMatchObject({ name: POOL });

    const reranker = model('reranker', PYTORCH);
    const deployed = await deployShared(reranker, { id: '1234567890' });
    expect(deployed.status).toBe(200);
    await settle(deployed.json);
    expect((await call('GET', `${POOL}:queryDeployedModels`)).json).toEqual({ deployedModelRefs: [{ endpoint: `${LOCATION}/endpoints/${ENDPOINT}`, deployedModelId: '1234567890' }] });

    const refused = await call('DELETE', POOL);
    expect([refused.status, message(refused)]).toEqual([400, expect.stringContaining('has deployed models (1234567890 on')]);

    await settle((await call('POST', `${LOCATION}/endpoints/${ENDPOINT}:undeployModel`, { deployedModelId: '1234567890' })).json);
    await settle((await call('DELETE', POOL)).json);
    fake.models.clear();
    expect(fake.leftovers()).toEqual([]);
  });

  it('rejects dedicatedResources and sharedResources together (one prediction_resources oneof)', async () => {
    await settle((await createPool()).json);
    const both = await deployShared(model('m', PYTORCH), { dedicatedResources: GPU });
    expect(both.status).toBe(400);
    expect(fake.violations).toEqual([expect.stringContaining("oneof field 'predictionResources' is already set")]);
    fake.violations.length = 0;
  });

  it('rejects a deployment to an unknown pool, a custom container, and a second image in one pool', async () => {
    expect((await deployShared(model('m', PYTORCH), {}, `${LOCATION}/deploymentResourcePools/nope`)).status).toBe(404);
    await settle((await createPool()).json);
    const custom = await deployShared(model('custom', 'us-docker.pkg.dev/news-serving/models/reranker:0.9.3'));
    expect([custom.status, message(custom)]).toEqual([400, expect.stringContaining("custom containers aren't supported")]);
    await settle((await deployShared(model('first', PYTORCH), { id: '1' })).json);
    const other = await deployShared(model('second', 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-3:latest'), { id: '2' });
    expect([other.status, message(other)]).toEqual([400, expect.stringContaining('have the same container image')]);
  });

  it('rejects a pool at min 0, a bad pool id, and a mutation of a pooled model (the pool owns its replicas)', async () => {
    const zero = await createPool({ ...GPU, minReplicaCount: 0 });
    expect([zero.status, message(zero)]).toEqual([400, expect.stringContaining('min_replica_count must be at least 1')]);
    const badId = await call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'Gpu_Pool', deploymentResourcePool: { dedicatedResources: GPU } });
    expect(badId.status).toBe(400);
    await settle((await createPool()).json);
    await settle((await deployShared(model('m', PYTORCH), { id: '7' })).json);
    const mutate = await call('POST', `${LOCATION}/endpoints/${ENDPOINT}:mutateDeployedModel`, {
      deployedModel: { id: '7', model: `${LOCATION}/models/m`, dedicatedResources: { minReplicaCount: 2, maxReplicaCount: 3 } },
      updateMask: 'dedicatedResources.minReplicaCount,dedicatedResources.maxReplicaCount',
    });
    expect([mutate.status, message(mutate)]).toEqual([400, expect.stringContaining('pool owns the replicas')]);
  });

  it('rejects a pool without dedicatedResources (REQUIRED) and unknown fields', async () => {
    const missing = await call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'p', deploymentResourcePool: {} });
    const unknown = await call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'p', deploymentResourcePool: { dedicatedResources: GPU, scaleToZero: true } });
    expect([missing.status, unknown.status]).toEqual([400, 400]);
    expect(fake.violations).toEqual([
      expect.stringContaining("Required field 'deployment_resource_pool.dedicated_resources' is missing"),
      expect.stringContaining('Unknown name "scaleToZero"'),
    ]);
    fake.violations.length = 0;
  });
});
