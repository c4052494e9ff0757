/**
 * `InferenceComponentPool`: a SageMaker endpoint that hosts inference components instead of a model
 * per variant. Its one production variant names no model; SageMaker managed instance scaling sizes its
 * instances to the copies its components ask for, down to `MinInstanceCount` 0
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html), and
 * requests go to the copy with the fewest outstanding requests (RoutingConfig). The execution role, the
 * VPC and the network isolation move from the models to the endpoint configuration, which is where
 * CreateInferenceComponent looks for them. Each model is an `InferenceComponentEndpoint` on the pool.
 */
import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import type { AwsInferenceComponentPlan, ResolvedEndpoint } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { allowLogGroupEncryption, newComponentKey } from '../private/component-key';
import { throwIfProblems, type PropProblem } from '../private/problems';
import { newExecutionPolicy } from './execution-policy';
import { blueGreenUpdatePolicy } from './blue-green-update';

/** SageMaker AutoRollbackConfiguration takes 1–10 alarms (SageMaker API reference, AutoRollbackConfig). */
const MAX_ROLLBACK_ALARMS = 10;

/** The one production variant of a pool endpoint; components name it (InferenceComponent VariantName). */
export const POOL_VARIANT_NAME = 'AllTraffic';

export interface InferenceComponentPoolProps {
  /** Every endpoint the pool hosts, resolved; each has an `aws.inferenceComponent` plan naming this pool. */
  readonly members: readonly ResolvedEndpoint[];
  /** The VPC the instances' network interfaces live in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the network interfaces; SageMaker wants at least two zones.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the network interfaces.
   * @default - a new group with no inbound rules and HTTPS outbound only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Key for the instance volumes (where the instance type allows) and the log group.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Retention of the endpoint's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the key and the log group when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class InferenceComponentPool extends Construct {
  readonly endpoint: sagemaker.CfnEndpoint;
  readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint clients call, naming a component with each request (InvokeEndpoint InferenceComponentName). */
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly executionRole: iam.Role;
  readonly executionPolicy: iam.ManagedPolicy;
  readonly encryptionKey: kms.IKey;
  readonly logGroup: logs.LogGroup;
  readonly connections: ec2.Connections;
  /** The VPC settings the components' models take too. */
  readonly vpcConfig: sagemaker.CfnModel.VpcConfigProperty;
  /** Whether every member's model runs without network access; the configuration can only say it for all. */
  readonly networkIsolation: boolean;
  private readonly rollbackAlarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: InferenceComponentPoolProps) {
    super(scope, id);
    const plans = validatePoolMembers(this, props.members);
    const first = props.members[0];
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.endpointName = first.aws.endpointName;

    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} volumes and logs`, removalPolicy);
    const logGroupName = `/aws/sagemaker/Endpoints/${this.endpointName}`;
    allowLogGroupEncryption(this.encryptionKey, logGroupName);
    this.logGroup = new logs.LogGroup(this, 'Logs', { logGroupName, encryptionKey: this.encryptionKey, retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS, removalPolicy });

    const securityGroups = props.securityGroups ?? [newSecurityGroup(this, props.vpc, this.endpointName)];
    this.connections = new ec2.Connections({ securityGroups });
    this.vpcConfig = { subnets: props.vpc.selectSubnets(props.vpcSubnets).subnetIds, securityGroupIds: securityGroups.map((sg) => sg.securityGroupId) };
    this.networkIsolation = props.members.every((m) => m.variants.every((v) => v.model.networkIsolation));

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker execution role of ${this.endpointName} and its inference components`,
    });
    // One role pulls every member's image and artifact: the policy reads the variants of all members.
    this.executionPolicy = newExecutionPolicy(this, {
      spec: { ...first, dataCapture: undefined, variants: props.members.flatMap((m) => m.variants) },
      role: this.executionRole,
      logGroup: this.logGroup,
      encryptionKey: this.encryptionKey,
      inVpc: true,
    });

    const instances = plans[0].poolInstances;
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      executionRoleArn: this.executionRole.roleArn,
      vpcConfig: this.vpcConfig,
      enableNetworkIsolation: this.networkIsolation,
      kmsKeyId: props.members.every((m) => m.aws.volumeKms) ? this.encryptionKey.keyArn : undefined,
      productionVariants: [
        {
          variantName: POOL_VARIANT_NAME,
          instanceType: instances.instanceType,
          // Components start with at least one copy, which needs an instance to land on.
          initialInstanceCount: Math.max(1, instances.min),
          managedInstanceScaling: { status: 'ENABLED', minInstanceCount: instances.min, maxInstanceCount: instances.max },
          routingConfig: { routingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        },
      ],
    });
    this.endpointConfig.node.addDependency(this.executionPolicy);
    if (!props.members.every((m) => m.aws.volumeKms)) {
      acknowledge(
        this.endpointConfig,
        'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
        `${instances.instanceType} has local NVMe instance storage, which SageMaker encrypts with a hardware key, and CreateEndpointConfig rejects a KmsKeyId for such instances (SageMaker API reference, CreateEndpointConfig KmsKeyId).`,
      );
    }

    const deployment = first.aws.deployment;
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // Changes of the pool itself (its instance type) go blue/green like any endpoint; the models roll
      // through their components' rolling updates.
      deploymentConfig: {
        blueGreenUpdatePolicy: blueGreenUpdatePolicy(deployment),
        // The members' SLO alarms, added as the components are made (addRollbackAlarm).
        autoRollbackConfiguration: Lazy.any({
          produce: () => (this.rollbackAlarms.length > 0 ? { alarms: this.rollbackAlarms.map((alarm) => ({ alarmName: alarm.alarmName })) } : undefined),
        }),
      },
    });
    this.endpointArn = this.endpoint.attrEndpointArn;
    this.node.addValidation({
      validate: () =>
        this.rollbackAlarms.length > MAX_ROLLBACK_ALARMS
          ? [`${this.endpointName}: ${this.rollbackAlarms.length} rollback alarms from its components; SageMaker AutoRollbackConfiguration takes at most ${MAX_ROLLBACK_ALARMS}: put fewer models in the pool`]
          : [],
    });
  }

  /** Rolls a change of the pool endpoint back when `alarm` fires (a member's SLO alarm). */
  addRollbackAlarm(alarm: cloudwatch.IAlarm): void {
    this.rollbackAlarms.push(alarm);
  }
}

/** The members' component plans; every member must be hosted on this one pool, on one instance type. */
function validatePoolMembers(scope: Construct, members: readonly ResolvedEndpoint[]): AwsInferenceComponentPlan[] {
  const problems: PropProblem[] = [];
  if (members.length === 0) problems.push({ path: 'members', message: 'needs at least one endpoint' });
  const plans = members.flatMap((m, i) => {
    if (!m.aws.inferenceComponent) {
      problems.push({ path: `members[${i}].aws.inferenceComponent`, message: `endpoint ${m.name} is not hosted as an inference component (scaling.min 0 or sharing)` });
      return [];
    }
    return [m.aws.inferenceComponent];
  });
  members.forEach((m, i) => {
    if (m.aws.endpointName !== members[0].aws.endpointName) {
      problems.push({ path: `members[${i}].aws.endpointName`, message: `must be the pool's endpoint ${members[0].aws.endpointName}, got ${m.aws.endpointName}` });
    }
    const type = m.aws.inferenceComponent?.poolInstances.instanceType;
    if (plans[0] && type !== undefined && type !== plans[0].poolInstances.instanceType) {
      problems.push({ path: `members[${i}].aws.inferenceComponent.poolInstances.instanceType`, message: `must be the pool's ${plans[0].poolInstances.instanceType}, got ${type}` });
    }
  });
  throwIfProblems(scope, problems);
  return plans;
}

function newSecurityGroup(scope: Construct, vpc: ec2.IVpc, endpointName: string): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, 'SecurityGroup', { vpc, description: `${endpointName} inference components`, allowAllOutbound: false });
  // HTTPS out only; in an isolated VPC the only HTTPS destinations are its VPC endpoints.
  group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to VPC endpoints');
  return group;
}
