/**
 * One modelling assumption the comparison rests on: a named number with its unit and its source.
 * Both clouds' autoscaling policies, the replica model (emulator and simulator) and the cost model
 * read their assumptions through an AssumptionSet, so a sensitivity run can move every unverified
 * value to the end of its range without touching the models.
 */
import type { Cloud } from '../parity';

/** [V] a primary source says so; [S] a secondary source; [U] unverified or derived. */
export type SourceTag = 'V' | 'S' | 'U';

/** Which end of an unverified range a cloud would rather have: `lower` when a smaller value favours it. */
export type FavourableEnd = 'lower' | 'higher';

export interface Assumption {
  /** Dotted, stable name, e.g. `provisioning.cpu-instance`. */
  readonly name: string;
  /** The cloud the value applies to, or `both` when no source distinguishes the clouds. */
  readonly cloud: Cloud | 'both';
  readonly value: number;
  readonly unit: string;
  /** A public URL, or a file inside this repository. */
  readonly source: string;
  readonly tag: SourceTag;
  /** Required unless tag is V: the plausible range of the value. */
  readonly low?: number;
  readonly high?: number;
  /** Required unless tag is V: the end that favours the cloud it applies to. */
  readonly favourableEnd?: FavourableEnd;
  /** One sentence: what the value means and where the models use it. */
  readonly description: string;
}

/** The three sensitivity cases: every unverified value at its favourable end, as registered, or at its unfavourable end. */
export type SensitivityCase = 'low' | 'base' | 'high';
