/**
 * The GCP plan of a topology whose pool Vertex can co-host: one VertexDeploymentResourcePool with
 * the pool's replicas and the members' CMEK key, each member's deployment on it with
 * sharedResources, and the policy pack passing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology } from '../../constructs';
import { planGcp, VERTEX_MODEL_DEPLOYMENT_TYPE, type PlannedResource } from '../../gcp/plan';
import { GCP_POLICIES } from '../../gcp/policy/gcp-policies';
import * as policies from '../../gcp/policy/rules';
import { fromPlan, runPolicies } from './support/run-policy-pack';

const PYTORCH = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest';
const POOL_TYPE = 'pulumi-nodejs:dynamic/mlserve:VertexDeploymentResourcePool';

function pooled() {
  const input = parse(readFileSync(join(__dirname, '..', 'fixtures', 'scale-to-zero.yaml'), 'utf8')) as { endpoints: { model: { image: { gcp: string } } }[] };
  for (const e of input.endpoints) e.model.image.gcp = PYTORCH;
  return resolveTopology(parseTopology(input));
}

let plan: PlannedResource[];
const resolved = pooled();

beforeAll(async () => {
  plan = await planGcp(resolved, { project: 'news-serving-dev' });
});

describe('plan --cloud gcp of a pool Vertex can co-host', () => {
  it('shows one deployment resource pool, with the pool replicas and CMEK, and each member deployed to it', () => {
    const pools = plan.filter((r) => r.type === POOL_TYPE);
    expect(pools).toHaveLength(1);
    const pool = resolved.endpoints[0].gcp.deploymentResourcePool!;
    expect(pools[0].inputs).toMatchObject({
      poolId: pool.poolId,
      machineType: resolved.endpoints[0].variants[0].gcp.machineType,
      minReplicaCount: 1,
      maxReplicaCount: pool.maxReplicaCount,
      encryptionKmsKeyName: expect.stringContaining(`/cryptoKeys/${pool.keyName}`),
    });
    const deployments = plan.filter((r) => r.type === VERTEX_MODEL_DEPLOYMENT_TYPE);
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const variants = (d.inputs as { variants: { sharedResources?: unknown; scaleToZero?: unknown }[] }).variants;
      expect(variants[0]).toHaveProperty('sharedResources');
      expect(variants[0].scaleToZero).toBeUndefined();
    }
    // One key for the pool and both endpoints.
    const endpointKeys = plan.filter((r) => r.type === 'gcp:vertex/aiEndpoint:AiEndpoint').map((r) => JSON.stringify((r.inputs as { encryptionSpec: unknown }).encryptionSpec));
    expect(new Set(endpointKeys).size).toBe(1);
  });

  it('passes the policy pack', async () => {
    expect(await runPolicies(GCP_POLICIES, fromPlan(plan))).toEqual([]);
  });

  it('fails vertex-cmek for a pool without a key, and production-min-replicas for a production pool of 1 replica', async () => {
    const pool = fromPlan(plan).find((r) => r.type === POOL_TYPE)!;
    const { encryptionKmsKeyName: _key, ...keyless } = pool.props;
    expect(await runPolicies([policies.vertexCmek], [{ ...pool, props: keyless }])).toEqual([
      expect.objectContaining({ policy: 'vertex-cmek', message: expect.stringContaining('set encryptionKmsKeyName') }),
    ]);
    expect(await runPolicies([policies.productionReplicas], [pool], { production: true })).toEqual([
      expect.objectContaining({ policy: 'production-min-replicas', message: expect.stringContaining('Deployment resource pool') }),
    ]);
  });
});
