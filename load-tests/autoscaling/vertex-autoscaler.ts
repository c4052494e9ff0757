/**
 * Vertex AI dedicated-resources autoscaling, as documented in ../shared/reference/autoscaling.md
 * §2 and modelled in §3. Tags: [V] primary source, [S] secondary, [U] unverified or derived.
 *
 * Model:
 * - Every 15 s each autoscaling metric spec is measured over the last 15 s and turned into a
 *   recommendation ceil(n × value / target), n = the in-service replicas of the window. The
 *   endpoint's recommendation is the largest of them, so with CPU and duty-cycle specs it scales
 *   up when either is above target and down only when both are below [V AutoscalingMetricSpec].
 * - Desired replicas = the largest recommendation of the last 5 minutes, clamped to
 *   [min, max]: up at once, down only after the stabilisation window.
 * - New replicas serve `provisioningSeconds` after the decision; min is at least 1.
 * - Traffic beyond what max replicas can serve is dropped [V DedicatedResources]: the replica
 *   pool (the simulator, the emulator) does the dropping, not the policy.
 */
import { VERTEX_METRICS, type GcpEndpointPlan } from '../../constructs';
import { clamp, initialFleet, nextReadyAt, promoteReady, resize } from './fleet';
import { accumulate, EMPTY_PERIOD, meanOver, meanReplicas, type MetricPeriod } from './metric-period';
import type { AutoscalingPolicy, LoadSample, PolicyParameter, PolicyState, PolicyStep, ScalingEvent } from './policy';

/** [S] Recommendations are computed every 15 s (third-party summary; confirm on the live page). */
export const VERTEX_EVALUATION_INTERVAL_SECONDS = 15;
/** [S] Scale-down uses the largest recommendation of the last 5 minutes. */
export const VERTEX_SCALE_DOWN_WINDOW_SECONDS = 300;
/** [V] `minReplicaCount` is at least 1 outside the scale-to-zero preview (DedicatedResources). */
export const VERTEX_MIN_REPLICAS_FLOOR = 1;
/** [S] A `request_count` target is requests per minute (60 s) per replica. */
export const VERTEX_REQUEST_COUNT_PER_SECONDS = 60;

export interface VertexPolicyConfig {
  /** `ResolvedEndpoint.gcp.autoscalingMetricSpecs`. */
  readonly metricSpecs: GcpEndpointPlan['autoscalingMetricSpecs'];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Seconds from a scale-up decision until the replica serves (`InstanceShape.provisioningSeconds.gcp`). */
  readonly provisioningSeconds: number;
}

export interface VertexState extends PolicyState {
  readonly origin: number;
  readonly window: MetricPeriod;
  readonly evaluationsDone: number;
  /** Recommendations of the stabilisation window, oldest first. */
  readonly recommendations: readonly { readonly at: number; readonly replicas: number }[];
}

const SUPPORTED_METRICS: readonly string[] = [VERTEX_METRICS.cpu, VERTEX_METRICS.gpu, VERTEX_METRICS.requests];

export function vertexAutoscaler(config: VertexPolicyConfig): AutoscalingPolicy<VertexState> {
  validate(config);
  const specs = config.metricSpecs;

  const valueOf = (metricName: string, p: MetricPeriod): number => {
    if (metricName === VERTEX_METRICS.cpu) return meanOver(p, p.cpuPercentSeconds);
    if (metricName === VERTEX_METRICS.gpu) return meanOver(p, p.dutyCyclePercentSeconds);
    // request_count counts every request that reached the endpoint, errors included [U].
    return ((p.requests / meanReplicas(p)) * VERTEX_REQUEST_COUNT_PER_SECONDS) / Math.max(p.seconds, 1e-9);
  };

  const start = (at: number): VertexState => ({
    clock: at,
    origin: at,
    fleet: initialFleet(config.minReplicas),
    window: EMPTY_PERIOD,
    evaluationsDone: 0,
    recommendations: [],
  });

  const evaluationAt = (s: VertexState) => s.origin + (s.evaluationsDone + 1) * VERTEX_EVALUATION_INTERVAL_SECONDS;
  const nextEventAt = (s: VertexState) => Math.min(evaluationAt(s), nextReadyAt(s.fleet));

  const advance = (state: VertexState, until: number, load: LoadSample): PolicyStep<VertexState> => {
    const events: ScalingEvent[] = [];
    const reportSeconds = until - state.clock;
    let s = state;
    while (s.clock < until) {
      const next = Math.min(until, nextEventAt(s));
      s = { ...s, clock: next, window: accumulate(s.window, load, next - s.clock, reportSeconds, s.fleet.inService) };
      const fleet = promoteReady(s.fleet, next);
      if (fleet !== s.fleet) {
        events.push({ at: next, kind: 'replicas-ready', from: s.fleet.inService, to: fleet.inService, reason: 'replicas serving' });
        s = { ...s, fleet };
      }
      if (next >= evaluationAt(s)) s = evaluate(s, events);
    }
    return { state: s, events };
  };

  const evaluate = (s: VertexState, events: ScalingEvent[]): VertexState => {
    const n = meanReplicas(s.window);
    const measured = specs.map((spec) => {
      const value = valueOf(spec.metricName, s.window);
      return { spec, value, replicas: Math.ceil((n * value) / spec.target) };
    });
    const recommendation = Math.max(...measured.map((m) => m.replicas));
    const recommendations = [...s.recommendations, { at: s.clock, replicas: recommendation }].filter(
      (r) => r.at > s.clock - VERTEX_SCALE_DOWN_WINDOW_SECONDS,
    );
    const desired = clamp(Math.max(...recommendations.map((r) => r.replicas)), config.minReplicas, config.maxReplicas);
    const next: VertexState = { ...s, window: EMPTY_PERIOD, evaluationsDone: s.evaluationsDone + 1, recommendations };
    if (desired === s.fleet.desired) return next;
    const detail = measured.map((m) => `${shortName(m.spec.metricName)} ${round(m.value)} vs target ${m.spec.target} → ${m.replicas}`).join(', ');
    events.push({
      at: s.clock,
      kind: desired > s.fleet.desired ? 'scale-out' : 'scale-in',
      from: s.fleet.desired,
      to: desired,
      reason:
        desired > s.fleet.desired
          ? `recommendation ceil(${round(n)} × value / target): ${detail}`
          : `largest recommendation of the last ${VERTEX_SCALE_DOWN_WINDOW_SECONDS} s is ${desired}: ${detail}`,
    });
    return { ...next, fleet: resize(s.fleet, desired, s.clock, config.provisioningSeconds) };
  };

  const parameters: PolicyParameter[] = [
    ...specs.map((spec): PolicyParameter => ({ name: `target ${shortName(spec.metricName)}`, value: spec.target, tag: 'V', source: 'resolved topology (gcp.autoscalingMetricSpecs)' })),
    { name: 'evaluation seconds', value: VERTEX_EVALUATION_INTERVAL_SECONDS, tag: 'S', source: 'autoscaling.md §2 (third-party summary)' },
    { name: 'scale-down window seconds', value: VERTEX_SCALE_DOWN_WINDOW_SECONDS, tag: 'S', source: 'autoscaling.md §2 (third-party summary)' },
    { name: 'replica start seconds', value: config.provisioningSeconds, tag: 'S', source: 'instance-shapes.ts (autoscaling.md: 30 s – few min)' },
    { name: 'replicas', value: `${config.minReplicas}–${config.maxReplicas}`, tag: 'V', source: 'resolved topology (scaling.min/max), min >= 1' },
  ];

  return {
    cloud: 'gcp',
    summary: `Vertex autoscaling on ${specs.map((s) => `${shortName(s.metricName)} = ${s.target}`).join(' or ')}`,
    parameters,
    start,
    advance,
    nextEventAt,
  };
}

function validate(c: VertexPolicyConfig): void {
  const problems: string[] = [];
  if (c.metricSpecs.length === 0) problems.push('metricSpecs: at least one is needed');
  for (const [i, spec] of c.metricSpecs.entries()) {
    if (!SUPPORTED_METRICS.includes(spec.metricName)) {
      problems.push(`metricSpecs[${i}].metricName: the simulator models ${SUPPORTED_METRICS.join(', ')}; got ${spec.metricName}`);
    }
    if (!(spec.target > 0)) problems.push(`metricSpecs[${i}].target: must be > 0, got ${spec.target}`);
  }
  if (!Number.isInteger(c.minReplicas) || c.minReplicas < VERTEX_MIN_REPLICAS_FLOOR) {
    problems.push(`minReplicas: must be an integer >= ${VERTEX_MIN_REPLICAS_FLOOR}, got ${c.minReplicas}`);
  }
  if (!Number.isInteger(c.maxReplicas) || c.maxReplicas < c.minReplicas) {
    problems.push(`maxReplicas: must be an integer >= minReplicas (${c.minReplicas}), got ${c.maxReplicas}`);
  }
  if (!(c.provisioningSeconds >= 0)) problems.push(`provisioningSeconds: must be >= 0, got ${c.provisioningSeconds}`);
  if (problems.length > 0) throw new Error(`invalid Vertex autoscaling policy: ${problems.join('; ')}`);
}

function shortName(metricName: string): string {
  return metricName.split('/').slice(-2).join('/');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
