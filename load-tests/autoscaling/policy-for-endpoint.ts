/** The autoscaling policy each cloud applies to one variant of a resolved endpoint. */
import type { Cloud, ResolvedEndpoint, ResolvedVariant } from '../../constructs';
import type { AutoscalingPolicy } from './policy';
import { sageMakerTargetTracking } from './sagemaker-target-tracking';
import { vertexAutoscaler } from './vertex-autoscaler';

/**
 * Each variant scales on its own with the endpoint's bounds and target, on both clouds (SageMaker
 * registers one scalable target per production variant; Vertex scales each deployed model).
 */
export function policyFor(cloud: Cloud, endpoint: ResolvedEndpoint, variant: ResolvedVariant): AutoscalingPolicy {
  if (cloud === 'aws') {
    return sageMakerTargetTracking({
      metric: { ...endpoint.aws.scalingMetric, targetValue: variant.aws.scalingTargetValue },
      minCapacity: endpoint.scaling.min,
      maxCapacity: endpoint.scaling.max,
      scaleInCooldownSeconds: endpoint.scaling.scaleInCooldownSeconds,
      scaleOutCooldownSeconds: endpoint.scaling.scaleOutCooldownSeconds,
      provisioningSeconds: variant.shape.provisioningSeconds.aws,
      vcpus: variant.shape.aws.vcpus,
      acceleratorCount: variant.shape.accelerator.count,
    });
  }
  return vertexAutoscaler({
    metricSpecs: endpoint.gcp.autoscalingMetricSpecs,
    minReplicas: endpoint.scaling.min,
    maxReplicas: endpoint.scaling.max,
    provisioningSeconds: variant.shape.provisioningSeconds.gcp,
  });
}
