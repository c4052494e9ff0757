/** The autoscaling policy each cloud applies to one variant of a resolved endpoint. */
import {
  assumptionSet,
  VERTEX_DEFAULT_UTILISATION_TARGET,
  VERTEX_METRICS,
  type AssumptionSet,
  type Cloud,
  type GcpEndpointPlan,
  type ResolvedEndpoint,
  type ResolvedVariant,
} from '../../constructs';
import type { EndpointUpdateLock } from './endpoint-update-lock';
import { assumptionParameter, type AutoscalingPolicy } from './policy';
import { withScaleToZero } from './scale-to-zero';
import { sageMakerTargetTracking } from './sagemaker-target-tracking';
import { vertexAutoscaler } from './vertex-autoscaler';

export interface PolicyOptions {
  /** The cloud's assumptions, at one sensitivity case. @default assumptionSet(cloud) (base) */
  readonly assumptions?: AssumptionSet;
  /** SageMaker: the lock the endpoint's variants share (one per endpoint). @default one of the variant's own */
  readonly updateLock?: EndpointUpdateLock;
}

/**
 * Each variant scales on its own with the endpoint's bounds and target, on both clouds (SageMaker
 * registers one scalable target per production variant; Vertex scales each deployed model); a
 * SageMaker endpoint's variants share its update lock.
 */
export function policyFor(cloud: Cloud, endpoint: ResolvedEndpoint, variant: ResolvedVariant, options: PolicyOptions = {}): AutoscalingPolicy {
  const assumptions = options.assumptions ?? assumptionSet(cloud);
  if (assumptions.cloud !== cloud) throw new Error(`assumptions: the set for ${assumptions.cloud} was given for ${cloud}`);
  const family = variant.shape.accelerator.type === 'none' ? 'cpu' : 'gpu';
  const idleSeconds = endpoint.scaling.idleSeconds;
  if (idleSeconds === undefined) return cloudPolicy(cloud, endpoint, variant, assumptions, family, endpoint.scaling.min, options.updateLock);
  // At min 0 the cloud's own policy scales from one replica up; scale to zero wraps it.
  const inner = cloudPolicy(cloud, endpoint, variant, assumptions, family, 1, options.updateLock);
  const scaleInDatapoints = 'alarm.sagemaker.scale-in-datapoints';
  const minute = 'metric.sagemaker-invocations.period-seconds';
  const vertexEvaluation = 'autoscaler.vertex.evaluation-interval-seconds';
  return withScaleToZero(inner, {
    idleSeconds: cloud === 'aws' ? assumptions.value(scaleInDatapoints) * assumptions.value(minute) : idleSeconds,
    wakeSeconds: assumptions.value('scale-to-zero.wake-seconds'),
    checkSeconds: cloud === 'aws' ? assumptions.value(minute) : assumptions.value(vertexEvaluation),
    parameters: [
      cloud === 'aws'
        ? assumptionParameter(assumptions, scaleInDatapoints)
        : { name: 'idleScaledownPeriod', value: idleSeconds, tag: 'V', source: 'resolved topology (scaling.idleSeconds)' },
      assumptionParameter(assumptions, 'scale-to-zero.wake-seconds'),
    ],
  });
}

function cloudPolicy(
  cloud: Cloud,
  endpoint: ResolvedEndpoint,
  variant: ResolvedVariant,
  assumptions: AssumptionSet,
  family: 'cpu' | 'gpu',
  min: number,
  updateLock: EndpointUpdateLock | undefined,
): AutoscalingPolicy {
  if (cloud === 'aws') {
    return sageMakerTargetTracking({
      metric: { ...endpoint.aws.scalingMetric, targetValue: variant.aws.scalingTargetValue },
      minCapacity: min,
      maxCapacity: endpoint.scaling.max,
      scaleInCooldownSeconds: endpoint.scaling.scaleInCooldownSeconds,
      scaleOutCooldownSeconds: endpoint.scaling.scaleOutCooldownSeconds,
      family,
      vcpus: variant.shape.aws.vcpus,
      acceleratorCount: variant.shape.accelerator.count,
      assumptions,
      updateLock,
    });
  }
  return vertexAutoscaler({
    metricSpecs: withVertexDefaults(endpoint.gcp.autoscalingMetricSpecs, variant.shape.accelerator.count > 0),
    minReplicas: min,
    maxReplicas: endpoint.scaling.max,
    family,
    assumptions,
  });
}

/**
 * The specs Vertex actually applies: the listed ones plus the utilisation defaults it keeps for
 * metrics not listed. [V] DedicatedResources.autoscalingMetricSpecs: "If machineSpec.accelerator_count
 * is above 0, the autoscaling will be based on both CPU utilization and accelerator's duty cycle
 * metrics … The default target value is 60 for both metrics. If machineSpec.accelerator_count is 0,
 * the autoscaling will be based on CPU utilization metric only with default target value 60 if not
 * explicitly set." That the defaults also hold beside a request_count spec is [U].
 */
export function withVertexDefaults(specs: GcpEndpointPlan['autoscalingMetricSpecs'], accelerated: boolean): GcpEndpointPlan['autoscalingMetricSpecs'] {
  const implicit = [VERTEX_METRICS.cpu, ...(accelerated ? [VERTEX_METRICS.gpu] : [])]
    .filter((metricName) => !specs.some((s) => s.metricName === metricName))
    .map((metricName) => ({ metricName, target: VERTEX_DEFAULT_UTILISATION_TARGET }));
  return [...specs, ...implicit];
}
