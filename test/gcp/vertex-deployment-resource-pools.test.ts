/**
 * Vertex deployment resource pools (model co-hosting): the strict fake learns
 * DeploymentResourcePoolService from the protos and rejects what Vertex rejects; the deployment
 * provider creates a pool and deploys its members with `sharedResources`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  checkDeploymentInputs,
  createDeployment,
  createPool,
  deleteDeployment,
  deletePool,
  diffPool,
  updateDeployment,
  type DeploymentInputs,
  type PoolInputs,
} from '../../gcp/vertex-deployment-engine';
import { vertexDeploymentResourcePoolProvider } from '../../gcp/model-endpoint/vertex-deployment-resource-pool';
import { vertexHarness } from './support/vertex-test-harness';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const ENDPOINT = '987654321';
const LOCATION = `projects/${PROJECT}/locations/${REGION}`;
const POOL = `${LOCATION}/deploymentResourcePools/quiet-dev-gpu`;
const PYTORCH = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest';
const GPU = { machineSpec: { machineType: 'g2-standard-8', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 }, minReplicaCount: 1, maxReplicaCount: 2 };

const { fake, baseUrl, deps } = vertexHarness(PROJECT, REGION);

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

async function createRawPool(dedicatedResources: unknown = GPU) {
  return call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'quiet-dev-gpu', deploymentResourcePool: { dedicatedResources } });
}

async function deployShared(modelName: string, extra: Record<string, unknown> = {}, pool = POOL) {
  return call('POST', `${LOCATION}/endpoints/${ENDPOINT}:deployModel`, { deployedModel: { model: modelName, sharedResources: pool, ...extra }, trafficSplit: { '0': 100 } });
}

describe('the fake serves DeploymentResourcePoolService as the v1 protos define it', () => {
  it('creates a pool (a long-running operation), deploys a prebuilt-container model to it, lists it, and deletes the pool once empty', async () => {
    const created = await createRawPool();
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
    await settle((await createRawPool()).json);
    const both = await deployShared(model('m', PYTORCH), { dedicatedResources: GPU });
    expect(both.status).toBe(400);
    expect(fake.violations).toEqual([expect.stringContaining("oneof field 'predictionResources' is already set")]);
    fake.violations.length = 0;
  });

  it('rejects a deployment to an unknown pool, a custom container, and a second image in one pool', async () => {
    expect((await deployShared(model('m', PYTORCH), {}, `${LOCATION}/deploymentResourcePools/nope`)).status).toBe(404);
    await settle((await createRawPool()).json);
    const custom = await deployShared(model('custom', 'us-docker.pkg.dev/news-serving/models/reranker:0.9.3'));
    expect([custom.status, message(custom)]).toEqual([400, expect.stringContaining("custom containers aren't supported")]);
    await settle((await deployShared(model('first', PYTORCH), { id: '1' })).json);
    const other = await deployShared(model('second', 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-3:latest'), { id: '2' });
    expect([other.status, message(other)]).toEqual([400, expect.stringContaining('have the same container image')]);
  });

  it('rejects a pool at min 0, a bad pool id, and a mutation of a pooled model (the pool owns its replicas)', async () => {
    const zero = await createRawPool({ ...GPU, minReplicaCount: 0 });
    expect([zero.status, message(zero)]).toEqual([400, expect.stringContaining('min_replica_count must be at least 1')]);
    const badId = await call('POST', `${LOCATION}/deploymentResourcePools`, { deploymentResourcePoolId: 'Gpu_Pool', deploymentResourcePool: { dedicatedResources: GPU } });
    expect(badId.status).toBe(400);
    await settle((await createRawPool()).json);
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

const KEY = `projects/${PROJECT}/locations/${REGION}/keyRings/serving/cryptoKeys/models`;

function poolInputs(): PoolInputs {
  return {
    project: PROJECT,
    region: REGION,
    poolId: 'quiet-dev-gpu',
    apiBaseUrl: baseUrl(),
    machineType: 'g2-standard-8',
    acceleratorType: 'NVIDIA_L4',
    acceleratorCount: 1,
    minReplicaCount: 1,
    maxReplicaCount: 4,
    autoscalingMetricSpecs: [{ metricName: 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle', target: 60 }],
    encryptionKmsKeyName: KEY,
    serviceAccount: 'reranker@news-serving-test.iam.gserviceaccount.com',
    operationTimeoutSeconds: 60,
  };
}

function memberInputs(artifact: string): DeploymentInputs {
  return {
    project: PROJECT,
    region: REGION,
    endpointId: ENDPOINT,
    apiBaseUrl: baseUrl(),
    labels: { app: 'quiet', environment: 'dev' },
    autoscalingMetricSpecs: [],
    rollout: { steps: [50, 100], bakeSeconds: 0 },
    operationTimeoutSeconds: 60,
    encryptionKmsKeyName: KEY,
    variants: [
      {
        name: 'primary',
        displayName: 'quiet-dev-reranker',
        weight: 100,
        model: { imageUri: PYTORCH, artifactUri: artifact, port: 8080, predictRoute: '/invocations', healthRoute: '/ping', env: {} },
        machineType: 'g2-standard-8',
        acceleratorType: 'NVIDIA_L4',
        acceleratorCount: 1,
        minReplicaCount: 1,
        maxReplicaCount: 4,
        sharedResources: POOL,
      },
    ],
  };
}

describe('VertexDeploymentResourcePool and pooled VertexModelDeployment, against the fake', () => {
  it('create → update → destroy: the pool, a member deployed with sharedResources, a new model rolled out on the pool, then nothing left', async () => {
    fake.addEndpoint(ENDPOINT, KEY);
    const pool = await createPool(poolInputs(), deps);
    expect(pool.poolName).toBe(POOL);
    expect(fake.calls('deploymentResourcePools.create')[0].body).toMatchObject({
      deploymentResourcePoolId: 'quiet-dev-gpu',
      deploymentResourcePool: { dedicatedResources: { minReplicaCount: 1, maxReplicaCount: 4 }, encryptionSpec: { kmsKeyName: KEY } },
    });

    const created = await createDeployment(memberInputs('gs://quiet-models/reranker/1'), deps);
    const deployBody = fake.calls('endpoints.deployModel')[0].body as { deployedModel: Record<string, unknown> };
    expect(deployBody.deployedModel.sharedResources).toBe(POOL);
    expect(deployBody.deployedModel).not.toHaveProperty('dedicatedResources');

    const updated = await updateDeployment(created, memberInputs('gs://quiet-models/reranker/2'), deps);
    expect(fake.calls('endpoints.deployModel')).toHaveLength(2);
    expect(fake.calls('endpoints.mutateDeployedModel')).toHaveLength(0);
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels.map((d) => d.sharedResources)).toEqual([POOL]);

    // The pool outlives its members only until they are gone: Vertex refuses it before.
    await expect(deletePool(pool, deps)).rejects.toThrow(/FAILED_PRECONDITION.*has deployed models/);
    await deleteDeployment(updated, deps);
    await deletePool(pool, deps);
    expect(fake.leftovers()).toEqual([]);
  });

  it('checks: a pooled model cannot scale to zero, and a pool keeps at least one replica', () => {
    const atZero = memberInputs('gs://quiet-models/reranker/1');
    const v = { ...atZero.variants[0], minReplicaCount: 0, scaleToZero: { initialReplicaCount: 1, minScaleupPeriodSeconds: 300, idleScaledownPeriodSeconds: 900 } };
    expect(checkDeploymentInputs({ ...atZero, variants: [v] }).failures).toEqual([
      { property: 'variants[0].sharedResources', reason: expect.stringContaining('cannot scale to zero') },
    ]);
    const provider = vertexDeploymentResourcePoolProvider(deps);
    return expect(provider.check!({} as PoolInputs, { ...poolInputs(), minReplicaCount: 0 })).resolves.toEqual({
      failures: [{ property: 'minReplicaCount', reason: expect.stringContaining('>=1') }],
    });
  });

  it('replaces the pool on any change of its settings, and changes the API address in place', () => {
    const state = { ...poolInputs(), poolName: POOL };
    expect(diffPool(state, { ...poolInputs(), maxReplicaCount: 6 })).toEqual({ changes: true, replaces: ['maxReplicaCount'] });
    expect(diffPool(state, { ...poolInputs(), apiBaseUrl: 'http://127.0.0.1:1' })).toEqual({ changes: true, replaces: [] });
    expect(diffPool(state, poolInputs())).toEqual({ changes: false, replaces: [] });
  });

  it('runs serialized in a plain Node host, as Pulumi runs it', async () => {
    const code = (await pulumi.runtime.serializeFunction(() => vertexDeploymentResourcePoolProvider())).text;
    const out = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const child = execFile(process.execPath, [join(__dirname, 'support', 'dynamic-provider-host.cjs')], { cwd: join(__dirname, '..', '..'), timeout: 30_000 }, (error, stdout) =>
        error ? reject(error) : resolve(JSON.parse(stdout) as Record<string, unknown>),
      );
      child.stdin!.end(JSON.stringify({ code, method: 'check', args: [{}, { ...poolInputs(), apiBaseUrl: undefined, poolId: 'Bad_Id' }] }));
    });
    expect(out).toEqual({ failures: [{ property: 'poolId', reason: expect.stringContaining('[a-z0-9-]') }] });
  });

  it('the fake refuses a member whose endpoint has another CMEK key than the pool', async () => {
    await createPool(poolInputs(), deps);
    fake.addEndpoint(ENDPOINT, `projects/${PROJECT}/locations/${REGION}/keyRings/serving/cryptoKeys/other`);
    await expect(createDeployment(memberInputs('gs://quiet-models/reranker/1'), deps)).rejects.toThrow(/INVALID_ARGUMENT.*need the same encryption_spec/);
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels).toEqual([]);
  });
});
