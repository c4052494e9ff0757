/**
 * How one endpoint rode a traffic spike, read from its per-minute series: what share of the
 * spike's requests was refused, what share was answered within the SLO, the worst minute's p99,
 * how long until the endpoint was back within its SLO, and the replica time it spent meanwhile.
 *
 * The spike window starts at the profile's `spikeStartMinute` and ends at the later of the spike's
 * end and the endpoint's recovery. The spike ends once the profile's rate is back within 10 % of its
 * excess over the minute before it, or, past half the excess, once the rate stops falling (the
 * breaking-news spike at 14:24 decays into the evening's rise: about 160 minutes). The end is read
 * from the profile's rates, not from each run's arrivals, so every cloud and endpoint shares it and
 * Poisson noise cannot move it; it works for a user's own profile file too.
 */
import { violatesSlo } from './simulate';
import type { MinutePoint } from './simulation-result';

/** The spike is over once arrivals are within 10 % of the spike's excess above the pre-spike rate. */
export const SPIKE_END_EXCESS_SHARE = 0.1;
/** Minutes per sum when telling whether a decaying spike's traffic has stopped falling (smooths a noisy profile file). */
export const TURN_MINUTES = 5;

export interface SpikeMetrics {
  /** Requests refused (throttled or dropped) over requests arrived, in the window. */
  readonly refusedShare: number;
  /**
   * Requests answered in a minute whose p99 met the SLO target, over requests arrived, in the
   * window. The series keeps per-minute percentiles, not each request's latency, so a request
   * answered in a breaching minute is not counted as good: a lower bound on goodput.
   */
  readonly goodputShare: number;
  /** The worst minute's p99 in the window; null when nothing was served. */
  readonly peakP99Ms: number | null;
  /**
   * Minutes from the spike's start until the endpoint is back within its SLO (p99 at or under the
   * target and refused share within the error budget) for good; 0 when it never left it, null
   * when it had not recovered by the end of the run.
   */
  readonly minutesToRecover: number | null;
  /** Sum over the window's minutes of the replicas in service: the replica time the spike cost. */
  readonly replicaMinutes: number;
  /** The window: [fromMinute, toMinute), toMinute exclusive. */
  readonly window: { readonly fromMinute: number; readonly toMinute: number };
}

export interface SpikeSpan {
  readonly startMinute: number;
  /** One past the spike's last minute (spikeEndMinute). */
  readonly endMinute: number;
}

export function spikeMetrics(series: readonly MinutePoint[], slo: { readonly p99Ms: number; readonly errorRate: number }, spike: SpikeSpan): SpikeMetrics {
  const start = series.findIndex((p) => p.minute >= spike.startMinute);
  if (start < 0) throw new Error(`spikeStartMinute: must be within the series' ${series.length} minutes, got ${spike.startMinute}`);
  const found = series.findIndex((p) => p.minute >= spike.endMinute);
  const spikeEnd = Math.max(start + 1, found < 0 ? series.length : found);
  const breaching = (p: MinutePoint) => violatesSlo(p, slo);
  let lastBreach = -1;
  for (let i = start; i < spikeEnd; i++) if (breaching(series[i])) lastBreach = i;
  // After the spike's last breaching minute, the first minute within the SLO is the recovery.
  let recovered: number | undefined = lastBreach < 0 ? start : undefined;
  for (let i = Math.max(lastBreach + 1, start); recovered === undefined && i < series.length; i++) if (!breaching(series[i])) recovered = i;
  const end = Math.max(spikeEnd, recovered ?? series.length);
  const window = series.slice(start, end);
  const arrivals = sum(window.map((p) => p.arrivals));
  const refused = sum(window.map((p) => p.dropped));
  const good = sum(window.filter((p) => p.p99Ms !== null && p.p99Ms <= slo.p99Ms).map((p) => p.arrivals - p.dropped));
  const p99s = window.map((p) => p.p99Ms).filter((v): v is number => v !== null);
  return {
    refusedShare: arrivals > 0 ? refused / arrivals : 0,
    goodputShare: arrivals > 0 ? Math.max(0, good) / arrivals : 1,
    peakP99Ms: p99s.length > 0 ? Math.max(...p99s) : null,
    minutesToRecover: recovered === undefined ? null : series[recovered].minute - series[start].minute,
    replicaMinutes: sum(window.map((p) => p.replicas)),
    window: { fromMinute: series[start].minute, toMinute: end < series.length ? series[end].minute : series[series.length - 1].minute + 1 },
  };
}

/**
 * One past the spike's last minute of a per-minute rate series: the first minute after the busiest
 * whose rate is within SPIKE_END_EXCESS_SHARE of the excess, or, once the spike has shed half its
 * excess, the first minute closing TURN_MINUTES with at least as much traffic as the TURN_MINUTES
 * before them (the traffic underneath has turned up, as a diurnal evening does after an afternoon
 * spike); the series' length if neither happens.
 */
export function spikeEndMinute(ratesPerMinute: readonly number[], spikeStartMinute: number): number {
  const rates = ratesPerMinute;
  const start = spikeStartMinute;
  const before = start > 0 ? rates[start - 1] : rates[start];
  const total = (from: number, to: number) => sum(rates.slice(from, to + 1));
  let busiest = start;
  for (let i = start + 1; i < rates.length; i++) {
    const excess = rates[busiest] - before;
    if (rates[i] > rates[busiest]) busiest = i;
    else if (rates[i] <= before + SPIKE_END_EXCESS_SHARE * excess) return i;
    else if (
      rates[i] <= before + 0.5 * excess &&
      i - 2 * TURN_MINUTES + 1 > busiest &&
      total(i - TURN_MINUTES + 1, i) >= total(i - 2 * TURN_MINUTES + 1, i - TURN_MINUTES)
    ) {
      return i;
    }
  }
  return rates.length;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
