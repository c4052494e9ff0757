/**
 * `ModelEndpoint`: a SageMaker real-time, async or serverless endpoint built from the L1 resources,
 * because the alpha L2 has no deployment guardrails, async, data capture or serverless config.
 *
 * One `CfnModel` per variant (`variant-model.ts`), one `CfnEndpointConfig` (`endpoint-config.ts`;
 * immutable, so it and the models get generated names and are replaced on change), one `CfnEndpoint`
 * with the name clients use, updated blue/green with the topology's traffic routing and rolled back by
 * the endpoint's alarms (`endpoint-alarms.ts`). The grant and the metrics every endpoint offers,
 * owned or imported, live in `model-endpoint-base.ts`.
 *
 * Day two: the endpoint name follows the endpoint's mode and variant names (`resolveTopology`), so an
 * update that keeps the name keeps the variant names, as deployment guardrails require. A
 * `ScalingRelease` deregisters variants from Application Auto Scaling before an update changes their
 * instance type or removes them, which SageMaker rejects otherwise; their scalable targets carry the
 * instance type in their logical ids (`variant-scaling.ts`), so CloudFormation registers them again
 * after the update.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EndpointMode, ResolvedEndpoint } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { allowLogGroupEncryption, newComponentKey } from '../private/component-key';
import { ScalingRelease } from '../private/scaling-release';
import { newEndpointAlarms } from './endpoint-alarms';
import { newEndpointConfig } from './endpoint-config';
import { DATA_PREFIX, newAsyncTopics, newDataBucket, type AsyncTopics } from './endpoint-data';
import { newExecutionPolicy } from './execution-policy';
import { ModelEndpointBase, type IModelEndpoint } from './model-endpoint-base';
import { validateModelEndpointProps } from './model-endpoint-problems';
import { newVariantModel } from './variant-model';
import { newVariantScaling } from './variant-scaling';
import { blueGreenUpdatePolicy } from './blue-green-update';

export interface ModelEndpointProps {
  /** The resolved endpoint: variants, instance types, scaling, rollout, SLO, data capture and the AWS plan. */
  readonly endpoint: ResolvedEndpoint;
  /** The VPC the models' network interfaces live in (serverless variants run outside any VPC). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the models' network interfaces; SageMaker wants at least two zones.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the models' network interfaces.
   * @default - a new group with no inbound rules and HTTPS outbound only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Topic every alarm of the endpoint notifies. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Queue that receives the async endpoint's success and error notifications (through SNS). When it is
   * an `sqs.Queue` with a dead-letter queue, undeliverable notifications go there.
   * @default - none; required when the endpoint's mode is async
   */
  readonly asyncResultQueue?: sqs.IQueue;
  /**
   * Key for the instance volumes (where the instance type allows), the data bucket (captures, async
   * requests and results), async notifications, and the endpoint's log group.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where server access logs of the data-capture / async-output bucket go.
   * @default - a new bucket, only when the endpoint captures data or runs async
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Retention of the endpoint's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the key, the log group and the data bucket when they leave the stack. Retained by
   * default: captured requests are evidence and the key is the only way to read them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An endpoint another stack (or no stack) deployed, as `ModelEndpoint.fromEndpointAttributes` takes it. */
export interface ModelEndpointAttributes {
  readonly endpointName: string;
  /**
   * The variant metrics measure when their options name none.
   * @default - none: every variant metric must name its variant
   */
  readonly variantName?: string;
}

export class ModelEndpoint extends ModelEndpointBase {
  /**
   * An endpoint deployed elsewhere, by name: grant on it and read its metrics as on an owned one
   * (variant metrics then need `variantName`). Its ARN is in this stack's account and region.
   */
  static fromEndpointName(scope: Construct, id: string, endpointName: string): IModelEndpoint {
    return ModelEndpoint.fromEndpointAttributes(scope, id, { endpointName });
  }

  /** An endpoint deployed elsewhere, with the variant its metrics measure by default. */
  static fromEndpointAttributes(scope: Construct, id: string, attrs: ModelEndpointAttributes): IModelEndpoint {
    class Import extends ModelEndpointBase {
      readonly endpointName = attrs.endpointName;
      readonly endpointArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: attrs.endpointName });
      protected readonly defaultVariantName = attrs.variantName;
    }
    return new Import(scope, id);
  }

  readonly endpoint: sagemaker.CfnEndpoint;
  readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The model of each variant, by variant name. */
  readonly models: Readonly<Record<string, sagemaker.CfnModel>>;
  readonly executionRole: iam.Role;
  /** The execution role's permissions (a customer-managed policy). */
  readonly executionPolicy: iam.ManagedPolicy;
  readonly encryptionKey: kms.IKey;
  readonly logGroup: logs.LogGroup;
  /** The endpoint name clients and load tests address (it changes only with the mode or the variant names). */
  readonly endpointName: string;
  /** How the endpoint is invoked: realtime and serverless through InvokeEndpoint, async through InvokeEndpointAsync. */
  readonly mode: EndpointMode;
  readonly endpointArn: string;
  /** p99 model latency above the SLO; one of the auto-rollback alarms. */
  readonly latencyAlarm: cloudwatch.Alarm;
  /** Error ratio above the SLO (5XX, or failed async requests); one of the auto-rollback alarms. */
  readonly errorRateAlarm: cloudwatch.Alarm;
  /** Application Auto Scaling targets by variant name (none for serverless variants). */
  readonly scalableTargets: Readonly<Record<string, appscaling.ScalableTarget>>;
  /** Deregisters variants before updates SageMaker rejects for registered variants; undefined when nothing scales. */
  readonly scalingRelease?: ScalingRelease;
  /** Network access of the models; undefined when no variant runs in the VPC. */
  readonly connections?: ec2.Connections;
  /** Bucket of captured requests, and of async requests, results and failures; when the endpoint captures data or runs async. */
  readonly dataBucket?: s3.Bucket;
  /**
   * Async mode: the S3 prefix (`s3://<data bucket>/async-input/`) clients upload requests below; the
   * object's URI is the `InputLocation` of InvokeEndpointAsync. See `grantInvokeAsync`.
   */
  readonly asyncInputLocation?: string;
  /** Async notification topics, when the mode is async. */
  readonly asyncTopics?: AsyncTopics;

  protected readonly defaultVariantName: string;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const spec = props.endpoint;
    validateModelEndpointProps(this, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const serverless = spec.mode === 'serverless';
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.endpointName = spec.aws.endpointName;
    this.mode = spec.mode;
    this.defaultVariantName = spec.variants[0].aws.variantName;

    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} volumes, captured data and logs`, removalPolicy);
    const logGroupName = `/aws/sagemaker/Endpoints/${this.endpointName}`;
    allowLogGroupEncryption(this.encryptionKey, logGroupName);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: logRetention,
      removalPolicy,
    });

    let vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined;
    if (!serverless) {
      const securityGroups = props.securityGroups ?? [this.newSecurityGroup(props.vpc)];
      this.connections = new ec2.Connections({ securityGroups });
      vpcConfig = {
        subnets: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
        securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      };
    }

    if (spec.dataCapture || spec.mode === 'async') {
      this.dataBucket = newDataBucket(this, { endpointName: this.endpointName, encryptionKey: this.encryptionKey, accessLogs: props.serverAccessLogsBucket, removalPolicy });
    }
    if (spec.mode === 'async' && this.dataBucket) {
      this.asyncInputLocation = this.dataBucket.s3UrlForObject(`${DATA_PREFIX.asyncInput}/`);
    }
    if (spec.mode === 'async' && props.asyncResultQueue) {
      this.asyncTopics = newAsyncTopics(this, this.encryptionKey, props.asyncResultQueue);
    }

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker execution role of ${this.endpointName}`,
    });
    this.executionPolicy = newExecutionPolicy(this, {
      spec,
      role: this.executionRole,
      logGroup: this.logGroup,
      encryptionKey: this.encryptionKey,
      dataBucket: this.dataBucket,
      asyncTopics: this.asyncTopics,
      inVpc: vpcConfig !== undefined,
    });

    const models: Record<string, sagemaker.CfnModel> = {};
    for (const variant of spec.variants) {
      models[variant.name] = newVariantModel(this, variant, { executionRole: this.executionRole, executionPolicy: this.executionPolicy, vpcConfig });
    }
    this.models = models;

    this.endpointConfig = newEndpointConfig(this, spec, { models, encryptionKey: this.encryptionKey, dataBucket: this.dataBucket, asyncTopics: this.asyncTopics });
    const alarms = newEndpointAlarms(this, spec, props.alarmTopic);
    this.latencyAlarm = alarms.latency;
    this.errorRateAlarm = alarms.errorRate;

    const deployment = spec.aws.deployment;
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // Keep the instance counts autoscaling chose when a new config rolls out (aws/aws-cdk #23151), but
      // take weights and data capture from the new config: those come from the topology.
      retainAllVariantProperties: true,
      excludeRetainedVariantProperties: [{ variantPropertyType: 'DesiredWeight' }, { variantPropertyType: 'DataCaptureConfig' }],
      deploymentConfig: {
        blueGreenUpdatePolicy: blueGreenUpdatePolicy(deployment),
        autoRollbackConfiguration: deployment.autoRollback
          ? { alarms: [this.latencyAlarm, this.errorRateAlarm].map((alarm) => ({ alarmName: alarm.alarmName })) }
          : undefined,
      },
    });
    this.endpointArn = this.endpoint.attrEndpointArn;
    if (!serverless) {
      this.scalingRelease = new ScalingRelease(this, 'ScalingRelease', {
        endpointName: this.endpointName,
        variants: spec.variants.map((v) => ({ variantName: v.aws.variantName, instanceType: v.aws.instanceType })),
        encryptionKey: this.encryptionKey,
        logRetention,
        removalPolicy,
      });
      this.endpoint.node.addDependency(this.scalingRelease.resource);
    }
    if (serverless && deployment.trafficRouting === 'ALL_AT_ONCE') {
      acknowledge(
        this.endpoint,
        'MLServe-SM3',
        'Serverless variants shift traffic blue/green all at once, with the bake and alarm rollback: canary and linear steps are sized in instance capacity, which a serverless variant does not have.',
      );
    }

    const targets: Record<string, appscaling.ScalableTarget> = {};
    if (!serverless) {
      for (const variant of spec.variants) targets[variant.name] = newVariantScaling(this, spec, variant, this.endpoint);
    }
    this.scalableTargets = targets;
  }

  /**
   * Lets `grantee` call a real-time or serverless endpoint: `sagemaker:InvokeEndpoint` on this
   * endpoint's ARN. An async endpoint takes requests only through InvokeEndpointAsync: use
   * `grantInvokeAsync` for it.
   */
  override grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.mode === 'async') {
      throw new Error(`${this.node.path}: grantInvoke is for realtime and serverless endpoints, and ${this.endpointName} is async; use grantInvokeAsync`);
    }
    return super.grantInvoke(grantee);
  }

  /**
   * Lets `grantee` run async inference end to end: upload a request below `asyncInputLocation`,
   * call the endpoint with it, and read the result or the failure SageMaker writes back.
   * - `sagemaker:InvokeEndpointAsync` on this endpoint's ARN;
   * - `s3:PutObject` on `async-input/*` of the data bucket;
   * - `s3:GetObject` on `async-output/*` and `async-failures/*` of the data bucket;
   * - `kms:GenerateDataKey` and `kms:Decrypt` on the endpoint's key, which encrypts the bucket and
   *   the results.
   * Async endpoints only: a realtime or serverless endpoint takes `grantInvoke`.
   */
  grantInvokeAsync(grantee: iam.IGrantable): iam.Grant {
    const bucket = this.dataBucket;
    if (this.mode !== 'async' || !bucket) {
      throw new Error(`${this.node.path}: grantInvokeAsync is for async endpoints, and ${this.endpointName} is ${this.mode}; use grantInvoke`);
    }
    const objects = (prefix: string): string => bucket.arnForObjects(`${prefix}/*`);
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpointAsync'], resourceArns: [this.endpointArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [objects(DATA_PREFIX.asyncInput)] }))
      .combine(
        iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects(DATA_PREFIX.asyncOutput), objects(DATA_PREFIX.asyncFailures)] }),
      )
      .combine(this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'));
  }

  private newSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `${this.endpointName} model containers`,
      allowAllOutbound: false,
    });
    // HTTPS out only; in an isolated VPC the only HTTPS destinations are its VPC endpoints.
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to VPC endpoints');
    return group;
  }
}
