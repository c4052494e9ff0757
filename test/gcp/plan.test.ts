import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { planGcp, VERTEX_MODEL_DEPLOYMENT_TYPE, type PlannedResource } from '../../gcp/plan';
import { registerPlan, summarizeInputs } from '../../bin/commands/plan';
import { runCli } from '../../bin/run-cli';

const resolved = resolveTopology(preset('prod'));
let plan: PlannedResource[];

beforeAll(async () => {
  plan = await planGcp(resolved, { project: 'news-serving-prod' });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('planGcp', () => {
  it('lists every resource with its type, name, URN, parent and inputs, the serialized provider removed', () => {
    expect(plan[0]).toMatchObject({ type: 'mlserve:gcp:ServingTopology', name: 'news', custom: false, urn: 'urn:pulumi:prod::ml-serving-stacks::mlserve:gcp:ServingTopology::news' });
    expect(plan[0].parent).toBeUndefined();
    for (const r of plan.slice(1)) {
      expect(r.parent).toMatch(/^urn:pulumi:prod::ml-serving-stacks::mlserve:gcp:ServingTopology/);
      expect(r.inputs).not.toHaveProperty('__provider');
    }
    expect(new Set(plan.map((r) => r.urn)).size).toBe(plan.length);
    const deployment = plan.find((r) => r.name === 'news-ranker-deployment')!;
    expect(deployment).toMatchObject({
      type: VERTEX_MODEL_DEPLOYMENT_TYPE,
      custom: true,
      parent: 'urn:pulumi:prod::ml-serving-stacks::mlserve:gcp:ServingTopology$mlserve:gcp:ModelEndpoint::news-ranker',
      inputs: { project: 'news-serving-prod', region: 'us-central1' },
    });
  });

  it('acceptance: per endpoint an AiEndpoint and a model deployment with the resolved replica bounds, plus cache, vector search, queues with dead letters, keys and alerts', () => {
    const types = plan.filter((r) => r.custom).map((r) => r.type);
    const count = (t: string) => types.filter((x) => x === t).length;
    for (const e of resolved.endpoints) {
      expect(plan.find((r) => r.name === `news-${e.name}-endpoint`)?.type).toBe('gcp:vertex/aiEndpoint:AiEndpoint');
      const variants = plan.find((r) => r.name === `news-${e.name}-deployment`)!.inputs.variants as { minReplicaCount: number; maxReplicaCount: number }[];
      for (const v of variants) expect([v.minReplicaCount, v.maxReplicaCount]).toEqual([e.scaling.min, e.scaling.max]);
    }
    expect(count('gcp:memorystore/instance:Instance')).toBe(1);
    expect(count('gcp:vertex/aiIndex:AiIndex')).toBe(1);
    expect(count('gcp:vertex/aiIndexEndpoint:AiIndexEndpoint')).toBe(1);
    expect(count('gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex')).toBe(1);
    expect(count('gcp:pubsub/topic:Topic')).toBe(2 * resolved.queues.length + 1);
    expect(count('gcp:pubsub/subscription:Subscription')).toBe(2 * resolved.queues.length);
    // One more key and alert each for the embedding-refresh pipeline (its source archive, its freshness).
    expect(count('gcp:kms/cryptoKey:CryptoKey')).toBe(9);
    expect(count('gcp:monitoring/alertPolicy:AlertPolicy')).toBe(9);
  });
});

describe('serving-stacks plan', () => {
  async function run(...args: string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
    const program = new Command('serving-stacks');
    registerPlan(program);
    await runCli(program, ['node', 'serving-stacks', 'plan', ...args]);
    return { out, err };
  }

  it('--cloud gcp --json prints every cloud resource with its inputs', async () => {
    const { out } = await run('--cloud', 'gcp', '--env', 'dev', '--json');
    const parsed = JSON.parse(out) as { cloud: string; environment: string; resources: { type: string; name: string; group: string; inputs: object }[] };
    expect(parsed).toMatchObject({ cloud: 'gcp', topology: 'news', environment: 'dev' });
    expect(parsed.resources.filter((r) => r.type === VERTEX_MODEL_DEPLOYMENT_TYPE).map((r) => r.group)).toEqual(['news-ranker', 'news-embedder', 'news-reranker']);
    expect(parsed.resources.every((r) => !r.type.startsWith('mlserve:gcp:'))).toBe(true);
  });

  it('--cloud gcp --env prod --json shows the API enablement, the service agents and the consumer endpoints of the vector store', async () => {
    const { out } = await run('--cloud', 'gcp', '--env', 'prod', '--json');
    const resources = (JSON.parse(out) as { resources: { type: string; name: string; inputs: Record<string, unknown>; dependsOn: string[]; protect: boolean }[] }).resources;
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    expect(ofType('gcp:projects/service:Service').map((r) => r.inputs.service)).toContain('aiplatform.googleapis.com');
    expect(ofType('gcp:projects/serviceIdentity:ServiceIdentity').map((r) => r.inputs.service)).toEqual(
      expect.arrayContaining(['aiplatform.googleapis.com', 'memorystore.googleapis.com', 'monitoring.googleapis.com']),
    );
    expect(ofType('gcp:compute/address:Address').map((r) => r.name)).toEqual(['news-vectors-psc-address']);
    expect(ofType('gcp:compute/forwardingRule:ForwardingRule')[0]).toMatchObject({ name: 'news-vectors-psc-endpoint', dependsOn: expect.arrayContaining(['news-apis-compute']) });
    expect(ofType('gcp:memorystore/instance:Instance')[0]).toMatchObject({ protect: true });
  });

  it('rejects an unknown cloud with the allowed values', async () => {
    const { err } = await run('--cloud', 'azure');
    expect(err).toBe('error: --cloud: expected one of gcp, aws, got "azure"\n');
    expect(process.exitCode).toBe(1);
  });

  it('summarizes inputs on one line, bounded', () => {
    expect(summarizeInputs({ a: 1, b: 'x', c: { d: [1] }, e: undefined })).toBe('a=1 b=x c={"d":[1]}');
    expect(summarizeInputs({ long: 'y'.repeat(500) }).length).toBe(160);
  });
});
