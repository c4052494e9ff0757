/** kms-key-rotation: Cloud KMS keys rotate at least every 90 days. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../private/props';
import { TYPES } from '../resource-types';

/** Cloud KMS rotation at most every 90 days (KMS-01, CKV_GCP_43). */
export const MAX_ROTATION_SECONDS = 7_776_000;

/** Seconds of a protobuf Duration string such as "7776000s". */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

export const kmsRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Cloud KMS keys rotate at least every 90 days (KMS-01, CKV_GCP_43).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.cryptoKey], (props, report) => {
    const seconds = durationSeconds(props.rotationPeriod);
    if (seconds === undefined) report(`KMS key without a rotationPeriod (got ${JSON.stringify(props.rotationPeriod)}): set at most "${MAX_ROTATION_SECONDS}s".`);
    else if (seconds > MAX_ROTATION_SECONDS) report(`KMS key rotates every ${seconds} s: at most ${MAX_ROTATION_SECONDS} s (90 days).`);
  }),
};
