/**
 * The scaling release's Lambda code, run as Lambda runs it (the same file the template inlines),
 * against a local Application Auto Scaling and a local CloudFormation response URL.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { synthesizeServingTemplates } from '../../aws';
import { handler, type ReleaseEvent, type ReleaseProperties } from '../../aws/private/scaling-release-handler';
import { FakeApplicationAutoScaling } from './fake-application-auto-scaling';
import { resolvedTopology } from './support';

const fake = new FakeApplicationAutoScaling();
let responseUrl: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  const url = await fake.start();
  responseUrl = `${url}/cloudformation-response?X-Amz-Signature=local`;
  // The SDK in the Lambda runtime reads the region and credentials from the environment; the
  // service-specific endpoint variable points it at the fake.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING: url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await fake.stop();
});

beforeEach(() => {
  fake.deregisterCalls.length = 0;
  fake.responses.length = 0;
  fake.failWith = undefined;
});

const target = (endpoint: string, variant: string) => ({
  ServiceNamespace: 'sagemaker',
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
  ResourceId: `endpoint/${endpoint}/variant/${variant}`,
});

const properties = (endpoint: string, variants: Record<string, string>): ReleaseProperties => ({
  EndpointName: endpoint,
  Variants: Object.entries(variants).map(([VariantName, InstanceType]) => ({ VariantName, InstanceType })),
});

function event(requestType: ReleaseEvent['RequestType'], after: ReleaseProperties, before?: ReleaseProperties): ReleaseEvent {
  return {
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/news-prod-serving/1',
    RequestId: 'request-1',
    LogicalResourceId: 'EmbedderEndpointScalingRelease8E020DEA',
    PhysicalResourceId: requestType === 'Create' ? undefined : `scaling-release:${after.EndpointName}`,
    ResourceProperties: after,
    OldResourceProperties: before,
  };
}

describe('scaling release handler', () => {
  it('deregisters exactly the variants whose instance type changes or that go away, and answers SUCCESS', async () => {
    for (const variant of ['current', 'candidate', 'shadow']) fake.register(target('news-prod-embedder-0ff3', variant));
    await handler(
      event(
        'Update',
        properties('news-prod-embedder-0ff3', { current: 'ml.g6.2xlarge', candidate: 'ml.g6.xlarge' }),
        properties('news-prod-embedder-0ff3', { current: 'ml.g6.xlarge', candidate: 'ml.g6.xlarge', shadow: 'ml.g6.xlarge' }),
      ),
    );
    expect(fake.deregisterCalls.map((c) => c.ResourceId)).toEqual(['endpoint/news-prod-embedder-0ff3/variant/current', 'endpoint/news-prod-embedder-0ff3/variant/shadow']);
    expect(fake.isRegistered(target('news-prod-embedder-0ff3', 'candidate'))).toBe(true);
    expect(fake.responses).toEqual([
      {
        // The pre-signed URL is signed without a content type.
        contentType: '',
        body: {
          Status: 'SUCCESS',
          PhysicalResourceId: 'scaling-release:news-prod-embedder-0ff3',
          StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/news-prod-serving/1',
          RequestId: 'request-1',
          LogicalResourceId: 'EmbedderEndpointScalingRelease8E020DEA',
          Data: { Released: 'current,shadow' },
        },
      },
    ]);
  });

  it('treats a variant that is not registered as released already', async () => {
    await handler(event('Update', properties('news-dev-ranker', { primary: 'ml.m5.2xlarge' }), properties('news-dev-ranker', { primary: 'ml.m5.xlarge' })));
    expect(fake.deregisterCalls).toHaveLength(1);
    expect(fake.responses[0].body).toMatchObject({ Status: 'SUCCESS', Data: { Released: '' } });
  });

  it('leaves a renamed endpoint\'s predecessor alone: it keeps scaling until CloudFormation deletes it', async () => {
    fake.register(target('news-prod-embedder-0ff3', 'current'));
    await handler(event('Update', properties('news-prod-embedder-7a1c', { current: 'ml.g6.2xlarge' }), properties('news-prod-embedder-0ff3', { current: 'ml.g6.xlarge' })));
    expect(fake.deregisterCalls).toEqual([]);
    expect(fake.isRegistered(target('news-prod-embedder-0ff3', 'current'))).toBe(true);
  });

  it('does nothing on create and delete', async () => {
    fake.register(target('news-dev-ranker', 'primary'));
    await handler(event('Create', properties('news-dev-ranker', { primary: 'ml.m5.xlarge' })));
    await handler(event('Delete', properties('news-dev-ranker', { primary: 'ml.m5.xlarge' })));
    expect(fake.deregisterCalls).toEqual([]);
    expect(fake.responses.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([
      ['SUCCESS', 'scaling-release:news-dev-ranker'],
      ['SUCCESS', 'scaling-release:news-dev-ranker'],
    ]);
  });

  it('answers FAILED with the service\'s error when it may not deregister, so the endpoint is not updated', async () => {
    fake.failWith = 'AccessDeniedException';
    await handler(event('Update', properties('news-dev-ranker', { primary: 'ml.m5.2xlarge' }), properties('news-dev-ranker', { primary: 'ml.m5.xlarge' })));
    expect(fake.responses[0].body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'scaling-release:news-dev-ranker' });
    expect(fake.responses[0].body.Reason).toMatch(/^AccessDeniedException: /);
  });

  it('is the code the template ships, and the endpoint waits for it', () => {
    const template = Template.fromJSON(Object.values(synthesizeServingTemplates(resolvedTopology('prod')))[0] as Record<string, unknown>);
    const functions = template.findResources('AWS::Lambda::Function');
    const code = readFileSync('aws/private/scaling-release-handler.js', 'utf8');
    const inlined = Object.values(functions).map((f) => (f as { Properties: { Code: { ZipFile?: string } } }).Properties.Code.ZipFile).filter((z) => z !== undefined);
    expect(inlined).toEqual([code, code, code]);
    const releases = template.findResources('Custom::SageMakerScalingRelease');
    const embedderRelease = Object.entries(releases).find(([id]) => id.startsWith('EmbedderEndpoint'))!;
    expect(embedderRelease[1]).toMatchObject({
      Properties: {
        EndpointName: 'news-prod-embedder-0ff3',
        Variants: [
          { VariantName: 'current', InstanceType: 'ml.g6.xlarge' },
          { VariantName: 'candidate', InstanceType: 'ml.g6.xlarge' },
        ],
      },
    });
    const endpoint = Object.entries(template.findResources('AWS::SageMaker::Endpoint')).find(([id]) => id.startsWith('EmbedderEndpoint'))![1] as { DependsOn: string[] };
    expect(endpoint.DependsOn).toContain(embedderRelease[0]);
  });
});
