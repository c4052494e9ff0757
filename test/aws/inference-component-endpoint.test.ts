/**
 * `InferenceComponentEndpoint` and `InferenceComponentPool`: a dev topology whose reranker scales to
 * zero and shares a GPU pool with the embedder synthesizes an endpoint with managed instance scaling
 * and one inference component per model, copy-count scaling down to 0 with the wake-from-zero alarm
 * and step policy, guarded rolling updates; it passes cdk-nag and the MLServe rules, and every
 * property it writes is one the CloudFormation resource specification knows.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferenceComponentEndpoint, newServingApp, ServingStack, servingStackId, synthesizeServingTemplates } from '../../aws';
import { checkUpdate, type CfnTemplate } from '../../aws/check-update';
import { parseTopology, presetInput, resolveTopology, type ResolvedTopology, type TopologyInput } from '../../constructs';
import { policyFindings, validateTemplates } from './support';

/** dev, with the embedder and reranker on one L4 pool and the reranker at zero after 15 idle minutes. */
function sharedAtZero(): TopologyInput {
  const input = presetInput('dev');
  const [ranker, embedder, reranker] = input.endpoints;
  return {
    ...input,
    endpoints: [
      ranker,
      { ...embedder, sharing: { pool: 'gpu', compute: { acceleratorCount: 1, memoryGiB: 8, cpus: 2 } } },
      { ...reranker, scaling: { ...reranker.scaling, min: 0, idleSeconds: 900 }, sharing: { pool: 'gpu', compute: { acceleratorCount: 1, memoryGiB: 12, cpus: 2 } } },
    ],
  };
}

let topology: ResolvedTopology;
let app: App;
let stack: ServingStack;
let template: Template;

beforeAll(() => {
  topology = resolveTopology(parseTopology(sharedAtZero()));
  app = newServingApp();
  stack = new ServingStack(app, servingStackId(topology), { topology });
  template = Template.fromStack(stack);
}, 120_000);

describe('InferenceComponentEndpoint in the serving stack', () => {
  it('hosts the pool members as components of one endpoint with managed instance scaling from 0', () => {
    template.resourceCountIs('AWS::SageMaker::InferenceComponent', 2);
    // The ranker keeps its model variant endpoint; the pool is a second endpoint.
    template.resourceCountIs('AWS::SageMaker::Endpoint', 2);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ExecutionRoleArn: Match.anyValue(),
      VpcConfig: Match.objectLike({ Subnets: Match.anyValue() }),
      ProductionVariants: [
        Match.objectLike({
          VariantName: 'AllTraffic',
          InstanceType: topology.endpoints[2].variants[0].aws.instanceType,
          ModelName: Match.absent(),
          // The embedder keeps one copy, so the pool keeps one instance; the reranker's copies go to 0.
          ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 4 },
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      InferenceComponentName: 'news-dev-reranker',
      EndpointName: Match.anyValue(),
      VariantName: 'AllTraffic',
      Specification: {
        ModelName: Match.anyValue(),
        ComputeResourceRequirements: { NumberOfCpuCoresRequired: 2, MinMemoryRequiredInMb: 12 * 1024, NumberOfAcceleratorDevicesRequired: 1 },
      },
      // A component is created with a copy; the scalable target takes it to 0 when idle.
      RuntimeConfig: { CopyCount: 1 },
      DeploymentConfig: {
        RollingUpdatePolicy: Match.objectLike({ MaximumBatchSize: { Type: 'COPY_COUNT', Value: 1 }, RollbackMaximumBatchSize: { Type: 'COPY_COUNT', Value: 1 } }),
        AutoRollbackConfiguration: { Alarms: [Match.objectLike({ AlarmName: Match.anyValue() }), Match.objectLike({ AlarmName: Match.anyValue() })] },
      },
    });
  });

  it('scales the reranker\'s copies from 0 to max on concurrency per copy, and the embedder\'s from 1', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: 'inference-component/news-dev-reranker',
      ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
      MinCapacity: 0,
      MaxCapacity: topology.endpoints[2].scaling.max,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: 'inference-component/news-dev-embedder', MinCapacity: 1 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution' },
        TargetValue: 4,
      }),
    });
  });

  it('wakes from zero: an alarm on the first NoCapacityInvocationFailures adds one copy through a step policy', () => {
    const steps = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'StepScaling' } });
    // Only the reranker may be at zero.
    expect(Object.keys(steps)).toHaveLength(1);
    const [stepId, step] = Object.entries(steps)[0] as [string, { Properties: Record<string, unknown> }];
    expect(step.Properties.StepScalingPolicyConfiguration).toEqual({
      AdjustmentType: 'ChangeInCapacity',
      MetricAggregationType: 'Maximum',
      Cooldown: 60,
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'NoCapacityInvocationFailures',
      Dimensions: [{ Name: 'InferenceComponentName', Value: 'news-dev-reranker' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: Match.arrayWith([{ Ref: stepId }]),
    });
  });

  it('offers grantInvoke and component metrics like ModelEndpoint', () => {
    const reranker = stack.endpoints.reranker as InferenceComponentEndpoint;
    expect(reranker).toBeInstanceOf(InferenceComponentEndpoint);
    expect(reranker.metricModelLatency().dimensions).toEqual({ InferenceComponentName: 'news-dev-reranker' });
    expect(reranker.metricGpuUtilization().dimensions).toEqual({ EndpointName: topology.endpoints[2].aws.endpointName, VariantName: 'AllTraffic' });
    // The grant is the endpoint's: InvokeEndpoint on the pool endpoint, which takes the component's name.
    const caller = new iam.Role(new Stack(new App(), 'Callers'), 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = reranker.grantInvoke(caller);
    expect(grant.principalStatements.map((st) => st.toJSON())).toEqual([
      expect.objectContaining({ Action: 'sagemaker:InvokeEndpoint', Resource: reranker.pool.endpoint.attrEndpointArn }),
    ]);
  });

  it('passes AwsSolutions, NIST 800-53 R5 and MLServe, and the offline template validator', () => {
    expect(policyFindings(app)).toEqual([]);
    const errors = Object.values(validateTemplates({ stack: template.toJSON() })).flat().filter((d) => d.severity === 'ERROR' || d.severity === 'Error');
    expect(errors).toEqual([]);
  });

  it('writes only properties the CloudFormation resource specification defines', () => {
    const db = loadAwsServiceSpecSync();
    const unknown: string[] = [];
    /** Walks `value` against the property types of `owner` (a resource or a type definition). */
    const walk = (owner: { properties: Record<string, { type: unknown }> }, value: Record<string, unknown>, path: string) => {
      for (const [name, inner] of Object.entries(value)) {
        const prop = owner.properties[name];
        if (!prop) {
          unknown.push(`${path}.${name}`);
          continue;
        }
        let type = prop.type as { type: string; reference?: { $ref: string }; element?: { type: string; reference?: { $ref: string } } };
        const items = type.type === 'array' ? (inner as unknown[]) : [inner];
        if (type.type === 'array' && type.element) type = type.element as typeof type;
        if (type.type !== 'ref' || !type.reference) continue;
        const definition = db.get('typeDefinition', type.reference.$ref) as unknown as { properties: Record<string, { type: unknown }> };
        for (const item of items) if (item && typeof item === 'object' && !Array.isArray(item) && !('Ref' in item) && !('Fn::GetAtt' in item)) walk(definition, item as Record<string, unknown>, `${path}.${name}`);
      }
    };
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    const checked = new Set<string>();
    for (const [id, resource] of Object.entries(resources)) {
      if (!['AWS::SageMaker::InferenceComponent', 'AWS::SageMaker::EndpointConfig', 'AWS::SageMaker::Endpoint', 'AWS::ApplicationAutoScaling::ScalingPolicy'].includes(resource.Type)) continue;
      const model = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type)[0] as unknown as { properties: Record<string, { type: unknown }> };
      walk(model, resource.Properties ?? {}, id);
      checked.add(resource.Type);
    }
    expect(checked.size).toBe(4);
    expect(unknown).toEqual([]);
  });
});

describe('InferenceComponentEndpoint on its own', () => {
  it('builds its own pool when given none, and fails clearly for an endpoint not hosted as a component', () => {
    const standalone = new App();
    const stackOwn = new Stack(standalone, 'Own', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stackOwn, 'Vpc');
    const alarmTopic = new sns.Topic(stackOwn, 'Alarms');
    const reranker = topology.endpoints[2];
    const solo = resolveTopology(parseTopology({ ...presetInput('dev'), endpoints: [{ ...presetInput('dev').endpoints[2], scaling: { min: 0, max: 2, target: { metric: 'concurrency', value: 4 } } }], pipelines: {} })).endpoints[0];
    const own = new InferenceComponentEndpoint(stackOwn, 'Reranker', { endpoint: solo, vpc, alarmTopic });
    expect(own.pool.node.path).toBe('Own/Reranker/Pool');
    Template.fromStack(stackOwn).resourceCountIs('AWS::SageMaker::Endpoint', 1);
    const ranker = topology.endpoints[0];
    expect(() => new InferenceComponentEndpoint(stackOwn, 'Ranker', { endpoint: ranker, alarmTopic })).toThrow(
      /endpoint\.aws\.inferenceComponent: endpoint ranker is not hosted as an inference component[\s\S]*vpc: required when no pool is given/,
    );
    expect(reranker.aws.inferenceComponent?.pool).toBe('gpu');
  });
});

describe('check-update between min 0 and min 1', () => {
  const templateOf = (input: TopologyInput) => {
    const resolvedInput = resolveTopology(parseTopology(input));
    return synthesizeServingTemplates(resolvedInput)[servingStackId(resolvedInput)] as CfnTemplate;
  };
  const rerankerAt = (min: number): TopologyInput => {
    const input = presetInput('dev');
    input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min, ...(min === 0 && { idleSeconds: 900 }) } };
    return input;
  };

  it('leaving zero (min 0 → 1) deploys: the variant endpoint is created, then the component and its pool endpoint removed', () => {
    const report = checkUpdate(templateOf(rerankerAt(0)), templateOf(rerankerAt(1)));
    expect(report.deployable).toBe(true);
    expect(report.changes.map((c) => `${c.action} ${c.type}`)).toEqual(
      expect.arrayContaining(['add AWS::SageMaker::Endpoint', 'remove AWS::SageMaker::Endpoint', 'remove AWS::SageMaker::InferenceComponent', 'remove AWS::CloudWatch::Alarm']),
    );
  });
});

describe('a production pool', () => {
  it('passes the MLServe production rules: two instances, canary updates, rollback on every member\'s SLO alarms', () => {
    const input = presetInput('prod');
    const pooled = { pool: 'gpu', compute: { acceleratorCount: 1, memoryGiB: 8, cpus: 2 } };
    input.endpoints[1] = { ...input.endpoints[1], variants: undefined, sharing: pooled };
    input.endpoints[2] = { ...input.endpoints[2], sharing: pooled };
    const prod = resolveTopology(parseTopology(input));
    const prodApp = newServingApp();
    const prodStack = new ServingStack(prodApp, servingStackId(prod), { topology: prod });
    expect(policyFindings(prodApp)).toEqual([]);
    const pool = Template.fromStack(prodStack).findResources('AWS::SageMaker::Endpoint', { Properties: { EndpointName: prod.endpoints[1].aws.endpointName } });
    const config = (Object.values(pool)[0] as { Properties: { DeploymentConfig: { AutoRollbackConfiguration: { Alarms: unknown[] }; BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: string } } } } }).Properties.DeploymentConfig;
    expect(config.AutoRollbackConfiguration.Alarms).toHaveLength(4);
    expect(config.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type).toBe('CANARY');
  }, 120_000);
});
