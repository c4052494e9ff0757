/**
 * An endpoint's scaling: its replica bounds, and the target each cloud's autoscaler tracks for it.
 * The metric names and vendor figures are in `catalog/autoscaling-metrics.ts`.
 */
import { assumptionSet } from '../assumptions';
import { SAGEMAKER_SCALING_METRICS, SCALING_SAFETY_FACTOR, VERTEX_DEFAULT_UTILISATION_TARGET, VERTEX_METRICS } from '../catalog/autoscaling-metrics';
import type { InstanceShape } from '../catalog/instance-shapes';
import type { ParityNote } from '../parity';
import { IDLE_SECONDS } from '../scale-to-zero-rules';
import type { AwsEndpointPlan, GcpEndpointPlan, ResolvedScaling, ResolvedVariant } from '../resolved-topology';
import { defaultMinInstances, type EndpointSpec } from '../spec/topology-schema';
import { DEFAULT_MAX_INSTANCES } from '../spec/unset-defaults';

/** Spread of a replica's log-normal service time when nothing was measured (assumption `replica.service-time-log-sigma`). */
const SERVICE_TIME_LOG_SIGMA = assumptionSet('aws').value('replica.service-time-log-sigma');

/**
 * The request rate per replica a concurrency target stands for, by Little's law: in-flight requests
 * ÷ mean service time (median × e^(σ²/2) of the log-normal service time the simulator uses). It is the
 * one capacity figure both clouds' targets derive from: SageMaker tracks the concurrency itself,
 * Vertex, which cannot scale on in-flight requests, gets it as a request_count target per minute.
 */
export function requestsPerSecondAtConcurrency(concurrency: number, medianServiceTimeMs: number): number {
  const meanServiceSeconds = (medianServiceTimeMs * Math.exp((SERVICE_TIME_LOG_SIGMA * SERVICE_TIME_LOG_SIGMA) / 2)) / 1000;
  return concurrency / meanServiceSeconds;
}

export function resolveScaling(scaling: EndpointSpec['scaling'], production: boolean): ResolvedScaling {
  const min = scaling.min ?? defaultMinInstances(production);
  return {
    min,
    max: scaling.max ?? Math.max(min, production ? DEFAULT_MAX_INSTANCES.production : DEFAULT_MAX_INSTANCES.otherwise),
    target: scaling.target,
    scaleInCooldownSeconds: scaling.scaleInCooldownSeconds,
    scaleOutCooldownSeconds: scaling.scaleOutCooldownSeconds,
    maxRequestsPerSecondPerReplica: scaling.maxRequestsPerSecondPerReplica,
    ...(min === 0 && { idleSeconds: scaling.idleSeconds ?? IDLE_SECONDS.default }),
  };
}

/**
 * SageMaker's CPUUtilization and GPUUtilization sum a variant's cores and GPUs (0–100 × count), so
 * utilisation targets scale with them: every core of the instance, and the GPUs the model is sized
 * for (on an instance with more, a model that uses only its own must still reach the target).
 */
export function awsScalingTargetValue(target: ResolvedScaling['target'], shape: InstanceShape): number {
  if (target.metric === 'cpu') return target.value * shape.aws.vcpus;
  if (target.metric === 'gpu') return target.value * shape.accelerator.count;
  return target.value;
}

/**
 * Target tracking on AWS. Async endpoints publish no invocation or concurrency metrics: their
 * concurrency target tracks the queue, ApproximateBacklogSizePerInstance (the schema rejects an
 * invocations target for them).
 */
export function awsScalingMetric(e: EndpointSpec): AwsEndpointPlan['scalingMetric'] {
  switch (e.scaling.target.metric) {
    case 'invocations':
      return { kind: 'predefined', metric: SAGEMAKER_SCALING_METRICS.invocations };
    case 'concurrency':
      return e.mode === 'async'
        ? { kind: 'async-backlog', metricName: SAGEMAKER_SCALING_METRICS.asyncBacklog }
        : { kind: 'predefined', metric: SAGEMAKER_SCALING_METRICS.concurrency };
    case 'cpu':
      return { kind: 'instance', metricName: SAGEMAKER_SCALING_METRICS.cpu };
    case 'gpu':
      return { kind: 'instance', metricName: SAGEMAKER_SCALING_METRICS.gpu };
  }
}

/** Autoscaling on Vertex: its metric specs for the endpoint's target, with a parity note where the target is translated. */
export function gcpAutoscalingMetricSpecs(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  firstVariant: ResolvedVariant,
  path: string,
  parity: ParityNote[],
): GcpEndpointPlan['autoscalingMetricSpecs'] {
  let specs: GcpEndpointPlan['autoscalingMetricSpecs'];
  switch (scaling.target.metric) {
    case 'invocations':
      specs = [{ metricName: VERTEX_METRICS.requests, target: scaling.target.value }];
      break;
    case 'cpu':
      specs = [{ metricName: VERTEX_METRICS.cpu, target: scaling.target.value }];
      break;
    case 'gpu':
      specs = [{ metricName: VERTEX_METRICS.gpu, target: scaling.target.value }];
      break;
    case 'concurrency': {
      if (e.mode === 'async') {
        // SageMaker tracks an async endpoint's backlog, not requests in flight: no request rate to share.
        specs = asyncConcurrencySpecs(scaling, firstVariant, path, parity);
        break;
      }
      // Both clouds' targets come from one figure: the request rate per replica at the concurrency target.
      const serviceTimeMs = firstVariant.performance.serviceTimeMs;
      const perReplica = requestsPerSecondAtConcurrency(scaling.target.value, serviceTimeMs);
      specs = [{ metricName: VERTEX_METRICS.requests, target: perReplica * 60 }];
      parity.push({
        path: `${path}.scaling.target`,
        cloud: 'gcp',
        realisedAs: `request_count target ${Math.max(1, Math.round(perReplica * 60))} per minute per replica`,
        reason:
          `Vertex AI cannot scale on in-flight requests; ${scaling.target.value} in flight at a ${serviceTimeMs} ms median service time ` +
          `is ${Math.round(perReplica * 10) / 10} requests/s per replica (Little's law), the rate SageMaker's concurrency target stands for`,
      });
      break;
    }
  }
  // AutoscalingMetricSpec.target is an integer (a derived request-count target may not be).
  return specs.map((spec) => ({ metricName: spec.metricName, target: Math.max(1, Math.round(spec.target)) }));
}

/**
 * Vertex has no asynchronous endpoint; an async endpoint's backlog target becomes a request_count
 * target from measured capacity (MAX_RPS × safety factor × 60), or utilisation at Vertex's default.
 */
function asyncConcurrencySpecs(scaling: ResolvedScaling, firstVariant: ResolvedVariant, path: string, parity: ParityNote[]): GcpEndpointPlan['autoscalingMetricSpecs'] {
  const measured = scaling.maxRequestsPerSecondPerReplica;
  const utilisation = firstVariant.shape.accelerator.type !== 'none' ? VERTEX_METRICS.gpu : VERTEX_METRICS.cpu;
  const specs = measured
    ? [{ metricName: VERTEX_METRICS.requests, target: Math.round(measured * SCALING_SAFETY_FACTOR * 60) }]
    : [{ metricName: utilisation, target: VERTEX_DEFAULT_UTILISATION_TARGET }];
  parity.push({
    path: `${path}.scaling.target`,
    cloud: 'gcp',
    realisedAs: `${specs[0].metricName.split('/').slice(-2).join('/')} target ${specs[0].target}`,
    reason: measured
      ? `Vertex AI cannot scale on a backlog; the measured capacity becomes a request-count target (MAX_RPS × ${SCALING_SAFETY_FACTOR} × 60)`
      : `Vertex AI cannot scale on a backlog and no measured capacity (scaling.maxRequestsPerSecondPerReplica) is given, so it scales on utilisation at its ${VERTEX_DEFAULT_UTILISATION_TARGET} % default`,
  });
  return specs;
}
