/**
 * `ModelEndpoint`: a SageMaker real-time, async or serverless endpoint built from the L1 resources,
 * because the alpha L2 has no deployment guardrails, async, data capture or serverless config.
 *
 * One `CfnModel` per variant, one `CfnEndpointConfig` (immutable, so it and the models get
 * generated names and are replaced on change), one `CfnEndpoint` with the name clients use,
 * updated blue/green with the topology's traffic routing and rolled back by the endpoint's alarms.
 *
 * Day two: the endpoint name follows the endpoint's mode and variant names (`resolveTopology`), so an
 * update that keeps the name keeps the variant names, as deployment guardrails require. A
 * `ScalingRelease` deregisters variants from Application Auto Scaling before an update changes their
 * instance type or removes them, which SageMaker rejects otherwise; their scalable targets carry the
 * instance type in their logical ids, so CloudFormation registers them again after the update.
 */
import { type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_ASYNC_INVOCATIONS_PER_INSTANCE, type EndpointMode, type ResolvedEndpoint, type ResolvedVariant } from '../constructs';
import { newAccessLogsBucket } from './private/access-logs-bucket';
import { acknowledge } from './private/acknowledge';
import { bucketRemoval } from './private/bucket-removal';
import { notifyTopic } from './private/alarm-action';
import { allowLogGroupEncryption, newComponentKey } from './private/component-key';
import { pascalCase } from './private/construct-ids';
import { parseEcrImageUri } from './private/ecr-image';
import {
  ASYNC_BACKLOG_PER_INSTANCE,
  endpointMetric,
  ENDPOINT_METRICS,
  INSTANCE_NAMESPACE,
  INVOCATION_METRIC_PERIOD,
  variantMetric,
  type EndpointMetricDefinition,
} from './private/endpoint-metrics';
import { wildcardResourceFinding } from './private/policy-findings';
import { throwIfProblems, type PropProblem } from './private/problems';
import { parseS3Uri } from './private/s3-location';
import { ScalingRelease } from './private/scaling-release';

/** Options for a variant metric; everything else is `cloudwatch.MetricOptions`, applied last. */
export interface EndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant to measure.
   * @default - the endpoint's first variant
   */
  readonly variantName?: string;
}

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

/**
 * The service-linked role Application Auto Scaling uses for SageMaker variants; it creates it when the
 * first target is registered (Application Auto Scaling User Guide, "Service-linked roles").
 */
const SAGEMAKER_SCALING_ROLE = 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint';

/**
 * Key prefixes of the data bucket: SageMaker writes captured requests, async results and async
 * failures; clients upload async requests, which SageMaker then reads with the execution role.
 */
const DATA_PREFIX = { capture: 'data-capture', asyncInput: 'async-input', asyncOutput: 'async-output', asyncFailures: 'async-failures' } as const;

export class ModelEndpoint extends Construct {
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
  readonly asyncTopics?: { readonly success: sns.Topic; readonly error: sns.Topic };

  private readonly spec: ResolvedEndpoint;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const spec = props.endpoint;
    this.spec = spec;
    validate(this, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const serverless = spec.mode === 'serverless';
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.endpointName = spec.aws.endpointName;
    this.mode = spec.mode;

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
      this.dataBucket = this.newDataBucket(props.serverAccessLogsBucket, removalPolicy);
    }
    if (spec.mode === 'async' && this.dataBucket) {
      this.asyncInputLocation = this.dataBucket.s3UrlForObject(`${DATA_PREFIX.asyncInput}/`);
    }
    if (spec.mode === 'async' && props.asyncResultQueue) {
      this.asyncTopics = this.newAsyncTopics(props.asyncResultQueue);
    }

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker execution role of ${this.endpointName}`,
    });
    this.executionPolicy = this.newExecutionPolicy(vpcConfig !== undefined);

    const models: Record<string, sagemaker.CfnModel> = {};
    for (const variant of spec.variants) {
      models[variant.name] = this.newModel(variant, vpcConfig);
    }
    this.models = models;

    this.endpointConfig = this.newEndpointConfig(models);
    this.latencyAlarm = this.newLatencyAlarm(props.alarmTopic);
    this.errorRateAlarm = this.newErrorRateAlarm(props.alarmTopic);

    const deployment = spec.aws.deployment;
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // Keep the instance counts autoscaling chose when a new config rolls out (aws/aws-cdk #23151), but
      // take weights and data capture from the new config: those come from the topology.
      retainAllVariantProperties: true,
      excludeRetainedVariantProperties: [{ variantPropertyType: 'DesiredWeight' }, { variantPropertyType: 'DataCaptureConfig' }],
      deploymentConfig: {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: {
            type: deployment.trafficRouting,
            waitIntervalInSeconds: deployment.waitIntervalSeconds,
            canarySize: deployment.trafficRouting === 'CANARY' ? { type: 'CAPACITY_PERCENT', value: deployment.stepPercent } : undefined,
            linearStepSize: deployment.trafficRouting === 'LINEAR' ? { type: 'CAPACITY_PERCENT', value: deployment.stepPercent } : undefined,
          },
          maximumExecutionTimeoutInSeconds: deployment.maximumExecutionTimeoutSeconds,
          terminationWaitInSeconds: deployment.terminationWaitSeconds,
        },
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
      for (const variant of spec.variants) targets[variant.name] = this.newScaling(variant);
    }
    this.scalableTargets = targets;
  }

  /**
   * Lets `grantee` call a real-time or serverless endpoint: `sagemaker:InvokeEndpoint` on this
   * endpoint's ARN. An async endpoint takes requests only through InvokeEndpointAsync: use
   * `grantInvokeAsync` for it.
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.spec.mode === 'async') {
      throw new Error(`${this.node.path}: grantInvoke is for realtime and serverless endpoints, and ${this.endpointName} is async; use grantInvokeAsync`);
    }
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
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
    if (this.spec.mode !== 'async' || !bucket) {
      throw new Error(`${this.node.path}: grantInvokeAsync is for async endpoints, and ${this.endpointName} is ${this.spec.mode}; use grantInvoke`);
    }
    const objects = (prefix: string): string => bucket.arnForObjects(`${prefix}/*`);
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpointAsync'], resourceArns: [this.endpointArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [objects(DATA_PREFIX.asyncInput)] }))
      .combine(
        iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects(DATA_PREFIX.asyncOutput), objects(DATA_PREFIX.asyncFailures)] }),
      )
      .combine(this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'));
  }

  /** Any `AWS/SageMaker` metric of one variant (Average unless the options say otherwise). */
  metric(metricName: string, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric({ namespace: ENDPOINT_METRICS.invocations.namespace, metricName, statistic: 'Average' }, props);
  }

  /** Requests served per minute (Sum). Real-time and serverless endpoints only: async endpoints do not publish it. */
  metricInvocations(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocations, props);
  }

  /** Requests per minute divided by instances (Sum): the default target-tracking metric. Not published for async endpoints. */
  metricInvocationsPerInstance(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationsPerInstance, props);
  }

  /** Async requests processed per minute (Sum). Async endpoints only. */
  metricInvocationsProcessed(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationsProcessed, props);
  }

  /** Async requests that failed, per minute (Sum). Async endpoints only. */
  metricInvocationFailures(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocationFailures, props);
  }

  /** Queued async requests per instance, endpoint-wide (Average): what async endpoints scale on. Async endpoints only. */
  metricApproximateBacklogSizePerInstance(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return endpointMetric(ASYNC_BACKLOG_PER_INSTANCE, this.endpointName, props);
  }

  /** Requests the model answered with 4XX (Sum). */
  metricInvocation4XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocation4xxErrors, props);
  }

  /** Requests the model answered with 5XX (Sum). */
  metricInvocation5XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.invocation5xxErrors, props);
  }

  /** Time the model container took, in microseconds (p99). */
  metricModelLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.modelLatency, props);
  }

  /** Time SageMaker added around the model, in microseconds (p99). */
  metricOverheadLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.overheadLatency, props);
  }

  /** In-flight and queued requests per model copy, published every 10 seconds (Maximum). */
  metricConcurrentRequestsPerModel(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.concurrentRequestsPerModel, props);
  }

  /** CPU utilisation summed over cores, 0–100 × vCPUs (Average). */
  metricCpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.cpuUtilization, props);
  }

  /** GPU utilisation summed over GPUs, 0–100 × GPUs (Average). */
  metricGpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.gpuUtilization, props);
  }

  /** Memory utilisation of the instances, percent (Average). */
  metricMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_METRICS.memoryUtilization, props);
  }

  private variantMetric(definition: EndpointMetricDefinition, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...options } = props;
    return variantMetric(definition, this.endpointName, variantName ?? this.spec.variants[0].aws.variantName, options);
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

  private newDataBucket(accessLogs: s3.IBucket | undefined, removalPolicy: RemovalPolicy): s3.Bucket {
    const serverAccessLogsBucket = accessLogs ?? newAccessLogsBucket(this, 'AccessLogs', removalPolicy);
    const bucket = new s3.Bucket(this, 'DataBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket,
      serverAccessLogsPrefix: `${this.endpointName}/`,
      ...bucketRemoval(removalPolicy),
    });
    acknowledge(
      bucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Captured requests and async results are regional working data of a regional endpoint; a second copy in another region would widen who holds the data without a recovery need.',
    );
    acknowledge(
      bucket,
      'NIST.800.53.R5-S3BucketDefaultLockEnabled',
      'Object Lock would stop lifecycle clean-up of sampled captures and async results; the bucket is versioned and retained in production instead.',
    );
    return bucket;
  }

  private newAsyncTopics(queue: sqs.IQueue): { success: sns.Topic; error: sns.Topic } {
    const deadLetterQueue = queue instanceof sqs.Queue ? queue.deadLetterQueue?.queue : undefined;
    const topic = (id: string): sns.Topic => {
      const t = new sns.Topic(this, id, { masterKey: this.encryptionKey, enforceSSL: true });
      t.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: true, deadLetterQueue }));
      return t;
    };
    return { success: topic('AsyncSuccessTopic'), error: topic('AsyncErrorTopic') };
  }

  /**
   * The execution role's permissions, as a customer-managed policy (NIST IAMNoInlinePolicy): pull the
   * variants' images, read their artifacts, write this endpoint's logs and metrics, use this
   * endpoint's key, write captures and async results, read async requests, publish async
   * notifications, and manage the network interfaces SageMaker puts in the VPC. Never
   * AmazonSageMakerFullAccess.
   */
  private newExecutionPolicy(inVpc: boolean): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const statements: iam.PolicyStatement[] = [];
    const wildcardFindings: string[] = [];

    const repositories = [...new Set(this.spec.variants.map((v) => parseEcrImageUri(v.model.image.aws).repositoryArn))];
    statements.push(
      new iam.PolicyStatement({
        sid: 'PullModelImages',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: repositories,
      }),
      new iam.PolicyStatement({ sid: 'AuthenticateToEcr', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );

    const artifactObjects: string[] = [];
    const prefixListings: { bucketArn: string; prefix: string }[] = [];
    for (const variant of this.spec.variants) {
      const uri = variant.model.artifact?.aws;
      if (!uri) continue;
      const location = parseS3Uri(uri);
      const bucketArn = `arn:${stack.partition}:s3:::${location.bucket}`;
      if (location.isPrefix) {
        const objects = `${bucketArn}/${location.key}*`;
        artifactObjects.push(objects);
        wildcardFindings.push(wildcardResourceFinding(this, objects));
        prefixListings.push({ bucketArn, prefix: location.key });
      } else {
        artifactObjects.push(`${bucketArn}/${location.key}`);
      }
    }
    if (artifactObjects.length > 0) {
      statements.push(new iam.PolicyStatement({ sid: 'ReadModelArtifacts', actions: ['s3:GetObject'], resources: [...new Set(artifactObjects)] }));
    }
    for (const [i, { bucketArn, prefix }] of prefixListings.entries()) {
      statements.push(
        new iam.PolicyStatement({
          sid: `ListModelArtifacts${i}`,
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
        }),
      );
    }

    statements.push(
      new iam.PolicyStatement({
        sid: 'WriteEndpointLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'PublishInstanceMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': INSTANCE_NAMESPACE } },
      }),
      new iam.PolicyStatement({
        sid: 'UseEndpointKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.encryptionKey.keyArn],
      }),
    );

    const bucket = this.dataBucket;
    if (bucket) {
      const async = this.spec.mode === 'async';
      const objects = (prefix: string): string => bucket.arnForObjects(`${prefix}/*`);
      const written = [...(this.spec.dataCapture ? [DATA_PREFIX.capture] : []), ...(async ? [DATA_PREFIX.asyncOutput, DATA_PREFIX.asyncFailures] : [])].map(objects);
      statements.push(new iam.PolicyStatement({ sid: 'WriteCapturesAndResults', actions: ['s3:PutObject'], resources: written }));
      wildcardFindings.push(...written.map((o) => wildcardResourceFinding(this, o)));
      if (async) {
        // SageMaker reads each request from its InputLocation with this role (SageMaker Developer Guide,
        // async inference prerequisites). The bucket is encrypted with this endpoint's key, which
        // UseEndpointKey already lets the role decrypt with.
        const requests = objects(DATA_PREFIX.asyncInput);
        statements.push(new iam.PolicyStatement({ sid: 'ReadAsyncRequests', actions: ['s3:GetObject'], resources: [requests] }));
        wildcardFindings.push(wildcardResourceFinding(this, requests));
      }
    }
    if (this.asyncTopics) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'PublishAsyncNotifications',
          actions: ['sns:Publish'],
          resources: [this.asyncTopics.success.topicArn, this.asyncTopics.error.topicArn],
        }),
      );
    }
    if (inVpc) {
      // The permissions SageMaker needs to attach models to the VPC; EC2 offers no resource-level
      // scoping for the Describe calls (SageMaker Developer Guide, "Give SageMaker AI hosted endpoints
      // access to resources in your Amazon VPC").
      statements.push(
        new iam.PolicyStatement({
          sid: 'AttachToVpc',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:CreateNetworkInterfacePermission',
            'ec2:DeleteNetworkInterface',
            'ec2:DeleteNetworkInterfacePermission',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeVpcs',
            'ec2:DescribeDhcpOptions',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
          ],
          resources: ['*'],
        }),
      );
    }

    const policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: `What ${this.endpointName} needs to run its models`,
      statements,
      roles: [this.executionRole],
    });
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Only actions without resource-level permissions use "*": ecr:GetAuthorizationToken, cloudwatch:PutMetricData (pinned by the cloudwatch:namespace condition) and the EC2 network-interface calls SageMaker makes to attach models to the VPC.',
    );
    for (const finding of new Set(wildcardFindings)) {
      acknowledge(
        policy,
        finding,
        'SageMaker writes data-capture files and async results under generated object keys, reads async requests under the keys clients upload them to, and reads an uncompressed model directory by listing it; each wildcard is confined to one prefix of this endpoint.',
      );
    }
    return policy;
  }

  private newModel(variant: ResolvedVariant, vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined): sagemaker.CfnModel {
    const artifactUri = variant.model.artifact?.aws;
    const artifact = artifactUri ? parseS3Uri(artifactUri) : undefined;
    const isolated = vpcConfig !== undefined && variant.model.networkIsolation;
    const model = new sagemaker.CfnModel(this, `Model${pascalCase(variant.name)}`, {
      executionRoleArn: this.executionRole.roleArn,
      enableNetworkIsolation: isolated,
      vpcConfig,
      primaryContainer: {
        image: variant.model.image.aws,
        mode: 'SingleModel',
        environment: Object.keys(variant.model.environment).length > 0 ? { ...variant.model.environment } : undefined,
        modelDataUrl: artifact && !artifact.isPrefix ? artifactUri : undefined,
        modelDataSource:
          artifact && artifact.isPrefix
            ? { s3DataSource: { s3Uri: artifactUri!, s3DataType: 'S3Prefix', compressionType: 'None' } }
            : undefined,
      },
    });
    // The policy is attached by its own resource; SageMaker checks image and artifact access at creation.
    model.node.addDependency(this.executionPolicy);
    if (!vpcConfig) {
      acknowledge(
        model,
        'MLServe-SM2[NoVpcConfig]',
        'Serverless variants cannot attach to a VPC: SageMaker Serverless Inference excludes VPC configuration (SageMaker Developer Guide, serverless endpoints, feature exclusions).',
      );
      acknowledge(
        model,
        'MLServe-SM2[NetworkIsolationOff]',
        'Serverless variants cannot use network isolation: SageMaker Serverless Inference excludes it (SageMaker Developer Guide, serverless endpoints, feature exclusions).',
      );
    } else if (!variant.model.networkIsolation) {
      acknowledge(
        model,
        'MLServe-SM2[NetworkIsolationOff]',
        `The topology sets model.networkIsolation to false for variant "${variant.name}" because its container (${variant.model.image.aws}) needs the network at start-up; it still runs in the private subnets.`,
      );
    }
    return model;
  }

  private newEndpointConfig(models: Record<string, sagemaker.CfnModel>): sagemaker.CfnEndpointConfig {
    const spec = this.spec;
    const serverless = spec.mode === 'serverless';
    const config = new sagemaker.CfnEndpointConfig(this, 'Config', {
      kmsKeyId: spec.aws.volumeKms ? this.encryptionKey.keyArn : undefined,
      productionVariants: spec.variants.map((variant) => ({
        variantName: variant.aws.variantName,
        modelName: models[variant.name].attrModelName,
        initialVariantWeight: variant.weight,
        ...(serverless
          ? { serverlessConfig: { maxConcurrency: spec.serverless!.maxConcurrency, memorySizeInMb: spec.serverless!.memoryGiB * 1024 } }
          : { instanceType: variant.aws.instanceType, initialInstanceCount: spec.scaling.min }),
      })),
      dataCaptureConfig:
        spec.dataCapture && this.dataBucket
          ? {
              enableCapture: true,
              initialSamplingPercentage: spec.dataCapture.samplingPercent,
              destinationS3Uri: this.dataBucket.s3UrlForObject(DATA_PREFIX.capture),
              kmsKeyId: this.encryptionKey.keyArn,
              captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
            }
          : undefined,
      asyncInferenceConfig:
        spec.mode === 'async' && this.dataBucket && this.asyncTopics
          ? {
              outputConfig: {
                s3OutputPath: this.dataBucket.s3UrlForObject(DATA_PREFIX.asyncOutput),
                s3FailurePath: this.dataBucket.s3UrlForObject(DATA_PREFIX.asyncFailures),
                kmsKeyId: this.encryptionKey.keyArn,
                notificationConfig: { successTopic: this.asyncTopics.success.topicArn, errorTopic: this.asyncTopics.error.topicArn },
              },
              clientConfig: { maxConcurrentInvocationsPerInstance: spec.performance.concurrencyPerReplica },
            }
          : undefined,
    });
    if (!spec.aws.volumeKms) {
      const types = [...new Set(spec.variants.filter((v) => v.aws.localNvme).map((v) => v.aws.instanceType))].join(', ');
      acknowledge(
        config,
        'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
        `${types} ${types.includes(',') ? 'have' : 'has'} local NVMe instance storage, which SageMaker encrypts with a hardware key, and CreateEndpointConfig rejects a KmsKeyId for such instances (SageMaker API reference, CreateEndpointConfig KmsKeyId).`,
      );
    }
    return config;
  }

  /** p99 ModelLatency above the SLO. ModelLatency is in microseconds, the SLO in milliseconds. */
  private newLatencyAlarm(topic: sns.ITopic): cloudwatch.Alarm {
    const latencies = this.spec.variants.map((v) => this.metricModelLatency({ variantName: v.aws.variantName }));
    const metric =
      latencies.length === 1
        ? latencies[0]
        : new cloudwatch.MathExpression({
            // MAX over an array of series is the per-datapoint maximum: the slowest variant decides.
            expression: `MAX([${latencies.map((_, i) => `l${i}`).join(', ')}])`,
            usingMetrics: Object.fromEntries(latencies.map((m, i) => [`l${i}`, m])),
            period: INVOCATION_METRIC_PERIOD,
            label: 'p99 ModelLatency, slowest variant (µs)',
          });
    const alarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
      alarmDescription: `${this.endpointName}: p99 model latency above the ${this.spec.slo.p99Ms} ms SLO`,
      metric,
      threshold: this.spec.slo.p99Ms * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      evaluationPeriods: this.spec.alarmEvaluation.evaluationPeriods,
      datapointsToAlarm: this.spec.alarmEvaluation.datapointsToAlarm,
    });
    notifyTopic(alarm, topic);
    return alarm;
  }

  /**
   * The error ratio above the SLO, over all variants: Invocation5XXErrors / Invocations, or for async
   * endpoints, which publish neither Invocations nor a 5XX count of their queue, InvocationFailures /
   * (InvocationsProcessed + InvocationFailures). Counting failures in the denominator keeps the ratio
   * defined, and the alarm firing, when every request fails (`processed` may count successes only [U]).
   */
  private newErrorRateAlarm(topic: sns.ITopic): cloudwatch.Alarm {
    const async = this.spec.mode === 'async';
    const variants = this.spec.variants.map((v) => v.aws.variantName);
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    variants.forEach((variantName, i) => {
      usingMetrics[`e${i}`] = async ? this.metricInvocationFailures({ variantName }) : this.metricInvocation5XXErrors({ variantName });
      usingMetrics[`n${i}`] = async ? this.metricInvocationsProcessed({ variantName }) : this.metricInvocations({ variantName });
    });
    // SUM over an array of series adds them per datapoint; a single series is used as is.
    const total = (prefix: string): string => (variants.length === 1 ? `${prefix}0` : `SUM([${variants.map((_, i) => `${prefix}${i}`).join(', ')}])`);
    const requests = async ? `(${total('n')} + ${total('e')})` : total('n');
    const alarm = new cloudwatch.Alarm(this, 'ErrorRateAlarm', {
      alarmDescription: `${this.endpointName}: ${async ? 'failed async request' : '5XX error'} ratio above the ${this.spec.slo.errorRate} SLO`,
      metric: new cloudwatch.MathExpression({
        expression: `IF(${requests} > 0, ${total('e')} / ${requests}, 0)`,
        usingMetrics,
        period: INVOCATION_METRIC_PERIOD,
        label: async ? 'failed async request ratio' : '5XX error ratio',
      }),
      threshold: this.spec.slo.errorRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      evaluationPeriods: this.spec.alarmEvaluation.evaluationPeriods,
      datapointsToAlarm: this.spec.alarmEvaluation.datapointsToAlarm,
    });
    notifyTopic(alarm, topic);
    return alarm;
  }

  /**
   * A variant's scalable target and target-tracking policy. Their construct ids carry the instance
   * type: when it changes, the `ScalingRelease` has deregistered the variant before the endpoint update,
   * and CloudFormation creates the target afresh after it. Both are retained when they leave the
   * template, because the superseded target names the same variant as its successor and deleting it
   * in the clean-up phase would deregister the successor; a deleted endpoint takes its targets with it
   * (SageMaker Developer Guide, "Delete endpoints configured for auto scaling").
   */
  private newScaling(variant: ResolvedVariant): appscaling.ScalableTarget {
    const scaling = this.spec.scaling;
    const plan = this.spec.aws.scalingMetric;
    const id = `${pascalCase(variant.name)}${pascalCase(variant.aws.instanceType.replace(/^ml\./, ''))}`;
    const target = new appscaling.ScalableTarget(this, `Scaling${id}`, {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${this.endpoint.attrEndpointName}/variant/${variant.aws.variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: scaling.min,
      maxCapacity: scaling.max,
      role: iam.Role.fromRoleName(this, `ScalingRole${pascalCase(variant.name)}`, SAGEMAKER_SCALING_ROLE, { mutable: false }),
    });
    const common = {
      targetValue: variant.aws.scalingTargetValue,
      scaleInCooldown: Duration.seconds(scaling.scaleInCooldownSeconds),
      scaleOutCooldown: Duration.seconds(scaling.scaleOutCooldownSeconds),
    };
    const policy =
      plan.kind === 'predefined'
        ? target.scaleToTrackMetric('TargetTracking', { ...common, predefinedMetric: plan.metric as appscaling.PredefinedMetric })
        : target.scaleToTrackMetric('TargetTracking', { ...common, customMetric: this.scalingMetric(plan, variant) });
    for (const resource of [target.node.defaultChild, policy.node.defaultChild] as CfnResource[]) resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return target;
  }

  /** The metric a custom target-tracking policy follows: the endpoint's queue per instance, or a variant's utilisation. */
  private scalingMetric(plan: Exclude<ResolvedEndpoint['aws']['scalingMetric'], { kind: 'predefined' }>, variant: ResolvedVariant): cloudwatch.Metric {
    if (plan.kind === 'async-backlog') return endpointMetric(ASYNC_BACKLOG_PER_INSTANCE, this.endpointName);
    const definition = plan.metricName === 'CPUUtilization' ? ENDPOINT_METRICS.cpuUtilization : ENDPOINT_METRICS.gpuUtilization;
    return variantMetric(definition, this.endpointName, variant.aws.variantName);
  }
}

function validate(scope: Construct, props: ModelEndpointProps): void {
  const spec = props.endpoint;
  const problems: PropProblem[] = [];
  if (spec.mode === 'async' && !props.asyncResultQueue) {
    problems.push({ path: 'asyncResultQueue', message: 'required when endpoint.mode is async: success and error notifications feed it' });
  }
  if (spec.mode === 'async' && spec.performance.concurrencyPerReplica > MAX_ASYNC_INVOCATIONS_PER_INSTANCE) {
    problems.push({
      path: 'endpoint.performance.concurrencyPerReplica',
      message: `becomes MaxConcurrentInvocationsPerInstance, which SageMaker takes from 1 to ${MAX_ASYNC_INVOCATIONS_PER_INSTANCE}, got ${spec.performance.concurrencyPerReplica}`,
    });
  }
  if (spec.mode === 'serverless') {
    if (!spec.serverless) problems.push({ path: 'endpoint.serverless', message: 'required when endpoint.mode is serverless' });
    if (spec.dataCapture) {
      problems.push({ path: 'endpoint.dataCapture', message: 'SageMaker serverless endpoints do not support data capture; remove it or use mode realtime' });
    }
    if (spec.variants.length > 1) {
      problems.push({ path: 'endpoint.variants', message: `SageMaker serverless endpoints take one variant, got ${spec.variants.length}` });
    }
  }
  if (spec.scaling.min > spec.scaling.max) {
    problems.push({ path: 'endpoint.scaling.min', message: `must be <= scaling.max (${spec.scaling.max}), got ${spec.scaling.min}` });
  }
  for (const [i, variant] of spec.variants.entries()) {
    try {
      parseEcrImageUri(variant.model.image.aws);
    } catch (e) {
      problems.push({ path: `endpoint.variants[${i}].model.image.aws`, message: (e as Error).message });
    }
    const artifact = variant.model.artifact?.aws;
    if (artifact) {
      try {
        parseS3Uri(artifact);
      } catch (e) {
        problems.push({ path: `endpoint.variants[${i}].model.artifact.aws`, message: (e as Error).message });
      }
    }
  }
  throwIfProblems(scope, problems);
}
