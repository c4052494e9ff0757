/**
 * Service time of one request on one replica slot, for the emulator and the simulator alike:
 * log-normal, fixed by its median and the spread ln(p99 / p50) / z(0.99). Log-normal because
 * inference times are positive and right-skewed (tokenisation, batching, cache misses); the median
 * is what a load test measures most stably (`latencyMs.uncorrected.p50`). With shape σ the mean
 * is median·e^(σ²/2) and the p99 median·e^(2.326σ).
 */
import { assumptionSet } from '../../constructs';
import type { Random } from './random';

/**
 * Spread when nothing was measured (assumption `replica.service-time-log-sigma`, base case): σ = 0.3
 * puts one replica's p99 at about 2× its median. A capacity file (`--capacity`) replaces it with the
 * measured ratio; a sensitivity run passes its own set to replicaModelFor.
 */
export const DEFAULT_SERVICE_TIME_LOG_SIGMA = assumptionSet('aws').value('replica.service-time-log-sigma');

/** SageMaker gives a container 60 s to answer (InvokeEndpoint's documented timeout); no sample exceeds that. */
export const MAX_SERVICE_TIME_MS = 60_000;

/** z for the 99th percentile of a standard normal. */
export const Z_99 = 2.3263478740408408;

export interface ServiceTimeModel {
  readonly medianMs: number;
  readonly logSigma: number;
}

export function serviceTimeModel(medianMs: number, logSigma = DEFAULT_SERVICE_TIME_LOG_SIGMA): ServiceTimeModel {
  if (!(medianMs > 0)) throw new Error(`service time median must be > 0 ms, got ${medianMs}`);
  if (!(logSigma >= 0)) throw new Error(`service time log-sigma must be >= 0, got ${logSigma}`);
  return { medianMs, logSigma };
}

/** The model through a measured p50 and p99 (p99 below p50 is treated as no spread). */
export function serviceTimeFromPercentiles(p50Ms: number, p99Ms: number): ServiceTimeModel {
  return serviceTimeModel(p50Ms, Math.max(0, Math.log(p99Ms / p50Ms) / Z_99));
}

export function meanServiceMs(m: ServiceTimeModel): number {
  return m.medianMs * Math.exp((m.logSigma * m.logSigma) / 2);
}

/** Squared coefficient of variation, e^{σ²} − 1: what the queueing approximation needs. */
export function serviceTimeScv(m: ServiceTimeModel): number {
  return Math.expm1(m.logSigma * m.logSigma);
}

/** One request's service time, ms: a log-normal draw from `random`, capped at MAX_SERVICE_TIME_MS. */
export function sampleServiceMs(m: ServiceTimeModel, random: Random): number {
  return Math.min(MAX_SERVICE_TIME_MS, m.medianMs * Math.exp(m.logSigma * random.normal()));
}

/** The service time at cumulative probability `u` in (0, 1). */
export function serviceQuantileMs(m: ServiceTimeModel, u: number): number {
  return m.medianMs * Math.exp(m.logSigma * inverseNormal(u));
}

/**
 * Φ⁻¹(p) by P. J. Acklam's rational approximation (relative error < 1.15e-9), enough for
 * sampling and far below the histogram's 1 % resolution.
 */
export function inverseNormal(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

const P_LOW = 0.02425;
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
