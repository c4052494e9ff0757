/**
 * When an alarm fires, decided once for both clouds: CloudWatch alarms and Cloud Monitoring alert
 * policies read the same period, window and datapoints. How each cloud expresses the rule is in the
 * parity matrix (`endpoints[].slo`).
 */

/** An alarm breaches when `datapointsToAlarm` of the last `evaluationPeriods` datapoints, each `periodSeconds` long, cross the threshold. */
export interface AlarmEvaluation {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Endpoint latency and error-rate alarms: 2 of the last 3 one-minute datapoints, so one slow minute does not roll a deployment back. */
export const ENDPOINT_ALARM_EVALUATION: AlarmEvaluation = { periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 };

/** Dead letters: the first one-minute datapoint with a message waiting. */
export const DEAD_LETTER_ALARM_EVALUATION: AlarmEvaluation = { periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 };

/**
 * The Cloud Monitoring form of an evaluation: a threshold condition has no M-of-N rule, only a
 * duration for which every aligned point must breach (AlertPolicy conditionThreshold.duration, a
 * whole number of minutes), so M of N becomes M consecutive points.
 */
export function consecutiveBreachSeconds(evaluation: AlarmEvaluation): number {
  return evaluation.datapointsToAlarm * evaluation.periodSeconds;
}

/**
 * A pipeline's freshness SLO: the oldest waiting message older than the SLO for 2 of the last 3
 * minutes, so one slow batch does not page but a backlog that keeps ageing does.
 */
export const PIPELINE_LATENCY_ALARM_EVALUATION: AlarmEvaluation = { periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 };
