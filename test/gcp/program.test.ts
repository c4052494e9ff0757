/**
 * bin/gcp.ts, the Pulumi program, under mocks with stack config as Pulumi.<env>.yaml sets it.
 * One mock monitor for the file, so a program still finishing its registrations never meets a
 * monitor that does not know its resources.
 */
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it, vi } from 'vitest';

interface Created {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

let created: Created[] = [];
const waiting = new Map<string, (r: Created) => void>();

/** Resolves when the program registers the named resource (an event, not a delay). */
function registered(name: string): Promise<Created> {
  const found = created.find((r) => r.name === name);
  return found ? Promise.resolve(found) : new Promise((resolve) => waiting.set(name, resolve));
}

async function loadProgram(config: Record<string, string>): Promise<Record<string, unknown>> {
  created = [];
  vi.resetModules();
  pulumi.runtime.setAllConfig(config);
  return (await import('../../bin/gcp')) as Record<string, unknown>;
}

const isRunError = (message: string) => (e: unknown) => pulumi.RunError.isInstance(e) && (e as Error).message.includes(message);

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const r = { type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> };
        created.push(r);
        waiting.get(args.name)?.(r);
        return { id: `${args.name}-id`, state: { ...args.inputs, email: `${String(args.inputs.accountId)}@p.iam.gserviceaccount.com` } };
      },
      call: (args) => {
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    'ml-serving-stacks',
    'staging',
  );
});

describe('bin/gcp.ts', () => {
  it('refuses a gcp:region that contradicts the topology, without a stack trace', async () => {
    await expect(
      loadProgram({ 'ml-serving-stacks:environment': 'staging', 'gcp:project': 'news-serving-staging', 'gcp:region': 'europe-west4' }),
    ).rejects.toSatisfy(isRunError('gcp:region is "europe-west4" but topology news/staging deploys to regions.gcp "us-central1"'));
  });

  it('refuses a topology file whose environment contradicts the stack', async () => {
    await expect(
      loadProgram({ 'ml-serving-stacks:environment': 'prod', 'ml-serving-stacks:topologyFile': 'test/fixtures/gcp-gaps.yaml', 'gcp:project': 'gaps-serving' }),
    ).rejects.toSatisfy(isRunError('describes environment "staging" but ml-serving-stacks:environment says "prod"'));
  });

  it('builds the preset the stack names, in the configured project and region, with the configured project number', async () => {
    const program = await loadProgram({
      'ml-serving-stacks:environment': 'staging',
      'gcp:project': 'news-serving-staging',
      'gcp:region': 'us-central1',
      'ml-serving-stacks:projectNumber': '4242',
    });
    expect(program.environment).toBe('staging');
    expect((await registered('news-ranker-endpoint')).inputs).toMatchObject({ project: 'news-serving-staging', location: 'us-central1', displayName: 'news-staging-ranker' });
    expect((await registered('news-keys-queue-embedding-refresh-pubsub')).inputs.member).toBe('serviceAccount:service-4242@gcp-sa-pubsub.iam.gserviceaccount.com');
  });

  it('reads a topology file, relative to the project root', async () => {
    await loadProgram({ 'ml-serving-stacks:topologyFile': 'test/fixtures/gcp-gaps.yaml', 'gcp:project': 'gaps-serving', 'ml-serving-stacks:projectNumber': '1' });
    expect((await registered('gaps-cache-instance')).type).toBe('gcp:redis/instance:Instance');
  });
});
