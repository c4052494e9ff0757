/**
 * Resource types whose replacement or deletion loses data or the means to read it: those our DATA-01
 * rule retains in production (caches, collections, indexes, databases, keys, buckets) and those the
 * CloudFormation resource specification marks stateful (queues hold messages in flight). Log groups
 * are stateful there but left out here: a SageMaker endpoint logs to a group named after it, so a new
 * endpoint name starts a new log by design, and the old group follows its removal policy.
 */
import { STATEFUL_TYPES } from '../policy/resource-types';
import { isStatefulType } from './resource-spec';

const OPERATIONAL_RECORDS: readonly string[] = ['AWS::Logs::LogGroup'];

export function holdsData(type: string): boolean {
  return STATEFUL_TYPES.includes(type) || (isStatefulType(type) && !OPERATIONAL_RECORDS.includes(type));
}
