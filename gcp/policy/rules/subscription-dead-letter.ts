/** subscription-dead-letter: every subscription dead-letters and backs off, except those on a dead-letter topic. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, labelsOf, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

/** Pub/Sub accepts 5–100 delivery attempts (DeadLetterPolicy.max_delivery_attempts, cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions). */
export const DELIVERY_ATTEMPTS = { min: 5, max: 100 } as const;

/** Label that marks a subscription on a dead-letter topic (set by WorkQueue). */
export const DEAD_LETTER_ROLE_LABEL = { key: 'role', value: 'dead-letter' } as const;

/**
 * Every subscription dead-letters after 5–100 attempts and retries with backoff. Exception: a
 * subscription on a dead-letter topic (labelled role=dead-letter), whose messages already failed
 * every attempt; dead-lettering them again would only move them in a circle. They wait there for
 * inspection and replay, and an alert fires on any backlog. The retry policy applies to them too.
 */
export const subscriptionDeadLetter: ResourceValidationPolicy = {
  name: 'subscription-dead-letter',
  description: 'Every Pub/Sub subscription has a dead-letter topic (5–100 attempts) and a retry policy, except subscriptions on a dead-letter topic (Q-01, Q-03).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.subscription], (props, report) => {
    if (!nonEmpty(get(props, 'retryPolicy.minimumBackoff'))) report('Subscription without retryPolicy.minimumBackoff: redeliveries would not back off.');
    if (labelsOf(props)[DEAD_LETTER_ROLE_LABEL.key] === DEAD_LETTER_ROLE_LABEL.value) return;
    if (!nonEmpty(get(props, 'deadLetterPolicy.deadLetterTopic'))) {
      report('Subscription without deadLetterPolicy.deadLetterTopic: poison messages would be redelivered forever.');
      return;
    }
    const attempts = get(props, 'deadLetterPolicy.maxDeliveryAttempts');
    if (typeof attempts !== 'number' || attempts < DELIVERY_ATTEMPTS.min || attempts > DELIVERY_ATTEMPTS.max) {
      report(`deadLetterPolicy.maxDeliveryAttempts is ${String(attempts)}: Pub/Sub allows ${DELIVERY_ATTEMPTS.min}–${DELIVERY_ATTEMPTS.max}.`);
    }
  }),
};
