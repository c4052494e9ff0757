/**
 * Retries are off unless asked for. When on, only throttles and 5xx answers are retried (the
 * classes the AWS SDK's standard mode retries; Vertex documents retrying 429 and 503), never a
 * ModelError or a validation error: repeating those only adds load. Backoff is capped
 * exponential with full jitter; the base and cap are the AWS SDK's (100 ms, 500 ms after a
 * throttle, 20 s; https://github.com/smithy-lang/smithy-typescript/blob/main/packages/util-retry/src/constants.ts).
 */
import type { Random } from '../replica/random';
import type { ErrorClass } from '../targets/error-classification';

export interface RetryPolicy {
  /** Extra attempts after the first. 0 = off. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly throttleBaseDelayMs: number;
  readonly maxDelayMs: number;
}

export const NO_RETRIES: RetryPolicy = { maxRetries: 0, baseDelayMs: 100, throttleBaseDelayMs: 500, maxDelayMs: 20_000 };

export function retryPolicy(maxRetries: number): RetryPolicy {
  return { ...NO_RETRIES, maxRetries };
}

export function isRetryable(errorClass: ErrorClass): boolean {
  return errorClass === 'throttled' || errorClass === 'server5xx';
}

/** Delay before the next attempt, after `failedAttempts` attempts have failed (1 for the first retry). */
export function backoffMs(policy: RetryPolicy, failedAttempts: number, errorClass: ErrorClass, random: Random): number {
  const base = errorClass === 'throttled' ? policy.throttleBaseDelayMs : policy.baseDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** (failedAttempts - 1));
  return random.uniform() * ceiling;
}
