/**
 * bin/gcp.ts, the Pulumi program, under the offline mocks, with stack config as the Pulumi CLI
 * hands it over (Pulumi.yaml merged with Pulumi.<env>.yaml, bin/pulumi-stack-config.ts).
 * One mock monitor for the file, so a program still finishing its registrations never meets a
 * monitor that does not know its resources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { offlineMocks, type MockedResource } from '../../gcp/private/offline-mocks';
import { loadProject, loadStackConfig, mergeStackConfig } from '../../bin/pulumi-stack-config';

let created: MockedResource[] = [];
const waiting = new Map<string, (r: MockedResource) => void>();

/** Resolves when the program registers the named resource (an event, not a delay). */
function registered(name: string): Promise<MockedResource> {
  const found = created.find((r) => r.name === name);
  return found ? Promise.resolve(found) : new Promise((resolve) => waiting.set(name, resolve));
}

async function loadProgram(config: Record<string, string>): Promise<Record<string, unknown>> {
  created = [];
  vi.resetModules();
  pulumi.runtime.setAllConfig(config);
  return (await import('../../bin/gcp')) as Record<string, unknown>;
}

/** The config `pulumi preview --stack <stack>` passes the program, plus what `pulumi config set` added. */
function stackConfig(stack: string, set: Record<string, string>): Record<string, string> {
  const root = join(__dirname, '..', '..');
  const project = loadProject(readFileSync(join(root, 'Pulumi.yaml'), 'utf8'));
  const merged = mergeStackConfig(stack, project, loadStackConfig(project, readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')));
  return { ...Object.fromEntries([...merged].map(([k, v]) => [k, String(v)])), ...set };
}

function value<T>(output: unknown): Promise<T> {
  return new Promise((resolve) => pulumi.output(output as pulumi.Input<T>).apply((v) => resolve(v as T)));
}

const isRunError = (message: string) => (e: unknown) => pulumi.RunError.isInstance(e) && (e as Error).message.includes(message);

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    offlineMocks({ project: 'news-serving-staging', projectNumber: '4242', region: 'us-central1' }, (r) => {
      created.push(r);
      waiting.get(r.name)?.(r);
    }),
    'ml-serving-stacks',
    'staging',
  );
});

describe('bin/gcp.ts', () => {
  it('says how to set gcp:project when the stack has none, without a stack trace', async () => {
    await expect(loadProgram(stackConfig('staging', {}))).rejects.toSatisfy(
      isRunError('gcp:project is not set for stack staging: run `pulumi config set gcp:project <your-project-id>`'),
    );
  });

  it('refuses a gcp:region that contradicts the topology, without a stack trace', async () => {
    await expect(loadProgram(stackConfig('staging', { 'gcp:project': 'news-serving-staging', 'gcp:region': 'europe-west4' }))).rejects.toSatisfy(
      isRunError('gcp:region is "europe-west4" but topology news/staging deploys to regions.gcp "us-central1"'),
    );
  });

  it('refuses a topology file whose environment contradicts the stack', async () => {
    await expect(
      loadProgram({ 'ml-serving-stacks:environment': 'prod', 'ml-serving-stacks:topologyFile': 'test/fixtures/gcp-gaps.yaml', 'gcp:project': 'gaps-serving' }),
    ).rejects.toSatisfy(isRunError('describes environment "staging" but ml-serving-stacks:environment says "prod"'));
  });

  it('builds the preset of the stack file (Pulumi.yaml defaults merged in), in the configured project, with the configured project number', async () => {
    const program = await loadProgram(stackConfig('staging', { 'gcp:project': 'news-serving-staging', 'ml-serving-stacks:projectNumber': '4242' }));
    expect(program.environment).toBe('staging');
    expect((await registered('news-ranker-endpoint')).inputs).toMatchObject({ project: 'news-serving-staging', location: 'us-central1', displayName: 'news-staging-ranker' });
    expect((await registered('news-keys-queue-embedding-refresh-pubsub')).inputs.member).toBe('serviceAccount:service-4242@gcp-sa-pubsub.iam.gserviceaccount.com');
  });

  it('exports the outputs the README lists', async () => {
    const program = await loadProgram(stackConfig('staging', { 'gcp:project': 'news-serving-staging', 'ml-serving-stacks:projectNumber': '4242' }));
    expect(Object.keys(program).sort()).toEqual(
      ['alertsTopic', 'enabledApis', 'endpoints', 'environment', 'featureCache', 'loadGenerator', 'parityNotes', 'project', 'queues', 'region', 'vectorStore'].sort(),
    );
    const endpoints = await value<Record<string, Record<string, unknown>>>(program.endpoints);
    expect(Object.keys(endpoints)).toEqual(['ranker', 'embedder', 'reranker']);
    const ranker = await value<Record<string, unknown>>(endpoints.ranker);
    expect(ranker).toMatchObject({
      endpoint: expect.stringMatching(/^projects\/news-serving-staging\/locations\/us-central1\/endpoints\/[1-9]\d{8}$/),
      endpointId: expect.stringMatching(/^[1-9]\d{8}$/),
      privateEndpoint: { state: 'PSC_AUTOMATION_STATE_SUCCESSFUL', ipAddress: '10.20.0.10', forwardingRule: expect.any(String), errorMessage: '' },
      serviceAccount: 'news-staging-ep-ranker@news-serving-staging.iam.gserviceaccount.com',
    });
    expect(await value(program.featureCache)).toMatchObject({ address: '10.20.0.30:6379', clientServiceAccount: expect.stringContaining('@news-serving-staging.iam.gserviceaccount.com') });
    expect(await value(program.vectorStore)).toMatchObject({ engine: 'managed', deployedIndexId: 'news_staging_vectors', address: '10.20.0.20', connectionStatus: 'ACCEPTED' });
    const queues = await value<Record<string, Record<string, unknown>>>(program.queues);
    expect(await value(queues['embedding-refresh'])).toMatchObject({
      topic: 'projects/news-serving-staging/topics/news-staging-embedding-refresh',
      deadLetterSubscription: 'projects/news-serving-staging/subscriptions/news-staging-embedding-refresh-dead-letter-sub',
    });
    expect(await value(program.enabledApis)).toContain('aiplatform.googleapis.com');
  });

  it('reads a topology file, relative to the project root', async () => {
    await loadProgram({
      'ml-serving-stacks:environment': 'staging',
      'ml-serving-stacks:topologyFile': 'test/fixtures/gcp-gaps.yaml',
      'gcp:project': 'gaps-serving',
      'ml-serving-stacks:projectNumber': '1',
    });
    expect((await registered('gaps-cache-instance')).type).toBe('gcp:redis/instance:Instance');
  });
});
