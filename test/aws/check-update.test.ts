/**
 * `checkUpdate` on small templates, one rule at a time: each rule's rejection and the change it lets
 * through, CloudFormation's replacement from the resource specification, and replacements that
 * follow a replaced resource.
 */
import { describe, expect, it } from 'vitest';
import { checkUpdate, type CfnResource, type CfnTemplate, type ResourceUpdate } from '../../aws/check-update';

const ENDPOINT = 'news-prod-ranker';
const DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

type Resources = Record<string, CfnResource>;

function endpointStack(options: {
  readonly variants: Record<string, string>;
  readonly config?: string;
  readonly guarded?: boolean;
  readonly release?: boolean;
  readonly targets?: Record<string, string>;
  readonly retainTargets?: boolean;
}): CfnTemplate {
  const config = options.config ?? 'Config';
  const resources: Resources = {
    [config]: {
      Type: 'AWS::SageMaker::EndpointConfig',
      Properties: {
        ProductionVariants: Object.entries(options.variants).map(([VariantName, InstanceType]) => ({ VariantName, InstanceType, ModelName: 'm', InitialInstanceCount: 2, InitialVariantWeight: 1 })),
      },
    },
    Endpoint: {
      Type: 'AWS::SageMaker::Endpoint',
      DependsOn: options.release ? ['Release'] : undefined,
      Properties: {
        EndpointName: ENDPOINT,
        EndpointConfigName: { 'Fn::GetAtt': [config, 'EndpointConfigName'] },
        DeploymentConfig: options.guarded
          ? { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 } } }
          : undefined,
      },
    },
  };
  if (options.release) {
    resources.Release = {
      Type: 'Custom::SageMakerScalingRelease',
      Properties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:release',
        EndpointName: ENDPOINT,
        Variants: Object.entries(options.variants).map(([VariantName, InstanceType]) => ({ VariantName, InstanceType })),
      },
    };
  }
  for (const [id, variant] of Object.entries(options.targets ?? {})) {
    resources[id] = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      DeletionPolicy: options.retainTargets ? 'Retain' : undefined,
      UpdateReplacePolicy: options.retainTargets ? 'Retain' : undefined,
      Properties: {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: DIMENSION,
        MinCapacity: 2,
        MaxCapacity: 8,
        ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] }, `/variant/${variant}`]] },
      },
    };
  }
  return { Resources: resources };
}

const byId = (changes: readonly ResourceUpdate[]) => Object.fromEntries(changes.map((c) => [c.logicalId, c]));

describe('checkUpdate: what CloudFormation does', () => {
  it('replaces what the resource specification says a property change replaces, and updates the rest in place', () => {
    const report = checkUpdate(endpointStack({ variants: { primary: 'ml.m5.xlarge' } }), endpointStack({ variants: { primary: 'ml.m5.2xlarge' } }));
    const changes = byId(report.changes);
    expect(changes.Config).toMatchObject({ action: 'replace', holdsData: false });
    expect(changes.Config.reason).toContain('ProductionVariants changes, which replaces it');
    // The template says GetAtt Config.EndpointConfigName before and after; the replaced config gives it a new value.
    expect(changes.Endpoint).toMatchObject({ action: 'update', reason: 'EndpointConfigName changes in place (following Config, which is replaced)' });
    expect(report.deployable).toBe(true);
  });

  it('reports no change between equal templates', () => {
    const template = endpointStack({ variants: { primary: 'ml.m5.xlarge' } });
    expect(checkUpdate(template, structuredClone(template))).toEqual({ changes: [], deployable: true });
  });

  it('fails the update when a resource holding data is replaced, and says the replacement starts empty', () => {
    const cache = (subnets: string[]): CfnTemplate => ({
      Resources: { Cache: { Type: 'AWS::ElastiCache::ServerlessCache', Properties: { Engine: 'valkey', SubnetIds: subnets } } },
    });
    const report = checkUpdate(cache(['subnet-1', 'subnet-2']), cache(['subnet-1', 'subnet-3']));
    expect(report.changes).toEqual([
      expect.objectContaining({ logicalId: 'Cache', action: 'replace', holdsData: true, remedy: expect.stringContaining('the replacement starts empty') }),
    ]);
    expect(report.deployable).toBe(false);
  });
});

describe('checkUpdate: custom-named-replacement', () => {
  const collection = (tags: string, name: string): CfnTemplate => ({
    Resources: { Collection: { Type: 'AWS::OpenSearchServerless::Collection', Properties: { Name: name, Type: 'VECTORSEARCH', Tags: [{ Key: 'team', Value: tags }] } } },
  });

  it('rejects replacing a resource whose name stays the same', () => {
    const report = checkUpdate(collection('a', 'news-dev-vectors'), collection('b', 'news-dev-vectors'));
    expect(report.changes[0]).toMatchObject({ action: 'rejected', holdsData: true });
    expect(report.changes[0].reason).toContain('Tags requires replacing it, and its name (Name "news-dev-vectors") stays the same');
    expect(report.changes[0].remedy).toContain('short hash of Tags');
    expect(report.deployable).toBe(false);
  });

  it('lets a replacement through when the name changes with it (the data still moves: not deployable cleanly)', () => {
    const report = checkUpdate(collection('a', 'news-dev-vectors-1a2b'), collection('b', 'news-dev-vectors-3c4d'));
    expect(report.changes[0]).toMatchObject({ action: 'replace', holdsData: true });
  });

  it('lets a replacement through when CloudFormation names the resource', () => {
    const model = (image: string): CfnTemplate => ({ Resources: { Model: { Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { Image: image } } } } });
    expect(checkUpdate(model('a:1'), model('a:2'))).toEqual({
      changes: [expect.objectContaining({ logicalId: 'Model', action: 'replace', holdsData: false })],
      deployable: true,
    });
  });
});

describe('checkUpdate: autoscaled-variant-change', () => {
  const targets = { TargetPrimary: 'primary' };

  it('rejects changing the instance type of a variant Application Auto Scaling scales', () => {
    const report = checkUpdate(endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets }), endpointStack({ variants: { primary: 'ml.m5.2xlarge' }, targets }));
    const endpoint = byId(report.changes).Endpoint;
    expect(endpoint.action).toBe('rejected');
    expect(endpoint.reason).toContain('changes variant primary from ml.m5.xlarge to ml.m5.2xlarge, which Application Auto Scaling still scales');
    expect(endpoint.remedy).toContain('DeregisterScalableTarget');
    expect(report.deployable).toBe(false);
  });

  it('rejects removing a variant Application Auto Scaling scales', () => {
    const scaled = { TargetA: 'a', TargetB: 'b' };
    const report = checkUpdate(endpointStack({ variants: { a: 'ml.m5.xlarge', b: 'ml.m5.xlarge' }, targets: scaled }), endpointStack({ variants: { a: 'ml.m5.xlarge' }, targets: { TargetA: 'a' } }));
    expect(byId(report.changes).Endpoint.reason).toContain('removes variant b');
  });

  it('accepts a new model on the same instance type (SageMaker allows it for scaled variants)', () => {
    const report = checkUpdate(endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets }), endpointStack({ variants: { primary: 'ml.m5.xlarge' }, config: 'Config2', targets }));
    expect(byId(report.changes).Endpoint.action).toBe('update');
  });

  it('accepts the change when a deployed scaling release, which the endpoint waits for, drops the old instance type', () => {
    const before = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, release: true, targets: { TargetPrimaryM5Xlarge: 'primary' }, retainTargets: true });
    const after = endpointStack({ variants: { primary: 'ml.m5.2xlarge' }, release: true, targets: { TargetPrimaryM52xlarge: 'primary' }, retainTargets: true });
    const report = checkUpdate(before, after);
    expect(byId(report.changes)).toMatchObject({
      Release: { action: 'update' },
      Endpoint: { action: 'update' },
      TargetPrimaryM52xlarge: { action: 'add' },
      TargetPrimaryM5Xlarge: { action: 'remove', reason: expect.stringContaining('DeletionPolicy Retain') },
    });
    expect(report.deployable).toBe(true);
  });

  it('rejects the change when the release is new in this update: it has no earlier variants to compare', () => {
    const before = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets });
    const after = endpointStack({ variants: { primary: 'ml.m5.2xlarge' }, release: true, targets });
    expect(byId(checkUpdate(before, after).changes).Endpoint.remedy).toContain('deploy once without this change to add it');
  });
});

describe('checkUpdate: guardrail-variant-names', () => {
  it('rejects a blue/green update that changes the variant names', () => {
    const report = checkUpdate(endpointStack({ variants: { primary: 'ml.g6.xlarge' }, guarded: true }), endpointStack({ variants: { current: 'ml.g6.xlarge', candidate: 'ml.g6.xlarge' }, guarded: true }));
    const endpoint = byId(report.changes).Endpoint;
    expect(endpoint.action).toBe('rejected');
    expect(endpoint.reason).toContain('from variants [primary] to [current, candidate] under a deployment configuration');
  });

  it('accepts a blue/green update that keeps the variant names, and a set change without a deployment configuration', () => {
    const guarded = checkUpdate(endpointStack({ variants: { a: 'ml.g6.xlarge', b: 'ml.g6.xlarge' }, guarded: true }), endpointStack({ variants: { b: 'ml.g6.2xlarge', a: 'ml.g6.xlarge' }, guarded: true }));
    expect(byId(guarded.changes).Endpoint.action).toBe('update');
    const plain = checkUpdate(endpointStack({ variants: { primary: 'ml.g6.xlarge' } }), endpointStack({ variants: { current: 'ml.g6.xlarge' } }));
    expect(byId(plain.changes).Endpoint.action).toBe('update');
  });

  it('lets a new endpoint name take the new variant set: a replacement, not an update', () => {
    const before = endpointStack({ variants: { primary: 'ml.g6.xlarge' }, guarded: true });
    const after = endpointStack({ variants: { current: 'ml.g6.xlarge', candidate: 'ml.g6.xlarge' }, guarded: true });
    const renamed: CfnTemplate = { Resources: { ...after.Resources, Endpoint: { ...after.Resources.Endpoint, Properties: { ...after.Resources.Endpoint.Properties, EndpointName: `${ENDPOINT}-5c1e` } } } };
    const report = checkUpdate(before, renamed);
    expect(byId(report.changes).Endpoint).toMatchObject({ action: 'replace', reason: expect.stringContaining('EndpointName') });
    expect(report.deployable).toBe(true);
  });
});

describe('checkUpdate: superseded-scalable-target', () => {
  it('rejects deleting a scalable target whose successor registers the same variant', () => {
    const before = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { Old: 'primary' } });
    const after = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { New: 'primary' } });
    const report = checkUpdate(before, after);
    expect(byId(report.changes).Old).toMatchObject({ action: 'rejected', remedy: expect.stringContaining('DeletionPolicy Retain') });
    expect(byId(report.changes).Old.reason).toContain('New registers the same variant (sagemaker|sagemaker:variant:DesiredInstanceCount|endpoint/news-prod-ranker/variant/primary)');
    expect(byId(report.changes).New.action).toBe('add');
  });

  it('accepts it when the superseded target is retained', () => {
    const before = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { Old: 'primary' }, retainTargets: true });
    const after = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { New: 'primary' }, retainTargets: true });
    expect(checkUpdate(before, after).deployable).toBe(true);
  });

  it('rejects a second target for a variant that keeps its first', () => {
    const before = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { First: 'primary' } });
    const after = endpointStack({ variants: { primary: 'ml.m5.xlarge' }, targets: { First: 'primary', Second: 'primary' } });
    expect(byId(checkUpdate(before, after).changes).Second).toMatchObject({ action: 'rejected', reason: expect.stringContaining('First already registers the same variant') });
  });
});

describe('checkUpdate: resource-type-change', () => {
  it('rejects a logical id that changes type', () => {
    const report = checkUpdate({ Resources: { Thing: { Type: 'AWS::SNS::Topic' } } }, { Resources: { Thing: { Type: 'AWS::SQS::Queue' } } });
    expect(report.changes[0]).toMatchObject({ action: 'rejected', reason: expect.stringContaining('from AWS::SNS::Topic to AWS::SQS::Queue') });
  });
});

describe('checkUpdate: the vector index custom resource', () => {
  const index = (name: string, dimension: number): CfnTemplate => ({
    Resources: {
      Index: {
        Type: 'Custom::VectorIndex',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:index',
          CollectionEndpoint: 'https://abc.us-east-1.aoss.amazonaws.com',
          IndexName: name,
          IndexBody: JSON.stringify({ settings: { index: { knn: true } }, mappings: { properties: { embedding: { type: 'knn_vector', dimension } } } }),
        },
      },
    },
  });

  it('is replaced, holding data, when its name changes with its mapping: the new index starts empty', () => {
    const [change] = checkUpdate(index('embeddings-aaaa1111', 768), index('embeddings-bbbb2222', 1024)).changes;
    expect(change).toMatchObject({ action: 'replace', holdsData: true, remedy: expect.stringContaining('starts empty') });
  });

  it('rejects a mapping change under the same index name: the existing index would stay as it is', () => {
    const report = checkUpdate(index('embeddings', 768), index('embeddings', 1024));
    expect(report.changes[0]).toMatchObject({ action: 'rejected', reason: expect.stringContaining('field embedding') });
    expect(report.deployable).toBe(false);
  });
});
