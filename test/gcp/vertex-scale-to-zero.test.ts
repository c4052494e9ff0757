/**
 * Scale to zero on Vertex: the deployment provider deploys a model at min 0 through the v1beta1 API
 * (minReplicaCount 0, initialReplicaCount, scaleToZeroSpec), and the strict fake rejects what the
 * protos and the field rules reject: the scale-to-zero fields on v1, min 0 on v1, min 0 without an
 * initial replica count, periods outside 300–28800 s.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { checkDeploymentInputs, diffDeployment, type DeploymentInputs } from '../../gcp/vertex-deployment-engine';
import { vertexDeploymentProvider } from '../../gcp/model-endpoint/vertex-model-deployment';
import { vertexHarness } from './support/vertex-test-harness';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const ENDPOINT = '987654321';

const { fake, baseUrl, deps } = vertexHarness(PROJECT, REGION);

/** The dev reranker at zero after 15 idle minutes, as resolveTopology plans it for Vertex. */
function rerankerAtZero() {
  const input = presetInput('dev');
  input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min: 0, idleSeconds: 900 } };
  return resolveTopology(parseTopology(input)).endpoints[2];
}

function inputs(): DeploymentInputs {
  const reranker = rerankerAtZero();
  const v = reranker.variants[0];
  return {
    project: PROJECT,
    region: REGION,
    endpointId: ENDPOINT,
    apiBaseUrl: baseUrl(),
    labels: { app: 'news', environment: 'dev' },
    autoscalingMetricSpecs: reranker.gcp.autoscalingMetricSpecs.map((s) => ({ ...s })),
    rollout: { steps: [100], bakeSeconds: 0 },
    operationTimeoutSeconds: 60,
    variants: [
      {
        name: v.name,
        displayName: v.gcp.displayName,
        weight: 100,
        model: { imageUri: 'us-docker.pkg.dev/news-serving/models/reranker:0.9.3', port: 8080, predictRoute: '/invocations', healthRoute: '/ping', env: {} },
        machineType: v.gcp.machineType,
        acceleratorType: v.gcp.acceleratorType,
        acceleratorCount: v.gcp.acceleratorCount,
        minReplicaCount: 0,
        maxReplicaCount: reranker.scaling.max,
        scaleToZero: { ...reranker.gcp.scaleToZero! },
      },
    ],
  };
}

beforeEach(() => {
  fake.reset();
  fake.addEndpoint(ENDPOINT);
});

const deployUrl = (version: string) => `${baseUrl()}/${version}/projects/${PROJECT}/locations/${REGION}/endpoints/${ENDPOINT}:deployModel`;

async function deployRaw(version: string, dedicatedResources: Record<string, unknown>): Promise<{ status: number; message: string }> {
  const model = `projects/${PROJECT}/locations/${REGION}/models/raw`;
  fake.models.set(model, { name: model, displayName: 'raw', containerSpec: { imageUri: 'us-docker.pkg.dev/news-serving/models/raw:1' } });
  const response = await fetch(deployUrl(version), {
    method: 'POST',
    headers: { authorization: 'Bearer dummy-token', 'content-type': 'application/json' },
    body: JSON.stringify({ deployedModel: { model, dedicatedResources: { machineSpec: { machineType: 'g2-standard-4', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 }, ...dedicatedResources } } }),
  });
  const body = (await response.json()) as { error?: { message?: string } };
  return { status: response.status, message: body.error?.message ?? '' };
}

describe('VertexModelDeployment at min 0', () => {
  it('deploys through v1beta1 with minReplicaCount 0, one initial replica and the idle period, and the fake accepts it', async () => {
    const { outs } = await vertexDeploymentProvider(deps).create(inputs());
    const deploy = fake.calls('endpoints.deployModel')[0];
    expect(deploy.path).toMatch(/^\/v1beta1\/projects\/.*:deployModel$/);
    expect((deploy.body as { deployedModel: { dedicatedResources: unknown } }).deployedModel.dedicatedResources).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 2,
      initialReplicaCount: 1,
      scaleToZeroSpec: { minScaleupPeriod: '300s', idleScaledownPeriod: '900s' },
    });
    // Uploads stay on v1: only the deployment needs the preview.
    expect(fake.calls('models.upload').every((r) => r.path.startsWith('/v1/'))).toBe(true);
    expect(fake.endpoints.get(ENDPOINT)!.deployedModels[0].dedicatedResources?.minReplicaCount).toBe(0);
    expect(outs!.variants[0].scaleToZero?.idleScaledownPeriodSeconds).toBe(900);
  });

  it('redeploys when the idle period changes (initial_replica_count is immutable; mutate takes no scale-to-zero fields)', async () => {
    const { outs } = await vertexDeploymentProvider(deps).create(inputs());
    const changed = inputs();
    const variant = changed.variants[0];
    const next = { ...changed, variants: [{ ...variant, scaleToZero: { ...variant.scaleToZero!, idleScaledownPeriodSeconds: 1800 } }] };
    expect(diffDeployment(outs!, next).actions).toEqual({ primary: 'redeploy' });
  });

  it('checks: minReplicaCount 0 needs scaleToZero, and scaleToZero needs minReplicaCount 0, with periods of 300–28800 s', () => {
    const base = inputs();
    const withVariant = (change: object) => ({ ...base, variants: [{ ...base.variants[0], ...change }] });
    expect(checkDeploymentInputs(withVariant({ scaleToZero: undefined })).failures).toEqual([
      { property: 'variants[0].scaleToZero', reason: 'set scaleToZero exactly when minReplicaCount is 0 (Vertex v1beta1 scale to zero)' },
    ]);
    expect(checkDeploymentInputs(withVariant({ minReplicaCount: 1 })).failures.map((f) => f.property)).toEqual(['variants[0].scaleToZero']);
    const shortIdle = withVariant({ scaleToZero: { initialReplicaCount: 1, minScaleupPeriodSeconds: 300, idleScaledownPeriodSeconds: 60 } });
    expect(checkDeploymentInputs(shortIdle).failures).toEqual([{ property: 'variants[0].scaleToZero.idleScaledownPeriodSeconds', reason: expect.stringMatching(/>=300.*got 60/) }]);
  });
});

describe('the fake rejects what Vertex rejects', () => {
  it('scaleToZeroSpec and initialReplicaCount on v1: unknown fields of v1 DedicatedResources', async () => {
    const answer = await deployRaw('v1', { minReplicaCount: 0, maxReplicaCount: 2, initialReplicaCount: 1, scaleToZeroSpec: { idleScaledownPeriod: '900s' } });
    expect(answer.status).toBe(400);
    expect(fake.violations).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Unknown name "initialReplicaCount" at \'deployed_model.dedicated_resources\''),
        expect.stringContaining('Unknown name "scaleToZeroSpec" at \'deployed_model.dedicated_resources\''),
      ]),
    );
    fake.violations.length = 0;
  });

  it('min 0 on v1, min 0 without initialReplicaCount, initialReplicaCount above max, periods outside 300–28800 s', async () => {
    expect(await deployRaw('v1', { minReplicaCount: 0, maxReplicaCount: 2 })).toEqual({ status: 400, message: expect.stringContaining('min_replica_count must be at least 1, got 0') });
    expect(await deployRaw('v1beta1', { minReplicaCount: 0, maxReplicaCount: 2 })).toEqual({ status: 400, message: expect.stringContaining('initial_replica_count must be in 1..max_replica_count (2)') });
    expect(await deployRaw('v1beta1', { minReplicaCount: 0, maxReplicaCount: 2, initialReplicaCount: 3 })).toMatchObject({ status: 400 });
    expect(await deployRaw('v1beta1', { minReplicaCount: 0, maxReplicaCount: 2, initialReplicaCount: 1, scaleToZeroSpec: { idleScaledownPeriod: '60s' } })).toEqual({
      status: 400,
      message: expect.stringContaining('scale_to_zero_spec.idleScaledownPeriod must be 300s to 28800s, got 60s'),
    });
    expect(await deployRaw('v1beta1', { minReplicaCount: 1, maxReplicaCount: 2, scaleToZeroSpec: { idleScaledownPeriod: '900s' } })).toEqual({
      status: 400,
      message: expect.stringContaining('scale_to_zero_spec needs min_replica_count 0'),
    });
  });
});
