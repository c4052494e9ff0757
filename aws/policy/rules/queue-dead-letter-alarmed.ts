/**
 * MLServe-SQS1: every queue has a dead-letter queue, and every dead-letter queue has an alarm with
 * an action on `ApproximateNumberOfMessagesVisible`. Findings: NoDeadLetterQueue,
 * DeadLetterQueueNotAlarmed. cdk-nag's SQS3 accepts a dead-letter queue nobody watches.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, flatten, logicalIdOf, refersTo, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const queueDeadLetterAlarmed: MLServeRule = {
  id: 'SQS1',
  info: 'An SQS queue has no dead-letter queue, or a dead-letter queue has no alarm with an action.',
  explanation: 'Messages that keep failing must land somewhere and someone must hear about it (security rule Q-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnQueue)) return NagRuleCompliance.NOT_APPLICABLE;
    if (field(resolve(node, node.redrivePolicy), 'deadLetterTargetArn')) return NagRuleCompliance.COMPLIANT;
    if (!isDeadLetterQueue(node)) return ['NoDeadLetterQueue'];
    return hasActionedAlarm(node) ? NagRuleCompliance.COMPLIANT : ['DeadLetterQueueNotAlarmed'];
  },
};

/** Whether another queue in the stack dead-letters into `queue`. */
export function isDeadLetterQueue(queue: CfnQueue): boolean {
  const id = logicalIdOf(queue);
  return Stack.of(queue)
    .node.findAll()
    .some((c) => c instanceof CfnQueue && c !== queue && refersTo(flatten(field(resolve(c, c.redrivePolicy), 'deadLetterTargetArn')), id));
}

function hasActionedAlarm(queue: CfnQueue): boolean {
  const id = logicalIdOf(queue);
  return Stack.of(queue)
    .node.findAll()
    .some((c) => {
      if (!(c instanceof CfnAlarm)) return false;
      if (resolve(c, c.metricName) !== 'ApproximateNumberOfMessagesVisible' || resolve(c, c.namespace) !== 'AWS/SQS') return false;
      const actions = resolve(c, c.alarmActions);
      if (!Array.isArray(actions) || actions.length === 0) return false;
      const dimensions = resolve(c, c.dimensions);
      return Array.isArray(dimensions) && dimensions.some((d) => field(d, 'name') === 'QueueName' && refersTo(flatten(field(d, 'value')), id));
    });
}
