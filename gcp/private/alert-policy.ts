/**
 * An alert policy of a component (alerts live with what they watch, as AWS alarms do), notifying
 * every channel of the topology's `AlertDestination`, and its threshold condition in the
 * resolved alarm evaluation.
 */
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { consecutiveBreachSeconds, type AlarmEvaluation } from '../../constructs';
import type { ServingContext } from '../serving-context';
import type { AlertDestination } from '../serving-monitoring';

export interface AlertSpec {
  /** The policy's name is `${component name}-${suffix}`. */
  readonly suffix: string;
  /** The id ServingMonitoring created the policy under, before alerts moved to their components. */
  readonly formerId: string;
  readonly displayName: string;
  readonly condition: gcp.types.input.monitoring.AlertPolicyCondition;
  /** What to do when it fires (Markdown). */
  readonly runbook: string;
}

export function newAlertPolicy(
  parent: pulumi.ComponentResource,
  name: string,
  spec: AlertSpec,
  alerts: AlertDestination,
  context: Pick<ServingContext, 'project' | 'labels'>,
): gcp.monitoring.AlertPolicy {
  return new gcp.monitoring.AlertPolicy(
    `${name}-${spec.suffix}`,
    {
      project: context.project,
      displayName: spec.displayName,
      combiner: 'OR',
      severity: 'ERROR',
      conditions: [spec.condition],
      notificationChannels: [...alerts.notificationChannels],
      documentation: { mimeType: 'text/markdown', content: spec.runbook },
      userLabels: context.labels,
    },
    { parent, aliases: alerts.formerPolicy ? [alerts.formerPolicy(spec.formerId)] : [] },
  );
}

type Aggregation = Pick<gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdAggregation, 'perSeriesAligner' | 'crossSeriesReducer'>;

export interface ThresholdSpec {
  readonly displayName: string;
  readonly filter: string;
  readonly aggregation: Aggregation;
  /** A ratio condition: the filter's series divided by this one's, aggregated the same way. */
  readonly denominatorFilter?: string;
  readonly thresholdValue: number;
  readonly evaluation: AlarmEvaluation;
}

/**
 * A condition that fires when the aligned series stays above the threshold for the evaluation's
 * breaching datapoints in a row: Cloud Monitoring has no M-of-N rule (alarm-evaluation.ts).
 */
export function thresholdCondition(spec: ThresholdSpec): gcp.types.input.monitoring.AlertPolicyCondition {
  const aggregations = [{ alignmentPeriod: `${spec.evaluation.periodSeconds}s`, ...spec.aggregation }];
  return {
    displayName: spec.displayName,
    conditionThreshold: {
      filter: spec.filter,
      aggregations,
      ...(spec.denominatorFilter !== undefined && { denominatorFilter: spec.denominatorFilter, denominatorAggregations: aggregations }),
      comparison: 'COMPARISON_GT',
      thresholdValue: spec.thresholdValue,
      duration: `${consecutiveBreachSeconds(spec.evaluation)}s`,
      trigger: { count: 1 },
    },
  };
}
