import { beforeEach, describe, expect, it } from 'vitest';
import { GCP_NAMING } from '../../constructs';
import {
  checkDeploymentInputs,
  DeploymentIncompleteError,
  diffDeployment,
  interpolateSplit,
  PULUMI_UNKNOWN,
  renormalise,
  splitWithout,
  VertexApi,
  type DeploymentInputs,
  type DeploymentState,
} from '../../gcp/vertex-deployment-engine';
import { vertexDeploymentProvider } from '../../gcp/model-endpoint/vertex-model-deployment';
import { tokenAuth, vertexHarness } from './support/vertex-test-harness';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const ENDPOINT = '123456789';

const { fake, baseUrl, bakes, deps } = vertexHarness(PROJECT, REGION);
const provider = () => vertexDeploymentProvider(deps);

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
    apiBaseUrl: baseUrl(),
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

const weights = (current: number, candidate: number) => withVariant(withVariant(inputs(), 'current', () => ({ weight: current })), 'candidate', () => ({ weight: candidate }));

beforeEach(() => {
  fake.reset();
  fake.addEndpoint(ENDPOINT);
  bakes.length = 0;
});

async function created(from = inputs()): Promise<DeploymentState> {
  const result = await provider().create(from);
  fake.requests.length = 0;
  return result.outs!;
}

/** What the failed step left for Pulumi to record. */
async function partialFailure(run: Promise<unknown>): Promise<{ id: string; properties: DeploymentState; reasons: string[]; message: string }> {
  const error = (await run.then(
    () => undefined,
    (e: unknown) => e,
  )) as { id: string; properties: DeploymentState; reasons: string[]; message: string } | undefined;
  if (!error?.properties) throw new Error(`expected a partial failure, got ${String(error)}`);
  return error;
}

const nonPolls = () => fake.requests.map((r) => r.method).filter((m) => m !== 'operations.get');

describe('VertexModelDeployment provider against the fake Vertex API', () => {
  it('creates: uploads each variant under its own model id, deploys it under its own id on dedicated resources, and splits traffic by weight', async () => {
    const { id, outs } = await provider().create(inputs());
    expect(id).toBe(`projects/${PROJECT}/locations/${REGION}/endpoints/${ENDPOINT}/deployments`);

    const uploads = fake.calls('models.upload').map((r) => r.body as { modelId: string; model: Record<string, unknown> });
    expect(uploads.map((u) => u.modelId)).toEqual([expect.stringMatching(/^mlserve-[0-9a-f]{16}$/), expect.stringMatching(/^mlserve-[0-9a-f]{16}$/)]);
    expect(uploads.map((u) => u.model.containerSpec)).toEqual([
      {
        imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.1.0',
        env: [{ name: 'MODEL_NAME', value: 'embedder' }],
        ports: [{ containerPort: 8080 }],
        predictRoute: '/invocations',
        healthRoute: '/ping',
      },
      expect.objectContaining({ imageUri: 'us-docker.pkg.dev/news-serving/models/embedder:2.2.0-rc1' }),
    ]);
    expect(uploads[0].model).toMatchObject({ artifactUri: 'gs://news-models/embedder/2.1.0/', encryptionSpec: { kmsKeyName: inputs().encryptionKmsKeyName } });
    expect(outs!.deployed.current.model).toBe(`projects/${PROJECT}/locations/${REGION}/models/${uploads[0].modelId}`);

    const deploys = fake.calls('endpoints.deployModel').map((r) => r.body as { deployedModel: Record<string, unknown>; trafficSplit: object });
    expect(deploys[0].deployedModel).toMatchObject({
      id: outs!.deployed.current.deployedModelId,
      serviceAccount: 'embedder-serving@news-serving-test.iam.gserviceaccount.com',
      dedicatedResources: {
        machineSpec: { machineType: 'g2-standard-4', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
        minReplicaCount: 2,
        maxReplicaCount: 16,
        autoscalingMetricSpecs: [{ metricName: 'aiplatform.googleapis.com/prediction/online/request_count', target: 4800 }],
      },
    });
    expect(outs!.deployed.current.deployedModelId).toMatch(/^[1-9]\d{9}$/);
    expect(deploys[0].trafficSplit).toEqual({ '0': 100 });
    // The second model joins with no traffic; the weights are set once both serve.
    expect(deploys[1].trafficSplit).toEqual({ [outs!.deployed.current.deployedModelId]: 100, '0': 0 });

    const endpoint = fake.endpoints.get(ENDPOINT)!;
    expect(endpoint.deployedModels).toHaveLength(2);
    expect(endpoint.trafficSplit).toEqual({ [outs!.deployed.current.deployedModelId]: 90, [outs!.deployed.candidate.deployedModelId]: 10 });
    expect(outs!.trafficSplit).toEqual(endpoint.trafficSplit);
    expect(outs!.pending).toEqual([]);
    expect(bakes).toEqual([]);
  });

  it('changes traffic only: one endpoints.patch, no upload or deploy', async () => {
    const olds = await created();
    const news = weights(50, 50);
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
    expect(nonPolls()).toEqual([
      'models.upload',
      'endpoints.deployModel',
      'endpoints.patch',
      'endpoints.patch',
      'endpoints.get',
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
    expect(nonPolls()).toEqual(['endpoints.mutateDeployedModel', 'endpoints.patch']);
    const deployed = fake.endpoints.get(ENDPOINT)!.deployedModels.find((d) => d.id === olds.deployed.current.deployedModelId)!;
    expect(deployed.dedicatedResources).toMatchObject({ minReplicaCount: 3, maxReplicaCount: 20 });
  });

  it('destroys: moves traffic off, undeploys every model and deletes the models', async () => {
    const olds = await created();
    await provider().delete!('id', olds);
    expect(fake.leftovers()).toEqual([]);
    expect(fake.endpoints.get(ENDPOINT)!.trafficSplit).toEqual({});
    // A second destroy (state out of date) finds nothing and still succeeds.
    await expect(provider().delete!('id', olds)).resolves.toBeUndefined();
  });

  it('destroys a deployment whose variant has weight 0: each undeploy hands its traffic to a model that stays', async () => {
    const olds = await created(weights(100, 0));
    expect(fake.endpoints.get(ENDPOINT)!.trafficSplit).toEqual({ [olds.deployed.current.deployedModelId]: 100, [olds.deployed.candidate.deployedModelId]: 0 });
    await provider().delete!('id', { ...olds, deployed: { current: olds.deployed.current, candidate: olds.deployed.candidate } });
    expect(fake.leftovers()).toEqual([]);
    // Whatever the order: the model carrying traffic never leaves with an empty split while another stays.
    const undeploys = fake.calls('endpoints.undeployModel').map((r) => r.body as { deployedModelId: string; trafficSplit?: object });
    expect(undeploys.map((u) => u.deployedModelId)).toEqual([olds.deployed.candidate.deployedModelId, olds.deployed.current.deployedModelId]);
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
    expect(diffDeployment({ ...olds, pending: [{ kind: 'model', model: 'm', reason: 'r' }] }, inputs())).toMatchObject({ changes: true });
    const machine = diffDeployment(olds, withVariant(inputs(), 'current', () => ({ machineType: 'g2-standard-8' })));
    expect(machine).toMatchObject({ changes: true, replaces: [], actions: { current: 'redeploy' } });
    expect(await provider().diff!('id', olds, inputs({ project: 'other-project-1' }))).toMatchObject({ changes: true, replaces: ['project'] });
  });
});

describe('VertexModelDeployment failures: each names the operation, the resource and what to do', () => {
  it('400 INVALID_ARGUMENT on models.upload, and the create leaves nothing behind', async () => {
    fake.failHttp('models.upload', 400, 'INVALID_ARGUMENT', 'containerSpec.imageUri: image not found');
    await expect(provider().create(inputs())).rejects.toThrow(
      /Vertex AI models\.upload on model "news-prod-embedder-current" \(.*\) failed: INVALID_ARGUMENT \(HTTP 400\): containerSpec\.imageUri: image not found\. What to do: fix the request/,
    );
    expect(fake.leftovers()).toEqual([]);
  });

  it('403 PERMISSION_DENIED on deployModel, and the model uploaded before it is deleted again', async () => {
    fake.failHttp('endpoints.deployModel', 403, 'PERMISSION_DENIED', "Permission 'aiplatform.endpoints.deploy' denied");
    const error = provider().create(inputs());
    await expect(error).rejects.toThrow(/endpoints\.deployModel on projects\/news-serving-test\/locations\/us-central1\/endpoints\/123456789 .*PERMISSION_DENIED \(HTTP 403\)/);
    await expect(error).rejects.toThrow(/grant the deploying identity roles\/aiplatform\.user/);
    expect(fake.leftovers()).toEqual([]);
  });

  it('429 RESOURCE_EXHAUSTED is retried, then reported as a quota problem', async () => {
    fake.failHttp('endpoints.deployModel', 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for custom_model_serving_nvidia_l4_gpus', 1);
    await expect(provider().create(inputs())).resolves.toMatchObject({ outs: { variants: expect.any(Array) } });

    fake.reset();
    fake.addEndpoint(ENDPOINT);
    fake.failHttp('endpoints.deployModel', 429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for custom_model_serving_nvidia_l4_gpus', 10);
    await expect(provider().create(inputs())).rejects.toThrow(
      /endpoints\.deployModel .*RESOURCE_EXHAUSTED \(HTTP 429\): Quota exceeded for custom_model_serving_nvidia_l4_gpus \(after 6 attempts\)\. What to do: a quota or capacity limit/,
    );
    expect(fake.calls('endpoints.deployModel')).toHaveLength(6);
    expect(fake.leftovers()).toEqual([]);
  });

  it('retries 500, 502, 504 and dropped connections on any call, operation polls included', async () => {
    fake.failHttp('models.upload', 500, 'INTERNAL', 'Internal error encountered.');
    fake.failHttp('endpoints.deployModel', 502, 'UNAVAILABLE', 'Bad gateway');
    fake.failHttp('operations.get', 504, 'DEADLINE_EXCEEDED', 'Deadline exceeded', 2);
    fake.failHttp('endpoints.patch', 503, 'UNAVAILABLE', 'The service is currently unavailable.');
    fake.dropConnection('operations.get', 'before', 2);
    fake.dropConnection('endpoints.get', 'before');
    const { outs } = await provider().create(inputs());
    expect(Object.keys(outs!.deployed)).toEqual(['current', 'candidate']);
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels).toHaveLength(2);
  });

  it('a deploy whose answer was lost after Vertex acted is retried under the same id: one deployed model, no duplicate', async () => {
    fake.dropConnection('endpoints.deployModel', 'after');
    fake.dropConnection('models.upload', 'after');
    const { outs } = await provider().create(inputs());
    const endpoint = fake.endpoints.get(ENDPOINT)!;
    expect(endpoint.deployedModels.map((d) => d.id).sort()).toEqual([outs!.deployed.current.deployedModelId, outs!.deployed.candidate.deployedModelId].sort());
    expect(fake.models.size).toBe(2);
    // The retry met ALREADY_EXISTS and waited for the first attempt's deploy instead of failing.
    expect(fake.calls('endpoints.deployModel')).toHaveLength(3);
  });

  it('an operation that ends in error (google.rpc.Status in the operation) leaves nothing', async () => {
    fake.failOperation('endpoints.deployModel', 8, 'The zone does not have enough resources available to fulfill the request.');
    await expect(provider().create(inputs())).rejects.toThrow(
      /endpoints\.deployModel on .* failed: RESOURCE_EXHAUSTED: the operation projects\/news-serving-test\/locations\/us-central1\/endpoints\/123456789\/operations\/\d+ ended in error: The zone does not have enough resources/,
    );
    expect(fake.leftovers()).toEqual([]);
  });

  it('a deploy that outlives its timeout is recorded as pending; the next update waits for it and removes it before deploying', async () => {
    fake.stallOperation('endpoints.deployModel');
    const failure = await partialFailure(provider().create({ ...inputs(), __provider: 'serialized-provider' } as DeploymentInputs));
    expect(failure.message).toMatch(/still running after \d+ s.*The stack records 2 unfinished item\(s\)/);
    expect(failure.id).toBe(`projects/${PROJECT}/locations/${REGION}/endpoints/${ENDPOINT}/deployments`);
    expect(failure.properties).toMatchObject({ __provider: 'serialized-provider', deployed: {}, trafficSplit: {} });
    const [deploy, model] = [failure.properties.pending!.find((w) => w.kind === 'deployed-model')!, failure.properties.pending!.find((w) => w.kind === 'model')!];
    expect(deploy.operation).toMatch(/\/endpoints\/123456789\/operations\/\d+$/);
    expect(model.model).toBe(deploy.model);
    expect(failure.properties.pending).toHaveLength(2);

    // Later the deploy finishes on its own; the GPU replicas it holds must not be orphaned.
    fake.finishStalled();
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels.map((d) => d.id)).toEqual([deploy.deployedModelId]);
    expect(diffDeployment(failure.properties, inputs()).changes).toBe(true);
    const { outs } = await provider().update!(failure.id, failure.properties, inputs());
    const endpoint = fake.endpoints.get(ENDPOINT)!;
    expect(endpoint.deployedModels.map((d) => d.id).sort()).toEqual(Object.values(outs!.deployed).map((d) => d.deployedModelId).sort());
    expect(endpoint.deployedModels.map((d) => d.id)).not.toContain(deploy.deployedModelId);
    expect([...fake.models.keys()].sort()).toEqual(Object.values(outs!.deployed).map((d) => d.model).sort());
    expect(outs!.pending).toEqual([]);
  });

  it('a destroy first waits for pending work, and says what it could not remove when an operation is still running', async () => {
    fake.stallOperation('endpoints.deployModel');
    const failure = await partialFailure(provider().create(inputs()));
    await expect(provider().delete!(failure.id, failure.properties)).rejects.toThrow(/could not remove everything: deployed model \d+ of .*operation .*Run `pulumi destroy` again/);
    fake.finishStalled();
    await provider().delete!(failure.id, failure.properties);
    expect(fake.leftovers()).toEqual([]);
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
    expect(fake.leftovers()).toEqual([]);
  });

  it('check names every bad field with its value and what is allowed', async () => {
    const bad = { ...inputs({ endpointId: '0123' }), variants: [{ ...inputs().variants[0], weight: 90, minReplicaCount: -1 }] };
    const result = await provider().check!(inputs(), bad);
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: 'endpointId', reason: `${GCP_NAMING.vertexEndpointId.allowed}, got "0123"` },
        // 0 is allowed with scaleToZero (v1beta1): test/gcp/vertex-scale-to-zero.test.ts.
        { property: 'variants[0].minReplicaCount', reason: expect.stringMatching(/>=0.*got -1/) },
        { property: 'variants', reason: expect.stringMatching(/weights must sum to 100, got 90/) },
      ]),
    );
    const preview = { ...inputs(), endpointId: PULUMI_UNKNOWN };
    expect(await provider().check!(inputs(), preview)).toEqual({ inputs: preview });
  });
});

describe('VertexApi (the plain module) against the fake', () => {
  const api = (options: { operationTimeoutMs?: number; pollInitialMs?: number } = {}) =>
    new VertexApi({ project: PROJECT, region: REGION, baseUrl: baseUrl(), auth: tokenAuth(), sleep: deps.sleep, pollInitialMs: 1, retryInitialMs: 1, ...options });

  it('uploads, deploys, patches traffic, undeploys and deletes', async () => {
    const model = await api().uploadModel('m-1', { displayName: 'm', containerSpec: { imageUri: 'us-docker.pkg.dev/p/r/m:1' } });
    expect(model).toBe(`projects/${PROJECT}/locations/${REGION}/models/m-1`);
    const deployed = { id: '4242', model, dedicatedResources: { machineSpec: { machineType: 'e2-standard-4' }, minReplicaCount: 1, maxReplicaCount: 2 } };
    await api().deployModel(ENDPOINT, deployed, { '0': 100 });
    await api().setTrafficSplit(ENDPOINT, { '4242': 100 });
    expect((await api().getEndpoint(ENDPOINT)).trafficSplit).toEqual({ '4242': 100 });
    await api().undeployModel(ENDPOINT, '4242', {});
    await api().deleteModel(model);
    expect(fake.leftovers()).toEqual([]);
  });

  it('gives up on an operation that outlives its timeout, naming the operation to check', async () => {
    fake.stallOperation('models.upload');
    const error = api({ operationTimeoutMs: 1000, pollInitialMs: 400 }).uploadModel('m-2', { displayName: 'm', containerSpec: { imageUri: 'us-docker.pkg.dev/p/r/m:1' } });
    await expect(error).rejects.toThrow(/models\.upload on model "m" .* failed: DEADLINE_EXCEEDED: operation projects\/.*\/models\/m-2\/operations\/\d+ still running after 1 s/);
    await expect(error).rejects.toMatchObject({ stillRunning: true, longRunningOperation: expect.stringMatching(/\/operations\/\d+$/) });
    fake.finishStalled();
    await api().deleteModel(`projects/${PROJECT}/locations/${REGION}/models/m-2`);
  });

  it('refuses to call without a token', async () => {
    const noToken = new VertexApi({ project: PROJECT, region: REGION, baseUrl: baseUrl(), auth: tokenAuth(''), sleep: deps.sleep });
    await expect(noToken.getEndpoint(ENDPOINT)).rejects.toThrow(/endpoints\.get .*UNAUTHENTICATED/);
  });

  it('the fake refuses what the API refuses: an unknown field, a wrong type, a missing required field', async () => {
    const post = (body: unknown) =>
      fetch(`${baseUrl()}/v1/projects/${PROJECT}/locations/${REGION}/endpoints/${ENDPOINT}:deployModel`, {
        method: 'POST',
        headers: { authorization: 'Bearer dummy-token', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const model = `projects/${PROJECT}/locations/${REGION}/models/x`;
    expect((await post({ deployedModel: { model, dedicatedResources: { minReplicas: 1 } } })).status).toBe(400);
    expect((await post({ deployedModel: { model, dedicatedResources: { minReplicaCount: 'one' } } })).status).toBe(400);
    expect((await post({ trafficSplit: { '0': 100 } })).status).toBe(400);
    expect(fake.violations).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Unknown name "minReplicas" at \'deployed_model.dedicated_resources\''),
        expect.stringContaining("Required field 'deployed_model.dedicated_resources.machine_spec' is missing"),
        expect.stringContaining("Invalid value at 'deployed_model.dedicated_resources.min_replica_count' (int32)"),
        expect.stringContaining("Required field 'deployed_model' is missing"),
      ]),
    );
    fake.violations.length = 0;
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

  it('gives the traffic of an undeployed model to the models that stay, even when they all had 0', () => {
    expect(splitWithout({ a: 100, b: 0 }, 'a', ['a', 'b'])).toEqual({ b: 100 });
    expect(splitWithout({ a: 100, b: 0, c: 0 }, 'a', ['a', 'b', 'c'])).toEqual({ b: 50, c: 50 });
    expect(splitWithout({ a: 60, b: 30, c: 10 }, 'a', ['a', 'b', 'c'])).toEqual({ b: 75, c: 25 });
    expect(splitWithout({ a: 0, b: 100 }, 'a', ['a', 'b'])).toEqual({});
    expect(splitWithout({ a: 100 }, 'a', ['a'])).toEqual({});
  });

  it('checks valid inputs without failures', () => {
    expect(checkDeploymentInputs(inputs()).failures).toEqual([]);
  });

  it('a DeploymentIncompleteError says what is left and what happens next', () => {
    const error = new DeploymentIncompleteError(new Error('boom.'), { ...inputs(), deployed: {}, trafficSplit: {}, pending: [{ kind: 'model', model: 'projects/p/locations/l/models/m', reason: 'uploaded for current' }] });
    expect(error.message).toBe(
      'boom. The stack records 1 unfinished item(s) (model projects/p/locations/l/models/m: uploaded for current); the next `pulumi up` or `pulumi destroy` waits for them and removes them.',
    );
  });
});
