/**
 * The VertexModelDeployment provider as Pulumi runs it: serialized, then loaded from a string in
 * a plain Node process that has no TypeScript loader, from the project directory.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { vertexDeploymentProvider } from '../../gcp/model-endpoint/vertex-model-deployment';
import { FakeVertexApi } from './support/fake-vertex-api';

let code = '';

function host(method: 'check' | 'diff' | 'read', args: unknown[], config?: Record<string, string>, provider = code): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'support', 'dynamic-provider-host.cjs')], { cwd: join(__dirname, '..', '..'), timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Record<string, unknown>),
    );
    child.stdin!.end(JSON.stringify({ code: provider, config, method, args }));
  });
}

const valid = {
  project: 'news-serving-prod',
  region: 'us-central1',
  endpointId: '123456789',
  labels: {},
  autoscalingMetricSpecs: [],
  rollout: { steps: [100], bakeSeconds: 0 },
  operationTimeoutSeconds: 60,
  variants: [
    {
      name: 'primary',
      displayName: 'ranker',
      weight: 100,
      model: { imageUri: 'us-docker.pkg.dev/p/r/ranker:1', port: 8080, predictRoute: '/invocations', healthRoute: '/ping', env: {} },
      machineType: 'e2-standard-4',
      acceleratorCount: 0,
      minReplicaCount: 2,
      maxReplicaCount: 4,
    },
  ],
};

beforeAll(async () => {
  // The same serialization dynamic.Resource applies to its provider (`exports.handler`).
  const provider = vertexDeploymentProvider();
  code = (await pulumi.runtime.serializeFunction(() => provider)).text;
});

describe('the serialized provider in a plain Node host', () => {
  it('captures no module-level import: the engine is required at call time', () => {
    expect(code).toContain('"gcp/vertex-deployment-engine.ts"');
    expect(code).not.toMatch(/__vite_ssr|zod|google-auth-library/);
  });

  it('check validates, loading the TypeScript engine itself', async () => {
    expect(await host('check', [{}, valid])).toEqual({ inputs: valid });
    expect(await host('check', [{}, { ...valid, region: 'Mars' }])).toEqual({
      failures: [{ property: 'region', reason: 'a Google Cloud region such as us-central1, got "Mars"' }],
    });
  });

  it('authenticates with the gcp provider\'s credentials from the stack config that configure receives', async () => {
    const fake = new FakeVertexApi('news-serving-prod', 'us-central1');
    const baseUrl = await fake.start();
    try {
      fake.addEndpoint('123456789');
      fake.tokens.add('token-from-stack-config');
      const state = { ...valid, apiBaseUrl: baseUrl, deployed: {}, trafficSplit: {}, pending: [] };
      const config = { 'gcp:accessToken': 'token-from-stack-config', 'gcp:userProjectOverride': 'true', 'gcp:billingProject': 'news-billing' };
      expect(await host('read', ['id', state], config)).toMatchObject({ id: 'id', props: { trafficSplit: {} } });
      expect(fake.requests.map((r) => r.headers)).toEqual([{ authorization: 'Bearer token-from-stack-config', 'x-goog-user-project': 'news-billing' }]);
      expect(fake.violations).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('a provider serialized by an earlier version (in stacks\' state) still finds the engine by its path', async () => {
    // The `__provider` of a VertexModelDeployment planned at 7208bb5, before the engine moved
    // under gcp/model-endpoint/: it loads gcp/vertex-deployment-engine.ts by that path.
    const earlier = readFileSync(join(__dirname, 'fixtures', 'vertex-provider-at-7208bb5.js'), 'utf8');
    expect(earlier).toContain('ENGINE_MODULE: "gcp/vertex-deployment-engine.ts"');
    expect(await host('check', [{}, valid], undefined, earlier)).toEqual({ inputs: valid });
    const olds = { ...valid, deployed: {}, trafficSplit: {} };
    expect(await host('diff', ['id', olds, { ...valid, endpointId: '223456789' }], undefined, earlier)).toMatchObject({ replaces: ['endpointId'] });
  });

  it('diff says what replaces', async () => {
    const olds = { ...valid, deployed: {}, trafficSplit: {} };
    expect(await host('diff', ['id', olds, { ...valid, endpointId: '223456789' }])).toMatchObject({ changes: true, replaces: ['endpointId'] });
  });
});
