/**
 * Service time of one request on one replica: log-normal around the variant's median
 * (`performance.serviceTimeMs` of the resolved topology). Inference times are positive and
 * right-skewed (tokenisation, batching, cache misses), and a log-normal is the usual simple fit:
 * with shape σ (the standard deviation of ln t) the median is `serviceTimeMs`, the mean is
 * `serviceTimeMs·e^(σ²/2)` and the p99 is `serviceTimeMs·e^(2.326σ)`. The default σ = 0.3 puts the
 * p99 of one replica at about 2× its median before any queueing.
 */
import { normal, type Random } from '../clock/random';

export const DEFAULT_SERVICE_TIME_SIGMA = 0.3;

/** SageMaker gives a container 60 s to answer (protocols.md §1); no sample exceeds that. */
export const MAX_SERVICE_TIME_MS = 60_000;

export interface ServiceTimeModel {
  /** Milliseconds one request keeps one replica slot busy. */
  sample(): number;
}

export class LogNormalServiceTime implements ServiceTimeModel {
  constructor(
    readonly medianMs: number,
    readonly sigma: number,
    private readonly random: Random,
  ) {
    if (!(medianMs > 0)) throw new RangeError(`service time median must be > 0 ms, got ${medianMs}`);
    if (!(sigma >= 0)) throw new RangeError(`service time sigma must be >= 0, got ${sigma}`);
  }

  sample(): number {
    return Math.min(MAX_SERVICE_TIME_MS, this.medianMs * Math.exp(this.sigma * normal(this.random)));
  }
}
