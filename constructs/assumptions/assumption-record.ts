/**
 * An assumption as `serving-stacks assumptions --json` and report.json print it:
 * `{ name, cloud, value, unit, source, verified, low?, high? }`, with the V/S/U tag kept beside `verified`.
 */
import type { Cloud } from '../parity';
import type { Assumption, SourceTag } from './assumption';

export interface AssumptionRecord {
  readonly name: string;
  readonly cloud: Cloud | 'both';
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  /** True only for [V]: a primary source says so. */
  readonly verified: boolean;
  readonly tag: SourceTag;
  readonly low?: number;
  readonly high?: number;
  readonly favourableEnd?: Assumption['favourableEnd'];
  readonly description: string;
}

export function assumptionRecord(a: Assumption): AssumptionRecord {
  return {
    name: a.name,
    cloud: a.cloud,
    value: a.value,
    unit: a.unit,
    source: a.source,
    verified: a.tag === 'V',
    tag: a.tag,
    ...(a.low !== undefined && { low: a.low }),
    ...(a.high !== undefined && { high: a.high }),
    ...(a.favourableEnd !== undefined && { favourableEnd: a.favourableEnd }),
    description: a.description,
  };
}
