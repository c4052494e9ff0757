/**
 * A variant's scalable target and target-tracking policy. Their construct ids carry the instance
 * type: when it changes, the `ScalingRelease` has deregistered the variant before the endpoint update,
 * and CloudFormation creates the target afresh after it. Both are retained when they leave the
 * template, because the superseded target names the same variant as its successor and deleting it
 * in the clean-up phase would deregister the successor; a deleted endpoint takes its targets with it
 * (SageMaker Developer Guide, "Delete endpoints configured for auto scaling").
 */
import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import type { ResolvedEndpoint, ResolvedVariant } from '../../constructs';
import { pascalCase } from '../private/construct-ids';
import { ASYNC_BACKLOG_PER_INSTANCE, endpointMetric, ENDPOINT_METRICS, variantMetric } from '../private/endpoint-metrics';

/**
 * The service-linked role Application Auto Scaling uses for SageMaker variants; it creates it when the
 * first target is registered (Application Auto Scaling User Guide, "Service-linked roles").
 */
const SAGEMAKER_SCALING_ROLE = 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint';

/** The scaling of `variant` of `spec`, children `Scaling<Variant><InstanceType>` and `ScalingRole<Variant>` of `scope` (the endpoint). */
export function newVariantScaling(scope: Construct, spec: ResolvedEndpoint, variant: ResolvedVariant, endpoint: sagemaker.CfnEndpoint): appscaling.ScalableTarget {
  const scaling = spec.scaling;
  const plan = spec.aws.scalingMetric;
  const id = `${pascalCase(variant.name)}${pascalCase(variant.aws.instanceType.replace(/^ml\./, ''))}`;
  const target = new appscaling.ScalableTarget(scope, `Scaling${id}`, {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    resourceId: `endpoint/${endpoint.attrEndpointName}/variant/${variant.aws.variantName}`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    minCapacity: scaling.min,
    maxCapacity: scaling.max,
    role: iam.Role.fromRoleName(scope, `ScalingRole${pascalCase(variant.name)}`, SAGEMAKER_SCALING_ROLE, { mutable: false }),
  });
  const common = {
    targetValue: variant.aws.scalingTargetValue,
    scaleInCooldown: Duration.seconds(scaling.scaleInCooldownSeconds),
    scaleOutCooldown: Duration.seconds(scaling.scaleOutCooldownSeconds),
  };
  const policy =
    plan.kind === 'predefined'
      ? target.scaleToTrackMetric('TargetTracking', { ...common, predefinedMetric: plan.metric as appscaling.PredefinedMetric })
      : target.scaleToTrackMetric('TargetTracking', { ...common, customMetric: scalingMetric(plan, spec.aws.endpointName, variant) });
  for (const resource of [target.node.defaultChild, policy.node.defaultChild] as CfnResource[]) resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return target;
}

/** The metric a custom target-tracking policy follows: the endpoint's queue per instance, or a variant's utilisation. */
function scalingMetric(plan: Exclude<ResolvedEndpoint['aws']['scalingMetric'], { kind: 'predefined' }>, endpointName: string, variant: ResolvedVariant): cloudwatch.Metric {
  if (plan.kind === 'async-backlog') return endpointMetric(ASYNC_BACKLOG_PER_INSTANCE, endpointName);
  const definition = plan.metricName === 'CPUUtilization' ? ENDPOINT_METRICS.cpuUtilization : ENDPOINT_METRICS.gpuUtilization;
  return variantMetric(definition, endpointName, variant.aws.variantName);
}
