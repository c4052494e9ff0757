/**
 * SageMaker endpoint metric definitions, kept apart from the alarms and dashboards built from them.
 * Invocation metrics live in `AWS/SageMaker`, instance metrics in `/aws/sagemaker/Endpoints`, both
 * with EndpointName and VariantName dimensions (SageMaker Developer Guide, "Monitor Amazon
 * SageMaker AI with Amazon CloudWatch").
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

const INVOCATION_NAMESPACE = 'AWS/SageMaker';
export const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

/** Invocation metrics are published once a minute. */
export const INVOCATION_METRIC_PERIOD = Duration.minutes(1);

export interface EndpointMetricDefinition {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
}

export const ENDPOINT_METRICS = {
  invocations: { namespace: INVOCATION_NAMESPACE, metricName: 'Invocations', statistic: 'Sum' },
  invocation4xxErrors: { namespace: INVOCATION_NAMESPACE, metricName: 'Invocation4XXErrors', statistic: 'Sum' },
  invocation5xxErrors: { namespace: INVOCATION_NAMESPACE, metricName: 'Invocation5XXErrors', statistic: 'Sum' },
  invocationsPerInstance: { namespace: INVOCATION_NAMESPACE, metricName: 'InvocationsPerInstance', statistic: 'Sum' },
  // Async endpoints publish none of Invocations, InvocationsPerInstance and OverheadLatency; they publish
  // these instead (SageMaker Developer Guide, "Alarms and logs for tracking metrics from asynchronous endpoints").
  invocationsProcessed: { namespace: INVOCATION_NAMESPACE, metricName: 'InvocationsProcessed', statistic: 'Sum' },
  invocationFailures: { namespace: INVOCATION_NAMESPACE, metricName: 'InvocationFailures', statistic: 'Sum' },
  // ModelLatency and OverheadLatency are reported in microseconds.
  modelLatency: { namespace: INVOCATION_NAMESPACE, metricName: 'ModelLatency', statistic: 'p99' },
  overheadLatency: { namespace: INVOCATION_NAMESPACE, metricName: 'OverheadLatency', statistic: 'p99' },
  concurrentRequestsPerModel: { namespace: INVOCATION_NAMESPACE, metricName: 'ConcurrentRequestsPerModel', statistic: 'Maximum' },
  cpuUtilization: { namespace: INSTANCE_NAMESPACE, metricName: 'CPUUtilization', statistic: 'Average' },
  gpuUtilization: { namespace: INSTANCE_NAMESPACE, metricName: 'GPUUtilization', statistic: 'Average' },
  memoryUtilization: { namespace: INSTANCE_NAMESPACE, metricName: 'MemoryUtilization', statistic: 'Average' },
} as const satisfies Record<string, EndpointMetricDefinition>;

/**
 * Async endpoints' queue, published per endpoint (EndpointName dimension only): requests waiting, per
 * instance of the endpoint (Average).
 */
export const ASYNC_BACKLOG_PER_INSTANCE: EndpointMetricDefinition = {
  namespace: INVOCATION_NAMESPACE,
  metricName: 'ApproximateBacklogSizePerInstance',
  statistic: 'Average',
};

/** An endpoint-wide metric (EndpointName dimension only); the caller's options win. */
export function endpointMetric(definition: EndpointMetricDefinition, endpointName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return newMetric(definition, { EndpointName: endpointName }, options);
}

/** One variant's metric; the caller's options win over the definition's defaults. */
export function variantMetric(
  definition: EndpointMetricDefinition,
  endpointName: string,
  variantName: string,
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return newMetric(definition, { EndpointName: endpointName, VariantName: variantName }, options);
}

/** A metric with the given dimensions; the caller's options win. */
export function newMetric(definition: EndpointMetricDefinition, dimensionsMap: Record<string, string>, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: definition.namespace,
    metricName: definition.metricName,
    dimensionsMap,
    statistic: definition.statistic,
    period: INVOCATION_METRIC_PERIOD,
    ...options,
  });
}
