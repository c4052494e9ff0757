/**
 * The endpoint's SLO alarms, built from its own metrics: p99 model latency and the error ratio over
 * every variant. Both notify the alarm topic and are the endpoint's auto-rollback alarms.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ResolvedEndpoint } from '../../constructs';
import { notifyTopic } from '../private/alarm-action';
import { INVOCATION_METRIC_PERIOD } from '../private/endpoint-metrics';
import type { IModelEndpoint } from './model-endpoint-base';

export interface EndpointAlarms {
  /** p99 model latency above the SLO. */
  readonly latency: cloudwatch.Alarm;
  /** Error ratio above the SLO (5XX, or failed async requests). */
  readonly errorRate: cloudwatch.Alarm;
}

/** The SLO alarms of `spec`, children of `endpoint`, notifying `topic`. */
export function newEndpointAlarms(endpoint: IModelEndpoint, spec: ResolvedEndpoint, topic: sns.ITopic): EndpointAlarms {
  return { latency: newLatencyAlarm(endpoint, spec, topic), errorRate: newErrorRateAlarm(endpoint, spec, topic) };
}

/** p99 ModelLatency above the SLO. ModelLatency is in microseconds, the SLO in milliseconds. */
function newLatencyAlarm(endpoint: IModelEndpoint, spec: ResolvedEndpoint, topic: sns.ITopic): cloudwatch.Alarm {
  const latencies = spec.variants.map((v) => endpoint.metricModelLatency({ variantName: v.aws.variantName }));
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
  return newSloAlarm(endpoint, 'LatencyAlarm', spec, topic, {
    alarmDescription: `${endpoint.endpointName}: p99 model latency above the ${spec.slo.p99Ms} ms SLO`,
    metric,
    threshold: spec.slo.p99Ms * 1000,
  });
}

/**
 * The error ratio above the SLO, over all variants: Invocation5XXErrors / Invocations, or for async
 * endpoints, which publish neither Invocations nor a 5XX count of their queue, InvocationFailures /
 * (InvocationsProcessed + InvocationFailures). Counting failures in the denominator keeps the ratio
 * defined, and the alarm firing, when every request fails (`processed` may count successes only [U]).
 */
function newErrorRateAlarm(endpoint: IModelEndpoint, spec: ResolvedEndpoint, topic: sns.ITopic): cloudwatch.Alarm {
  const async = spec.mode === 'async';
  const variants = spec.variants.map((v) => v.aws.variantName);
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  variants.forEach((variantName, i) => {
    usingMetrics[`e${i}`] = async ? endpoint.metricInvocationFailures({ variantName }) : endpoint.metricInvocation5XXErrors({ variantName });
    usingMetrics[`n${i}`] = async ? endpoint.metricInvocationsProcessed({ variantName }) : endpoint.metricInvocations({ variantName });
  });
  // SUM over an array of series adds them per datapoint; a single series is used as is.
  const total = (prefix: string): string => (variants.length === 1 ? `${prefix}0` : `SUM([${variants.map((_, i) => `${prefix}${i}`).join(', ')}])`);
  const requests = async ? `(${total('n')} + ${total('e')})` : total('n');
  return newSloAlarm(endpoint, 'ErrorRateAlarm', spec, topic, {
    alarmDescription: `${endpoint.endpointName}: ${async ? 'failed async request' : '5XX error'} ratio above the ${spec.slo.errorRate} SLO`,
    metric: new cloudwatch.MathExpression({
      expression: `IF(${requests} > 0, ${total('e')} / ${requests}, 0)`,
      usingMetrics,
      period: INVOCATION_METRIC_PERIOD,
      label: async ? 'failed async request ratio' : '5XX error ratio',
    }),
    threshold: spec.slo.errorRate,
  });
}

/**
 * An alarm above `threshold`, evaluated as the topology decided (`alarmEvaluation`), quiet without
 * data (no traffic breaks no SLO), notifying `topic`.
 */
function newSloAlarm(
  endpoint: IModelEndpoint,
  id: string,
  spec: ResolvedEndpoint,
  topic: sns.ITopic,
  props: Pick<cloudwatch.AlarmProps, 'alarmDescription' | 'metric' | 'threshold'>,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(endpoint, id, {
    ...props,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    evaluationPeriods: spec.alarmEvaluation.evaluationPeriods,
    datapointsToAlarm: spec.alarmEvaluation.datapointsToAlarm,
  });
  notifyTopic(alarm, topic);
  return alarm;
}
