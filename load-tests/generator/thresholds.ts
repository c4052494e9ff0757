/**
 * Thresholds are data (k6's idea): `p99<250ms`, `max<=2s`, `uncorrected.p50<20`, `errors<0.01`,
 * `throttled<0.5%`, `achievedRate>=490`. Latency metrics read the corrected latency unless
 * prefixed `uncorrected.`; a bare latency number is milliseconds. Outcome metrics are fractions
 * of the scheduled requests. A failed threshold sets the exit code.
 */
import type { LoadTestResult, ThresholdResult } from './result-format';

const LATENCY_METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
const FRACTION_METRICS = ['errors', 'throttled', 'modelError', 'other4xx', 'server5xx', 'timeout', 'client', 'dropped', 'late'] as const;
const RATE_METRICS = ['achievedRate'] as const;

type LatencyMetric = (typeof LATENCY_METRICS)[number];
type FractionMetric = (typeof FRACTION_METRICS)[number];

export type ThresholdMetric =
  | { readonly kind: 'latency'; readonly name: LatencyMetric; readonly corrected: boolean }
  | { readonly kind: 'fraction'; readonly name: FractionMetric }
  | { readonly kind: 'rate'; readonly name: 'achievedRate' };

export type ThresholdOperator = '<' | '<=' | '>' | '>=';

export interface Threshold {
  readonly expression: string;
  readonly metric: ThresholdMetric;
  readonly operator: ThresholdOperator;
  /** Milliseconds, a fraction, or requests/s, by metric. */
  readonly value: number;
  /** Applied because no threshold on `errors` was given (DEFAULT_ERROR_THRESHOLD). */
  readonly isDefault?: boolean;
}

/**
 * The error budget of a run given no threshold on `errors` (neither `--threshold errors…` nor
 * `--slo`): the topology schema's default `slo.errorRate`, 1 %. Without it a run that loses a
 * quarter of its requests would exit 0; `--threshold 'errors<=N%'` sets another budget.
 */
export const DEFAULT_ERROR_THRESHOLD = 'errors<=1%';

/** The thresholds, with DEFAULT_ERROR_THRESHOLD added when none of them bounds `errors`. */
export function withDefaultErrorThreshold(thresholds: readonly Threshold[]): Threshold[] {
  if (thresholds.some((t) => t.metric.kind === 'fraction' && t.metric.name === 'errors')) return [...thresholds];
  return [...thresholds, { ...(parseThreshold(DEFAULT_ERROR_THRESHOLD) as Threshold), isDefault: true }];
}

export const THRESHOLD_HELP =
  `latency ${LATENCY_METRICS.join('|')} (corrected; prefix "uncorrected." for service time) with ms or s, ` +
  `outcome fractions ${FRACTION_METRICS.join('|')} as 0.01 or 1%, or achievedRate in requests/s; ` +
  'operators < <= > >=, e.g. p99<250ms, errors<0.01';

/** Parses thresholds; every bad one is reported, none is thrown. */
export function parseThresholds(expressions: readonly string[]): { thresholds: Threshold[]; errors: string[] } {
  const thresholds: Threshold[] = [];
  const errors: string[] = [];
  for (const expression of expressions) {
    const parsed = parseThreshold(expression);
    if (typeof parsed === 'string') errors.push(parsed);
    else thresholds.push(parsed);
  }
  return { thresholds, errors };
}

/** A threshold, or the reason it is not one. */
export function parseThreshold(expression: string): Threshold | string {
  const bad = (why: string) => `--threshold "${expression}": ${why}; expected ${THRESHOLD_HELP}`;
  const match = /^\s*([A-Za-z.0-9]+)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+)\s*(ms|s|%)?\s*$/.exec(expression);
  if (!match) return bad('not of the form METRIC<VALUE');
  const [, name, operator, number, unit] = match;
  const value = Number(number);
  const uncorrected = name.startsWith('uncorrected.');
  const bare = uncorrected ? name.slice('uncorrected.'.length) : name;
  if ((LATENCY_METRICS as readonly string[]).includes(bare)) {
    if (unit === '%') return bad('a latency takes ms or s, not %');
    return {
      expression,
      metric: { kind: 'latency', name: bare as LatencyMetric, corrected: !uncorrected },
      operator: operator as ThresholdOperator,
      value: unit === 's' ? value * 1000 : value,
    };
  }
  if (uncorrected) return bad(`"uncorrected." applies to latency metrics only, not ${bare}`);
  if ((FRACTION_METRICS as readonly string[]).includes(name)) {
    if (unit === 'ms' || unit === 's') return bad(`${name} is a fraction of requests, not a duration`);
    const fraction = unit === '%' ? value / 100 : value;
    if (fraction > 1) return bad(`${name} is a fraction between 0 and 1 (or a percentage with %), got ${number}${unit ?? ''}`);
    return { expression, metric: { kind: 'fraction', name: name as FractionMetric }, operator: operator as ThresholdOperator, value: fraction };
  }
  if ((RATE_METRICS as readonly string[]).includes(name)) {
    if (unit) return bad('achievedRate is in requests/s and takes no unit');
    return { expression, metric: { kind: 'rate', name: 'achievedRate' }, operator: operator as ThresholdOperator, value };
  }
  return bad(`unknown metric "${name}"`);
}

/** The metric's value in a result. */
export function thresholdActual(metric: ThresholdMetric, result: Pick<LoadTestResult, 'latencyMs' | 'counts' | 'achievedRate'>): number {
  switch (metric.kind) {
    case 'latency':
      return result.latencyMs[metric.corrected ? 'corrected' : 'uncorrected'][metric.name];
    case 'rate':
      return result.achievedRate;
    case 'fraction': {
      const c = result.counts;
      if (c.scheduled === 0) return 0;
      const count =
        metric.name === 'errors'
          ? c.throttled + c.modelError + c.other4xx + c.server5xx + c.timeout + c.client + c.cancelled + c.dropped
          : c[metric.name];
      return count / c.scheduled;
    }
  }
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  result: Pick<LoadTestResult, 'latencyMs' | 'counts' | 'achievedRate'>,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = thresholdActual(t.metric, result);
    const pass =
      t.operator === '<' ? actual < t.value : t.operator === '<=' ? actual <= t.value : t.operator === '>' ? actual > t.value : actual >= t.value;
    return { expression: t.expression, actual: Math.round(actual * 1e6) / 1e6, pass, ...(t.isDefault ? { isDefault: true } : {}) };
  });
}
