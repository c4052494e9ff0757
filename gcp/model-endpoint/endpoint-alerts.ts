/**
 * The alert policies of a model endpoint: p99 latency against its SLO and error rate against its
 * budget, evaluated as the resolved topology says (`alarmEvaluation`, the same on AWS).
 */
import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { consecutiveBreachSeconds, type ResolvedEndpoint } from '../../constructs';
import { newAlertPolicy, thresholdCondition } from '../private/alert-policy';
import type { ServingContext } from '../serving-context';
import type { AlertDestination } from '../serving-monitoring';

/** Vertex online-prediction metrics on the `aiplatform.googleapis.com/Endpoint` resource (Cloud Monitoring metrics list). */
export const VERTEX_ALERT_METRICS = {
  latency: 'aiplatform.googleapis.com/prediction/online/prediction_latencies',
  errors: 'aiplatform.googleapis.com/prediction/online/error_count',
  predictions: 'aiplatform.googleapis.com/prediction/online/prediction_count',
} as const;

export interface EndpointAlerts {
  readonly latency: gcp.monitoring.AlertPolicy;
  readonly errorRate: gcp.monitoring.AlertPolicy;
}

export function newEndpointAlerts(
  parent: pulumi.ComponentResource,
  name: string,
  endpoint: ResolvedEndpoint,
  endpointId: string,
  alerts: AlertDestination,
  context: ServingContext,
): EndpointAlerts {
  const e = endpoint;
  const resource = `resource.type = "aiplatform.googleapis.com/Endpoint" AND resource.labels.endpoint_id = "${endpointId}"`;
  const sustained = `for ${consecutiveBreachSeconds(e.alarmEvaluation) / 60} min`;
  const latency = newAlertPolicy(
    parent,
    name,
    {
      suffix: 'latency',
      formerId: `${e.name}-latency`,
      displayName: `${e.gcp.displayName}: p99 latency above ${e.slo.p99Ms} ms`,
      condition: thresholdCondition({
        displayName: `p99 prediction latency > ${e.slo.p99Ms} ms ${sustained}`,
        filter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.latency}"`,
        aggregation: { perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MAX' },
        thresholdValue: e.slo.p99Ms,
        evaluation: e.alarmEvaluation,
      }),
      runbook: `The p99 latency of ${e.gcp.displayName} broke its SLO (${e.slo.p99Ms} ms). Check replica count against maxReplicaCount and the rollout in progress.`,
    },
    alerts,
    context,
  );
  const errorRate = newAlertPolicy(
    parent,
    name,
    {
      suffix: 'errors',
      formerId: `${e.name}-errors`,
      displayName: `${e.gcp.displayName}: error rate above ${e.slo.errorRate}`,
      condition: thresholdCondition({
        displayName: `errors / predictions > ${e.slo.errorRate} ${sustained}`,
        filter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.errors}"`,
        denominatorFilter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.predictions}"`,
        aggregation: { perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' },
        thresholdValue: e.slo.errorRate,
        evaluation: e.alarmEvaluation,
      }),
      runbook: `The error rate of ${e.gcp.displayName} is above its budget (${e.slo.errorRate}). During a rollout, move traffic back to the previous model.`,
    },
    alerts,
    context,
  );
  return { latency, errorRate };
}
