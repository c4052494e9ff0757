/**
 * `InferenceComponentEndpoint`: one model hosted as a SageMaker inference component on an
 * `InferenceComponentPool`, scaled by copies, down to none when its topology says `scaling.min: 0`.
 * There is no L2 for inference components in aws-cdk-lib; this one offers what `ModelEndpoint` does
 * (`IModelEndpoint`: `grantInvoke`, the metrics, SLO alarms) on the component.
 *
 * Scaling, as SageMaker documents it for scale to zero
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html):
 * - a scalable target on `inference-component/<name>`, `sagemaker:inference-component:DesiredCopyCount`,
 *   min 0 for an endpoint at zero;
 * - target tracking on invocations or concurrent requests per copy, which also takes the last copy away;
 * - to wake: a step scaling policy (ChangeInCapacity +1, lower bound 0, Maximum, cooldown 60 s) on an
 *   alarm on `NoCapacityInvocationFailures` (AWS/SageMaker, InferenceComponentName, Sum over 60 s, one
 *   datapoint). The documentation's example alarms at more than 1; this one at 1 or more, so the first
 *   failed request wakes the model. Requests fail until a copy is in service.
 * A component is created with at least one copy (`initialCopyCount`); new models roll through copies
 * one at a time, rolled back by the component's SLO alarms (InferenceComponentDeploymentConfig).
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { AwsInferenceComponentPlan, EndpointMode, ResolvedEndpoint } from '../../constructs';
import { notifyTopic } from '../private/alarm-action';
import { INSTANCE_NAMESPACE, newMetric, type EndpointMetricDefinition } from '../private/endpoint-metrics';
import { throwIfProblems, type PropProblem } from '../private/problems';
import { newEndpointAlarms } from './endpoint-alarms';
import { InferenceComponentPool, POOL_VARIANT_NAME } from './inference-component-pool';
import { ModelEndpointBase } from './model-endpoint-base';
import { newVariantModel } from './variant-model';

/** The service-linked role Application Auto Scaling uses for SageMaker (variants and inference components). */
const SAGEMAKER_SCALING_ROLE = 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint';

/** The wake-from-zero step policy and alarm, as the scale-to-zero documentation sets them. */
const WAKE = { cooldown: Duration.seconds(60), alarmPeriod: Duration.seconds(60), threshold: 1 } as const;

export interface InferenceComponentEndpointProps {
  /** The resolved endpoint; its `aws.inferenceComponent` plan says how it is hosted. */
  readonly endpoint: ResolvedEndpoint;
  /**
   * The pool endpoint that hosts the component.
   * @default - a new pool of its own (child `Pool`), built from the VPC, key and log props below
   */
  readonly pool?: InferenceComponentPool;
  /** Topic the SLO alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /**
   * The VPC of a new pool; ignored when `pool` is given.
   * @default - required when `pool` is not given
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of a new pool.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Key of a new pool.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Log retention of a new pool.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Removal policy of a new pool's key and log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class InferenceComponentEndpoint extends ModelEndpointBase {
  /** The component: child `Resource`. */
  readonly component: sagemaker.CfnInferenceComponent;
  readonly model: sagemaker.CfnModel;
  readonly pool: InferenceComponentPool;
  /** The pool endpoint's name; requests name the component too (`componentName`). */
  readonly endpointName: string;
  readonly endpointArn: string;
  /** InvokeEndpoint InferenceComponentName. */
  readonly componentName: string;
  readonly mode: EndpointMode;
  readonly latencyAlarm: cloudwatch.Alarm;
  readonly errorRateAlarm: cloudwatch.Alarm;
  /** The copy count's scalable target. */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** Fires on the first request that finds no copy; undefined unless the endpoint may be at zero. */
  readonly wakeAlarm?: cloudwatch.Alarm;
  /** Components have no data bucket: data capture is for model variants. */
  readonly dataBucket?: undefined;
  readonly asyncInputLocation?: undefined;

  protected readonly defaultVariantName: string;
  private readonly plan: AwsInferenceComponentPlan;

  constructor(scope: Construct, id: string, props: InferenceComponentEndpointProps) {
    super(scope, id);
    const spec = props.endpoint;
    this.plan = validateProps(this, props);
    this.mode = spec.mode;
    this.componentName = this.plan.componentName;
    this.defaultVariantName = POOL_VARIANT_NAME;
    this.pool =
      props.pool ??
      new InferenceComponentPool(this, 'Pool', {
        members: [spec],
        vpc: props.vpc!,
        vpcSubnets: props.vpcSubnets,
        encryptionKey: props.encryptionKey,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
    this.endpointName = this.pool.endpointName;
    this.endpointArn = this.pool.endpointArn;

    const variant = spec.variants[0];
    this.model = newVariantModel(this, variant, { executionRole: this.pool.executionRole, executionPolicy: this.pool.executionPolicy, vpcConfig: this.pool.vpcConfig });

    const alarms = newEndpointAlarms(this, spec, props.alarmTopic);
    this.latencyAlarm = alarms.latency;
    this.errorRateAlarm = alarms.errorRate;
    if (spec.rollout.autoRollback) for (const alarm of [this.latencyAlarm, this.errorRateAlarm]) this.pool.addRollbackAlarm(alarm);

    const requirements = this.plan.computeResourceRequirements;
    this.component = new sagemaker.CfnInferenceComponent(this, 'Resource', {
      endpointName: this.pool.endpoint.attrEndpointName,
      inferenceComponentName: this.componentName,
      variantName: POOL_VARIANT_NAME,
      specification: {
        modelName: this.model.attrModelName,
        computeResourceRequirements: {
          numberOfCpuCoresRequired: requirements.numberOfCpuCoresRequired,
          minMemoryRequiredInMb: requirements.minMemoryRequiredInMb,
          numberOfAcceleratorDevicesRequired: requirements.numberOfAcceleratorDevicesRequired,
        },
      },
      runtimeConfig: { copyCount: this.plan.initialCopyCount },
      deploymentConfig: {
        rollingUpdatePolicy: {
          maximumBatchSize: { type: 'COPY_COUNT', value: 1 },
          rollbackMaximumBatchSize: { type: 'COPY_COUNT', value: 1 },
          waitIntervalInSeconds: spec.rollout.bakeSeconds,
          maximumExecutionTimeoutInSeconds: spec.aws.deployment.maximumExecutionTimeoutSeconds,
        },
        autoRollbackConfiguration: spec.rollout.autoRollback
          ? { alarms: [this.latencyAlarm, this.errorRateAlarm].map((alarm) => ({ alarmName: alarm.alarmName })) }
          : undefined,
      },
    });
    this.component.node.addDependency(this.pool.endpoint);

    this.scalableTarget = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `inference-component/${this.componentName}`,
      scalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
      minCapacity: this.plan.minCopies,
      maxCapacity: this.plan.maxCopies,
      role: iam.Role.fromRoleName(this, 'ScalingRole', SAGEMAKER_SCALING_ROLE, { mutable: false }),
    });
    // The name is ours, so the target waits for the component explicitly.
    this.scalableTarget.node.addDependency(this.component);
    this.scalableTarget.scaleToTrackMetric('TargetTracking', {
      predefinedMetric: this.plan.copyScalingMetric as appscaling.PredefinedMetric,
      targetValue: variant.aws.scalingTargetValue,
      scaleInCooldown: Duration.seconds(spec.scaling.scaleInCooldownSeconds),
      scaleOutCooldown: Duration.seconds(spec.scaling.scaleOutCooldownSeconds),
    });
    if (this.plan.minCopies === 0) this.wakeAlarm = this.newWakeFromZero(props.alarmTopic);
  }

  /** Requests that found no copy (Sum). Published when the component has no copy in service. */
  metricNoCapacityInvocationFailures(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return newMetric(NO_CAPACITY_FAILURES, { InferenceComponentName: this.componentName }, props);
  }

  /**
   * Invocation metrics of a component are published by its name (InferenceComponentName); instance
   * metrics stay the pool variant's.
   */
  protected override metricOfVariant(definition: EndpointMetricDefinition, variantName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    const dimensions: Record<string, string> =
      definition.namespace === INSTANCE_NAMESPACE ? { EndpointName: this.endpointName, VariantName: variantName } : { InferenceComponentName: this.componentName };
    return newMetric(definition, dimensions, options);
  }

  private newWakeFromZero(topic: sns.ITopic): cloudwatch.Alarm {
    const wake = new appscaling.StepScalingAction(this, 'WakeFromZero', {
      scalingTarget: this.scalableTarget,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
      cooldown: WAKE.cooldown,
    });
    wake.addAdjustment({ adjustment: 1, lowerBound: 0 });
    const alarm = new cloudwatch.Alarm(this, 'WakeAlarm', {
      alarmDescription: `${this.componentName}: a request found no copy in service; add one`,
      metric: this.metricNoCapacityInvocationFailures({ period: WAKE.alarmPeriod }),
      threshold: WAKE.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.ApplicationScalingAction(wake));
    // Waking is expected at zero; the topic hears of it so a flapping model is visible.
    notifyTopic(alarm, topic);
    return alarm;
  }
}

const NO_CAPACITY_FAILURES: EndpointMetricDefinition = { namespace: 'AWS/SageMaker', metricName: 'NoCapacityInvocationFailures', statistic: 'Sum' };

function validateProps(scope: Construct, props: InferenceComponentEndpointProps): AwsInferenceComponentPlan {
  const problems: PropProblem[] = [];
  const plan = props.endpoint.aws.inferenceComponent;
  if (!plan) problems.push({ path: 'endpoint.aws.inferenceComponent', message: `endpoint ${props.endpoint.name} is not hosted as an inference component (scaling.min 0 or sharing)` });
  if (!props.pool && !props.vpc) problems.push({ path: 'vpc', message: 'required when no pool is given: the new pool runs in it' });
  if (props.endpoint.variants.length !== 1) problems.push({ path: 'endpoint.variants', message: `a component serves one model, got ${props.endpoint.variants.length} variants` });
  if (props.endpoint.mode !== 'realtime') problems.push({ path: 'endpoint.mode', message: `components serve realtime requests, got ${props.endpoint.mode}` });
  throwIfProblems(scope, problems);
  return plan!;
}

