/**
 * The load generator fleet's stack: what it creates, that it passes the policy packs with only the
 * acknowledgments written in the construct, that the serving stack is untouched without it, and that
 * a template without a real image refuses to deploy.
 */
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  LoadGeneratorFleet,
  LoadGeneratorStack,
  loadGeneratorBucketName,
  loadGeneratorStackId,
  ModelEndpoint,
  newServingApp,
  PLACEHOLDER_LOADGEN_IMAGE,
  ServingPropsError,
  ServingStack,
  servingStackId,
} from '../../aws';
import { fargateTaskSizeProblems } from '../../aws/load-generator/fargate-task-size';
import { evaluate, resolveIntrinsics } from './policy-evaluation';
import { policyFindings, resolvedTopology, type EnvironmentName } from './support';

const IMAGE = '111122223333.dkr.ecr.us-east-1.amazonaws.com/ml-serving-stacks-loadgen:1.0.0';
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function fleetApp(env: EnvironmentName, image?: string) {
  const topology = resolvedTopology(env);
  const app = newServingApp();
  const serving = new ServingStack(app, servingStackId(topology), { topology, loadGenerator: true });
  const fleet = new LoadGeneratorStack(app, loadGeneratorStackId(topology), { serving, image });
  return { topology, app, serving, fleet, template: Template.fromStack(fleet) };
}

describe('LoadGeneratorStack', () => {
  const { topology, fleet, template, serving } = fleetApp('prod', IMAGE);

  it('is named <name>-<environment>-loadgen and depends on the serving stack', () => {
    expect(fleet.stackName).toBe('news-prod-loadgen');
    expect(fleet.dependencies).toContain(serving);
  });

  it('has a cluster with Container Insights and a Fargate task definition of 1 vCPU / 2 GiB by default', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'news-prod-loadgen', ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'news-prod-loadgen',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '1024',
      Memory: '2048',
      ContainerDefinitions: [Match.objectLike({ Name: 'loadgen', ReadonlyRootFilesystem: true, LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }) })],
    });
  });

  it('pulls the image from its ECR repository only', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(':1.0.0$')])]) }) })],
    });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p) => JSON.stringify(p));
    expect(policies.some((p) => p.includes('ecr:BatchGetImage') && p.includes('repository/ml-serving-stacks-loadgen'))).toBe(true);
  });

  it('lets the task role invoke exactly the realtime endpoints of the topology and use runs/ of its bucket', () => {
    const resolved = resolveIntrinsics(template.toJSON().Resources as Resources, { account: '111122223333', region: 'us-east-1', ref: (id) => id, getAtt: (id) => `arn:aws:s3:::${id}` });
    const [policy] = Object.values(resolved).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties).includes('sagemaker:InvokeEndpoint'));
    // An identity policy's statements apply to its role: evaluated as if they named it.
    const identity = policy.Properties.PolicyDocument as Parameters<typeof evaluate>[0];
    const document = { Statement: identity.Statement.map((s) => ({ ...s, Principal: '*' })) };
    const request = (action: string, resource: string) => ({ principal: { aws: 'arn:aws:iam::111122223333:role/task' }, action, resource, context: {} });
    for (const endpoint of topology.endpoints.filter((e) => e.mode !== 'async')) {
      expect(evaluate(document, request('sagemaker:InvokeEndpoint', `arn:aws:sagemaker:us-east-1:111122223333:endpoint/${endpoint.aws.endpointName}`))).toBe('allow');
    }
    expect(evaluate(document, request('sagemaker:InvokeEndpoint', 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/someone-else'))).not.toBe('allow');
    expect(evaluate(document, request('sagemaker:CreateEndpoint', '*'))).not.toBe('allow');
    const bucketId = Object.entries(resolved).find(([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName)?.[0] as string;
    expect(evaluate(document, request('s3:PutObject', `arn:aws:s3:::${bucketId}/runs/r1/task-0.json`))).toBe('allow');
    expect(evaluate(document, request('s3:PutObject', `arn:aws:s3:::${bucketId}/elsewhere/x`))).not.toBe('allow');
    expect(evaluate(document, request('s3:PutObject', 'arn:aws:s3:::another-bucket/runs/x'))).not.toBe('allow');
  });

  it('keeps results in a named, KMS-encrypted, TLS-only, access-logged bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['news-prod-loadgen-', { Ref: 'AWS::AccountId' }, '-us-east-1']] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'results/' }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('logs to a KMS-encrypted log group with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ml-serving-stacks/news-prod-loadgen', RetentionInDays: 30, KmsKeyId: Match.anyValue() });
  });

  it('runs in the serving subnets and adds the ECR endpoints an isolated VPC needs (logs and S3 are the serving VPC\'s)', () => {
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((r) => JSON.stringify(r.Properties.ServiceName));
    expect(services).toHaveLength(2);
    expect(services.some((s) => s.includes('ecr.api'))).toBe(true);
    expect(services.some((s) => s.includes('ecr.dkr'))).toBe(true);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })] });
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['LoadGeneratorCluster', 'LoadGeneratorTaskDefinition', 'LoadGeneratorContainer', 'LoadGeneratorSubnets', 'LoadGeneratorSecurityGroup', 'LoadGeneratorResultsBucket']),
    );
  });

  it('passes AwsSolutions, NIST 800-53 R5 and MLServe with only the construct\'s acknowledgments', () => {
    expect(policyFindings(fleet)).toEqual([]);
  });

  it('retains results in prod and destroys them in dev', () => {
    template.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketName: Match.anyValue() }), DeletionPolicy: 'Retain' });
    fleetApp('dev', IMAGE).template.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketName: Match.anyValue() }), DeletionPolicy: 'Delete' });
  });
});

describe('the serving stack with and without the fleet', () => {
  it('is the same template without the flag (the snapshot in serving-stack.test.ts guards it)', () => {
    const topology = resolvedTopology('prod');
    const plain = Template.fromStack(new ServingStack(newServingApp(), servingStackId(topology), { topology })).toJSON();
    const off = Template.fromStack(new ServingStack(newServingApp(), servingStackId(topology), { topology, loadGenerator: false })).toJSON();
    expect(off).toEqual(plain);
  });

  it('admits the results bucket and ECR\'s layer bucket through the S3 gateway endpoint only with the fleet', () => {
    const { serving, topology } = fleetApp('dev', IMAGE);
    const raw = Template.fromStack(serving).toJSON().Resources as Resources;
    const resources = resolveIntrinsics(raw, { account: '111122223333', region: 'us-east-1', ref: (id) => id, getAtt: (id) => `arn:aws:s3:::${id}` });
    const [endpoint] = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && String(r.Properties.ServiceName).endsWith('.s3'));
    const policy = endpoint.Properties.PolicyDocument as Parameters<typeof evaluate>[0];
    const bucket = (loadGeneratorBucketName(topology) as string).replace(/\$\{Token\[AWS\.AccountId\.\d+\]\}/, '111122223333');
    const request = (action: string, resource: string) => ({ principal: { aws: 'arn:aws:iam::111122223333:role/any' }, action, resource, context: {} });
    expect(bucket).toBe('news-dev-loadgen-111122223333-us-east-1');
    expect(evaluate(policy, request('s3:PutObject', `arn:aws:s3:::${bucket}/runs/r/task-0.json`))).toBe('allow');
    expect(evaluate(policy, request('s3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/abc'))).toBe('allow');
    expect(evaluate(policy, request('s3:PutObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/x'))).not.toBe('allow');
  });
});

describe('without an image', () => {
  const { template, fleet } = fleetApp('dev');

  it('synthesizes with the placeholder as the LoadGeneratorImage parameter', () => {
    expect(fleet.placeholderImage).toBe(true);
    template.hasParameter('LoadGeneratorImage', { Type: 'String', Default: PLACEHOLDER_LOADGEN_IMAGE });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ Image: { Ref: 'LoadGeneratorImage' } })] });
  });

  it('carries a template rule that refuses the placeholder at deploy time', () => {
    const rules = template.toJSON().Rules as Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
    expect(rules.RefusePlaceholderImage.Assertions).toEqual([
      { Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'LoadGeneratorImage' }, PLACEHOLDER_LOADGEN_IMAGE] }] }, AssertDescription: expect.stringContaining('-c loadgenImage=') },
    ]);
  });

  it('has no rule and no parameter with an image', () => {
    const json = fleetApp('dev', IMAGE).template.toJSON();
    expect(json.Rules?.RefusePlaceholderImage).toBeUndefined();
    expect(json.Parameters?.LoadGeneratorImage).toBeUndefined();
  });
});

describe('LoadGeneratorFleet props', () => {
  const fleetIn = ({ endpoints: endpointCount, ...props }: { cpu?: number; memoryLimitMiB?: number; endpoints?: number }) => {
    const stack = new Stack(newServingApp(), 'S', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const endpoints = Array.from({ length: endpointCount ?? 1 }, (_, i) => ModelEndpoint.fromEndpointName(stack, `E${i}`, `e${i}`));
    return new LoadGeneratorFleet(stack, 'Fleet', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, endpoints, image: ecs.ContainerImage.fromRegistry('x'), fleetName: 'f', ...props });
  };

  it('takes a valid Fargate size', () => {
    const fleet = fleetIn({ cpu: 4096, memoryLimitMiB: 30720 });
    Template.fromStack(Stack.of(fleet)).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '30720' });
  });

  it('fails when the CPU and memory are not a Fargate combination, naming both and what is allowed', () => {
    expect(() => fleetIn({ cpu: 1024, memoryLimitMiB: 1024 })).toThrow(ServingPropsError);
    expect(() => fleetIn({ cpu: 1024, memoryLimitMiB: 1024 })).toThrow('memoryLimitMiB: with cpu 1024 Fargate allows 2048 to 8192 in steps of 1024 MiB, got 1024');
    expect(() => fleetIn({ cpu: 300 })).toThrow('cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (CPU units, 1024 = 1 vCPU), got 300');
  });

  it('fails when there is no endpoint to test', () => {
    expect(() => fleetIn({ endpoints: 0 })).toThrow('endpoints: at least one endpoint to load-test, got none');
  });

  it.each([
    [256, 512, true],
    [256, 4096, false],
    [8192, 20480, true],
    [8192, 18432, false],
    [16384, 122880, true],
  ])('Fargate size cpu %i memory %i valid: %s', (cpu, memory, valid) => {
    expect(fargateTaskSizeProblems(cpu, memory).length === 0).toBe(valid);
  });
});
