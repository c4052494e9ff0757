import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GCP_NAMING } from '../../constructs';
import { VertexApi } from '../../gcp/vertex-api';
import {
  checkDeploymentInputs,
  diffDeployment,
  interpolateSplit,
  PULUMI_UNKNOWN,
  renormalise,
  type DeploymentInputs,
  type DeploymentState,
} from '../../gcp/vertex-deployment-engine';
import { vertexDeploymentProvider } from '../../gcp/vertex-model-deployment';
import { FAKE_TOKEN, FakeVertexApi } from './support/fake-vertex-api';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const ENDPOINT = '123456789';

/** An auth client holding a dummy token that never expires: no network, no credentials. */
function dummyAuth(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: FAKE_TOKEN, expiry_date: Date.now() + 3_600_000 });
  return client;
}

const fake = new FakeVertexApi(PROJECT, REGION);
let baseUrl = '';
const bakes: number[] = [];
// Polls and retries resolve at once; bakes (>= 1 s here) are recorded so a test can see them.
const sleep = async (ms: number) => {
  if (ms >= 1000) bakes.push(ms);
};
const provider = () => vertexDeploymentProvider({ auth: dummyAuth(), sleep, pollInitialMs: 1, retryInitialMs: 1 });

function inputs(overrides: Partial<DeploymentInputs> = {}): DeploymentInputs {
  const variant = (name: string, weight: number, tag: string) => ({
    name,
    displayName: `news-prod-embedder-${name}`,
    weight,
    model: {
      imageUri: `us-docker.pkg.dev/news-serving/models/embedder:${tag}`,
      artifactUri: `gs://news-models/embedder/${tag}/`,
      port: 8080,
      predictRoute: '/invocations',
      healthRoute: '/ping',
      env: { MODEL_NAME: 'embedder' },
    },
    machineType: 'g2-standard-4',
    acceleratorType: 'NVIDIA_L4',
    acceleratorCount: 1,
    minReplicaCount: 2,
    maxReplicaCount: 16,
  });
  return {
    project: PROJECT,
    region: REGION,
    endpointId: ENDPOINT,
    apiBaseUrl: baseUrl,
    serviceAccount: 'embedder-serving@news-serving-test.iam.gserviceaccount.com',
    encryptionKmsKeyName: `projects/${PROJECT}/locations/${REGION}/keyRings/news/cryptoKeys/embedder`,
    labels: { app: 'news', environment: 'prod' },
    autoscalingMetricSpecs: [{ metricName: 'aiplatform.googleapis.com/prediction/online/request_count', target: 4800 }],
    rollout: { steps: [10, 100], bakeSeconds: 600 },
    operationTimeoutSeconds: 60,
    variants: [variant('current', 90, '2.1.0'), variant('candidate', 10, '2.2.0-rc1')],
    ...overrides,
  };
}

function withVariant(base: DeploymentInputs, name: string, change: (v: DeploymentInputs['variants'][number]) => object): DeploymentInputs {
  return { ...base, variants: base.variants.map((v) => (v.name === name ? { ...v, ...change(v) } : v)) };
}

beforeAll(async () => {
  baseUrl = await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.addEndpoint(ENDPOINT);
  bakes.length = 0;
});

async function created(): Promise<DeploymentState> {
  const result = await provider().create(inputs());
  fake.requests.length = 0;
  return result.outs!;
}

describe('VertexModelDeployment provider against the fake Vertex API', () => {
  it('creates: uploads each variant, deploys it on dedicated resources and splits traffic by weight', async () => {
    const { id, outs } = await provider().create(inputs());
    expect(id).toBe(`projects/${PROJECT}/locations/${REGION}/endpoints/${ENDPOINT}/deployments`);

    const uploads = fake.calls('models.upload').map((r) => (r.body as { model: Record<string, unknown> }).model);
    expect(uploads.map((m) => m.containerSpec)).toEqual([
      {
        imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.1.0',
        env: [{ name: 'MODEL_NAME', value: 'embedder' }],
        ports: [{ containerPort: 8080 }],
        predictRoute: '/invocations',
        healthRoute: '/ping',
      },
      expect.objectContaining({ imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.2.0-rc1' }),
    ]);
    expect(uploads[0]).toMatchObject({ artifactUri: 'gs://news-models/embedder/2.1.0/', encryptionSpec: { kmsKeyName: inputs().encryptionKmsKeyName } });

    const deploys = fake.calls('endpoints.deployModel').map((r) => r.body as { deployedModel: Record<string, unknown>; trafficSplit: object });
    expect(deploys[0].deployedModel).toMatchObject({
      serviceAccount: 'embedder-serving@news-serving-test.iam.gserviceaccount.com',
      dedicatedResources: {
        machineSpec: { machineType: 'g2-standard-4', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
        minReplicaCount: 2,
        maxReplicaCount: 16,
        autoscalingMetricSpecs: [{ metricName: 'aiplatform.googleapis.com/prediction/online/request_count', target: 4800 }],
      },
    });
    expect(deploys[0].trafficSplit).toEqual({ '0': 100 });
    // The second model joins with no traffic; the weights are set once both serve.
    expect(deploys[1].trafficSplit).toEqual({ [outs!.deployed.current.deployedModelId]: 100, '0': 0 });

    const endpoint = fake.endpoints.get(ENDPOINT)!;
    expect(endpoint.deployedModels).toHaveLength(2);
    expect(endpoint.trafficSplit).toEqual({ [outs!.deployed.current.deployedModelId]: 90, [outs!.deployed.candidate.deployedModelId]: 10 });
    expect(outs!.trafficSplit).toEqual(endpoint.trafficSplit);
    expect(bakes).toEqual([]);
  });

  it('changes traffic only: one endpoints.patch, no upload or deploy', async () => {
    const olds = await created();
    const news = withVariant(withVariant(inputs(), 'current', () => ({ weight: 50 })), 'candidate', () => ({ weight: 50 }));
    expect(diffDeployment(olds, news)).toMatchObject({ changes: true, replaces: [], actions: { current: 'traffic', candidate: 'traffic' } });
    const { outs } = await provider().update!('id', olds, news);
    expect(fake.requests.map((r) => r.method)).toEqual(['endpoints.patch']);
    expect(Object.values(fake.endpoints.get(ENDPOINT)!.trafficSplit)).toEqual([50, 50]);
    expect(outs!.deployed).toEqual(olds.deployed);
  });

  it('rolls out a new image: new model at 0 %, traffic in the resolved steps with a bake between, old model undeployed and deleted', async () => {
    const olds = await created();
    const news = withVariant(inputs(), 'candidate', (v) => ({ model: { ...v.model, imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.2.0' } }));
    expect(diffDeployment(olds, news)).toMatchObject({ changes: true, replaces: [], actions: { current: 'keep', candidate: 'redeploy' } });

    const { outs } = await provider().update!('id', olds, news);
    const oldCandidate = olds.deployed.candidate;
    const newCandidate = outs!.deployed.candidate;
    const current = olds.deployed.current.deployedModelId;
    expect(newCandidate.deployedModelId).not.toBe(oldCandidate.deployedModelId);
    expect(fake.requests.map((r) => r.method).filter((m) => m !== 'operations.get')).toEqual([
      'models.upload',
      'endpoints.deployModel',
      'endpoints.patch',
      'endpoints.patch',
      'endpoints.undeployModel',
      'models.delete',
    ]);
    const steps = fake.calls('endpoints.patch').map((r) => (r.body as { trafficSplit: object }).trafficSplit);
    expect(steps).toEqual([
      { [current]: 90, [oldCandidate.deployedModelId]: 9, [newCandidate.deployedModelId]: 1 },
      { [current]: 90, [oldCandidate.deployedModelId]: 0, [newCandidate.deployedModelId]: 10 },
    ]);
    expect(bakes).toEqual([600_000]);
    expect(fake.models.has(oldCandidate.model)).toBe(false);
    expect(fake.endpoints.get(ENDPOINT)!.trafficSplit).toEqual({ [current]: 90, [newCandidate.deployedModelId]: 10 });
  });

  it('changes replica bounds in place with mutateDeployedModel', async () => {
    const olds = await created();
    const news = withVariant(inputs(), 'current', () => ({ minReplicaCount: 3, maxReplicaCount: 20 }));
    expect(diffDeployment(olds, news).actions.current).toBe('mutate');
    await provider().update!('id', olds, news);
    expect(fake.requests.map((r) => r.method).filter((m) => m !== 'operations.get')).toEqual(['endpoints.mutateDeployedModel', 'endpoints.patch']);
    const deployed = fake.endpoints.get(ENDPOINT)!.deployedModels.find((d) => d.id === olds.deployed.current.deployedModelId)!;
    expect(deployed.dedicatedResources).toMatchObject({ minReplicaCount: 3, maxReplicaCount: 20 });
  });

  it('destroys: moves traffic off, undeploys every model and deletes the models', async () => {
    const olds = await created();
    await provider().delete!('id', olds);
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels).toEqual([]);
    expect(fake.endpoints.get(ENDPOINT)!.trafficSplit).toEqual({});
    expect(fake.models.size).toBe(0);
    // A second destroy (state out of date) finds nothing and still succeeds.
    await expect(provider().delete!('id', olds)).resolves.toBeUndefined();
  });

  it('refreshes: a model undeployed out of band drops out of the state, and the next update deploys it again', async () => {
    const olds = await created();
    const endpoint = fake.endpoints.get(ENDPOINT)!;
    const candidate = olds.deployed.candidate.deployedModelId;
    endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== candidate);
    endpoint.trafficSplit = { [olds.deployed.current.deployedModelId]: 100 };

    const { id, props } = await provider().read!('id', olds);
    expect(id).toBe('id');
    expect(Object.keys(props!.deployed)).toEqual(['current']);
    expect(props!.trafficSplit).toEqual({ [olds.deployed.current.deployedModelId]: 100 });
    expect(diffDeployment(props!, inputs()).actions).toEqual({ current: 'keep', candidate: 'add' });

    fake.endpoints.clear();
    expect(await provider().read!('id', olds)).toEqual({});
  });

  it('diff replaces on a new endpoint or region and updates in place otherwise', async () => {
    const olds = await created();
    expect(diffDeployment(olds, inputs({ endpointId: '223456789' })).replaces).toEqual(['endpointId']);
    expect(diffDeployment(olds, inputs({ region: 'europe-west4' })).replaces).toEqual(['region']);
    expect(diffDeployment(olds, inputs())).toMatchObject({ changes: false, replaces: [] });
    const machine = diffDeployment(olds, withVariant(inputs(), 'current', () => ({ machineType: 'g2-standard-8' })));
    expect(machine).toMatchObject({ changes: true, replaces: [], actions: { current: 'redeploy' } });
    expect(await provider().diff!('id', olds, inputs({ project: 'other-project-1' }))).toMatchObject({ changes: true, replaces: ['project'] });
  });
});

describe('VertexModelDeployment failures: each names the operation, the resource and what to do', () => {
  it('400 INVALID_ARGUMENT on models.upload, and the create leaves nothing behind', async () => {
    fake.failHttp('models.upload', 400, 'INVALID_ARGUMENT', 'containerSpec.imageUri: image not found');
    await expect(provider().create(inputs())).rejects.toThrow(
      /Vertex AI models\.upload on model "news-prod-embedder-current" failed: INVALID_ARGUMENT \(HTTP 400\): containerSpec\.imageUri: image not found\. What to do: fix the request/,
    );
    expect(fake.models.size).toBe(0);
  });

  it('403 PERMISSION_DENIED on deployModel', async () => {
    fake.failHttp('endpoints.deployModel', 403, 'PERMISSION_DENIED', "Permission 'aiplatform.endpoints.deploy' denied");
    const error = provider().create(inputs());
    await expect(error).rejects.toThrow(/endpoints\.deployModel on projects\/news-serving-test\/locations\/us-central1\/endpoints\/123456789 .*PERMISSION_DENIED \(HTTP 403\)/);
    await expect(error).rejects.toThrow(/grant the deploying identity roles\/aiplatform\.user/);
    // The model uploaded before the failure was deleted again.
    expect(fake.models.size).toBe(0);
  });

  it('429 RESOURCE_EXHAUSTED is retried, then reported as a quota problem', async () => {
    fake.failHttp('endpoints.deployModel', 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for custom_model_serving_nvidia_l4_gpus', 1);
    await expect(provider().create(inputs())).resolves.toMatchObject({ outs: { variants: expect.any(Array) } });

    fake.reset();
    fake.addEndpoint(ENDPOINT);
    fake.failHttp('endpoints.deployModel', 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for custom_model_serving_nvidia_l4_gpus', 10);
    await expect(provider().create(inputs())).rejects.toThrow(
      /endpoints\.deployModel .*RESOURCE_EXHAUSTED \(HTTP 429\): Quota exceeded for custom_model_serving_nvidia_l4_gpus \(after 4 attempts\)\. What to do: a quota or capacity limit/,
    );
    expect(fake.calls('endpoints.deployModel')).toHaveLength(4);
  });

  it('an operation that ends in error (google.rpc.Status in the operation)', async () => {
    fake.failOperation('endpoints.deployModel', 8, 'The zone does not have enough resources available to fulfill the request.');
    await expect(provider().create(inputs())).rejects.toThrow(
      /endpoints\.deployModel on .* failed: RESOURCE_EXHAUSTED: the operation projects\/news-serving-test\/locations\/us-central1\/operations\/\d+ ended in error: The zone does not have enough resources/,
    );
  });

  it('a failed rollout step puts the previous split back and removes what the update deployed', async () => {
    const olds = await created();
    const news = withVariant(inputs(), 'candidate', (v) => ({ model: { ...v.model, imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.3.0' } }));
    fake.failHttp('endpoints.patch', 400, 'INVALID_ARGUMENT', 'trafficSplit rejected');
    await expect(provider().update!('id', olds, news)).rejects.toThrow(/endpoints\.patch .*INVALID_ARGUMENT \(HTTP 400\): trafficSplit rejected/);
    // The refused first step, then the restore of the previous split.
    expect(fake.calls('endpoints.patch').map((r) => (r.body as { trafficSplit: object }).trafficSplit).at(-1)).toEqual(olds.trafficSplit);
    const endpoint = fake.endpoints.get(ENDPOINT)!;
    expect(endpoint.trafficSplit).toEqual(olds.trafficSplit);
    expect(endpoint.deployedModels.map((d) => d.id).sort()).toEqual(Object.values(olds.deployed).map((d) => d.deployedModelId).sort());
    expect([...fake.models.keys()].sort()).toEqual(Object.values(olds.deployed).map((d) => d.model).sort());
  });

  it('404 NOT_FOUND when the endpoint does not exist', async () => {
    fake.endpoints.clear();
    await expect(provider().create(inputs())).rejects.toThrow(/NOT_FOUND \(HTTP 404\).*check that the project, region and endpoint exist/);
  });

  it('check names every bad field with its value and what is allowed', async () => {
    const bad = { ...inputs({ endpointId: '0123' }), variants: [{ ...inputs().variants[0], weight: 90, minReplicaCount: 0 }] };
    const result = await provider().check!(inputs(), bad);
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: 'endpointId', reason: `${GCP_NAMING.vertexEndpointId.allowed}, got "0123"` },
        { property: 'variants[0].minReplicaCount', reason: expect.stringMatching(/>=1.*got 0/) },
        { property: 'variants', reason: expect.stringMatching(/weights must sum to 100, got 90/) },
      ]),
    );
    const preview = { ...inputs(), endpointId: PULUMI_UNKNOWN };
    expect(await provider().check!(inputs(), preview)).toEqual({ inputs: preview });
  });
});

describe('VertexApi (the plain module) against the fake', () => {
  const api = (options: { operationTimeoutMs?: number; pollInitialMs?: number } = {}) =>
    new VertexApi({ project: PROJECT, region: REGION, baseUrl, auth: dummyAuth(), sleep, pollInitialMs: 1, retryInitialMs: 1, ...options });

  it('uploads, deploys, patches traffic, undeploys and deletes', async () => {
    const model = await api().uploadModel({ displayName: 'm', containerSpec: { imageUri: 'us-docker.pkg.dev/p/r/m:1' } });
    expect(model).toMatch(/^projects\/news-serving-test\/locations\/us-central1\/models\/\d+$/);
    const id = await api().deployModel(ENDPOINT, { model, dedicatedResources: { machineSpec: { machineType: 'e2-standard-4' }, minReplicaCount: 1, maxReplicaCount: 2 } }, { '0': 100 });
    await api().setTrafficSplit(ENDPOINT, { [id]: 100 });
    expect((await api().getEndpoint(ENDPOINT)).trafficSplit).toEqual({ [id]: 100 });
    await api().undeployModel(ENDPOINT, id, {});
    await api().deleteModel(model);
    expect(fake.models.size).toBe(0);
  });

  it('gives up on an operation that outlives its timeout, naming the operation to check', async () => {
    fake.pollsBeforeDone = 1000;
    await expect(api({ operationTimeoutMs: 1000, pollInitialMs: 400 }).uploadModel({ displayName: 'm', containerSpec: { imageUri: 'us-docker.pkg.dev/p/r/m:1' } })).rejects.toThrow(
      /models\.upload on model "m" failed: DEADLINE_EXCEEDED: operation projects\/.*\/operations\/\d+ still running after 1 s/,
    );
  });

  it('refuses to call without a token', async () => {
    const noToken = new VertexApi({ project: PROJECT, region: REGION, baseUrl, auth: new OAuth2Client(), sleep });
    await expect(noToken.getEndpoint(ENDPOINT)).rejects.toThrow(/endpoints\.get .*UNAUTHENTICATED/);
  });
});

describe('traffic arithmetic', () => {
  it('interpolates whole percents that always sum to 100', () => {
    expect(interpolateSplit({ a: 90, b: 10 }, { a: 90, c: 10 }, 0.1)).toEqual({ a: 90, b: 9, c: 1 });
    expect(interpolateSplit({ a: 100 }, { b: 100 }, 1 / 3)).toEqual({ a: 67, b: 33 });
    for (const f of [0, 0.1, 0.25, 0.5, 0.77, 1]) {
      const split = interpolateSplit({ a: 33, b: 33, c: 34 }, { d: 50, e: 50 }, f);
      expect(Object.values(split).reduce((x, y) => x + y, 0)).toBe(100);
    }
  });

  it('renormalises the models that stay, or empties the split', () => {
    expect(renormalise({ a: 90 })).toEqual({ a: 100 });
    expect(renormalise({ a: 30, b: 30 })).toEqual({ a: 50, b: 50 });
    expect(renormalise({ a: 0 })).toEqual({});
  });

  it('checks valid inputs without failures', () => {
    expect(checkDeploymentInputs(inputs()).failures).toEqual([]);
  });
});
