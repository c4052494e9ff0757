/**
 * Vertex AI dedicated-resources autoscaling. Every number it rests on is read from an AssumptionSet
 * (constructs/assumptions/register.ts gives each its source and tag).
 *
 * Model:
 * - Each autoscaling metric is sampled every `metric.vertex-*.sample-period-seconds` (Cloud
 *   Monitoring: 60 s) and a sample becomes visible `metric.vertex-*.publish-delay-seconds` after it
 *   closes; until a metric's first sample is visible it recommends nothing.
 * - Every `autoscaler.vertex.evaluation-interval-seconds` each metric spec's latest visible sample
 *   gives a recommendation: the current desired replicas while the value is within
 *   `decision.tolerance` of target, else ceil(n × value / target), n = the in-service replicas the
 *   sample averages over. The endpoint's recommendation is the largest of them, so with CPU and
 *   duty-cycle specs it scales up when either is above target and down only when both are below
 *   (AutoscalingMetricSpec).
 * - Desired replicas = the largest recommendation of the last
 *   `stabilisation.vertex.scale-down-window-seconds`, clamped to [min, max]: up at once, down only
 *   after the window.
 * - request_count counts refused requests only if `scaling-metric.counts-refused-requests` is 1.
 * - New replicas serve `provisioning.<family>-replica-seconds` after the decision; min is at least 1.
 * - Traffic beyond what max replicas can serve is dropped (DedicatedResources): the replica pool
 *   (the simulator, the emulator) does the dropping, not the policy.
 */
import { assumptionSet, VERTEX_METRICS, type AssumptionSet, type GcpEndpointPlan } from '../../constructs';
import { clamp, initialFleet, nextReadyAt, promoteReady, resize } from './fleet';
import { accumulate, EMPTY_PERIOD, meanOver, meanReplicas, type MetricPeriod } from './metric-period';
import {
  assumptionParameter,
  provisioningAssumption,
  type AutoscalingPolicy,
  type LoadSample,
  type PolicyParameter,
  type PolicyState,
  type PolicyStep,
  type ReplicaFamily,
  type ScalingEvent,
} from './policy';

/** `minReplicaCount` is at least 1 outside the scale-to-zero preview (DedicatedResources reference). */
export const VERTEX_MIN_REPLICAS_FLOOR = 1;
/** A `request_count` target is requests per minute per replica. */
export const VERTEX_REQUEST_COUNT_PER_SECONDS = 60;

export interface VertexPolicyConfig {
  /** `ResolvedEndpoint.gcp.autoscalingMetricSpecs`, with the defaults Vertex applies (withVertexDefaults). */
  readonly metricSpecs: GcpEndpointPlan['autoscalingMetricSpecs'];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Which provisioning assumption the replica's start-up follows. */
  readonly family: ReplicaFamily;
  /** @default assumptionSet('gcp') (base case) */
  readonly assumptions?: AssumptionSet;
}

/** One closed sample of one metric spec. */
interface Sample {
  readonly value: number;
  readonly replicas: number;
  readonly visibleAt: number;
}

/** The samples of one metric spec: the one being taken, those closed but not yet visible, the latest visible. */
interface SampleStream {
  readonly current: MetricPeriod;
  readonly samplesDone: number;
  readonly unpublished: readonly Sample[];
  readonly latest?: Sample;
}

export interface VertexState extends PolicyState {
  readonly origin: number;
  readonly evaluationsDone: number;
  /** One per metric spec, in spec order. */
  readonly streams: readonly SampleStream[];
  /** Recommendations of the stabilisation window, oldest first. */
  readonly recommendations: readonly { readonly at: number; readonly replicas: number }[];
}

const SUPPORTED_METRICS: readonly string[] = [VERTEX_METRICS.cpu, VERTEX_METRICS.gpu, VERTEX_METRICS.requests];

export function vertexAutoscaler(config: VertexPolicyConfig): AutoscalingPolicy<VertexState> {
  validate(config);
  const assumptions = config.assumptions ?? assumptionSet('gcp');
  const specs = config.metricSpecs;
  const assumptionOf = (metricName: string) => (metricName === VERTEX_METRICS.requests ? 'metric.vertex-request-count' : 'metric.vertex-utilisation');
  const timing = specs.map((spec) => ({
    period: assumptions.value(`${assumptionOf(spec.metricName)}.sample-period-seconds`),
    delay: assumptions.value(`${assumptionOf(spec.metricName)}.publish-delay-seconds`),
  }));
  const evaluationSeconds = assumptions.value('autoscaler.vertex.evaluation-interval-seconds');
  const windowSeconds = assumptions.value('stabilisation.vertex.scale-down-window-seconds');
  const tolerance = assumptions.value('decision.tolerance');
  const countsRefused = assumptions.value('scaling-metric.counts-refused-requests') >= 0.5;
  const provisioningSeconds = assumptions.value(provisioningAssumption(config.family));

  const valueOf = (metricName: string, p: MetricPeriod): number => {
    if (metricName === VERTEX_METRICS.cpu) return meanOver(p, p.cpuPercentSeconds);
    if (metricName === VERTEX_METRICS.gpu) return meanOver(p, p.dutyCyclePercentSeconds);
    const requests = countsRefused ? p.requests : p.requests - p.rejectedRequests;
    return ((requests / meanReplicas(p)) * VERTEX_REQUEST_COUNT_PER_SECONDS) / Math.max(p.seconds, 1e-9);
  };

  const start = (at: number): VertexState => ({
    clock: at,
    origin: at,
    fleet: initialFleet(config.minReplicas),
    evaluationsDone: 0,
    streams: specs.map(() => ({ current: EMPTY_PERIOD, samplesDone: 0, unpublished: [] })),
    recommendations: [],
  });

  const evaluationAt = (s: VertexState) => s.origin + (s.evaluationsDone + 1) * evaluationSeconds;
  const sampleEnd = (s: VertexState, i: number) => s.origin + (s.streams[i].samplesDone + 1) * timing[i].period;
  const nextEventAt = (s: VertexState) => Math.min(evaluationAt(s), nextReadyAt(s.fleet), ...s.streams.map((_, i) => sampleEnd(s, i)));

  const advance = (state: VertexState, until: number, load: LoadSample): PolicyStep<VertexState> => {
    const events: ScalingEvent[] = [];
    const reportSeconds = until - state.clock;
    let s = state;
    while (s.clock < until) {
      const next = Math.min(until, nextEventAt(s));
      const dt = next - s.clock;
      const streams = s.streams.map((stream, i) => {
        const current = accumulate(stream.current, load, dt, reportSeconds, s.fleet.inService);
        if (next < sampleEnd(s, i)) return { ...stream, current };
        const sample: Sample = { value: valueOf(specs[i].metricName, current), replicas: meanReplicas(current), visibleAt: next + timing[i].delay };
        return { current: EMPTY_PERIOD, samplesDone: stream.samplesDone + 1, unpublished: [...stream.unpublished, sample], latest: stream.latest };
      });
      s = { ...s, clock: next, streams };
      const fleet = promoteReady(s.fleet, next);
      if (fleet !== s.fleet) {
        events.push({ at: next, kind: 'replicas-ready', from: s.fleet.inService, to: fleet.inService, reason: 'replicas serving' });
        s = { ...s, fleet };
      }
      if (next >= evaluationAt(s)) s = evaluate(s, events);
    }
    return { state: s, events };
  };

  /** Each stream with every sample visible by now published as its latest. */
  const publish = (streams: readonly SampleStream[], now: number): SampleStream[] =>
    streams.map((stream) => {
      const visible = stream.unpublished.filter((sample) => sample.visibleAt <= now);
      if (visible.length === 0) return stream;
      return { ...stream, unpublished: stream.unpublished.slice(visible.length), latest: visible[visible.length - 1] };
    });

  const evaluate = (state: VertexState, events: ScalingEvent[]): VertexState => {
    const streams = publish(state.streams, state.clock);
    const s: VertexState = { ...state, streams, evaluationsDone: state.evaluationsDone + 1 };
    const measured = specs.flatMap((spec, i) => {
      const sample = streams[i].latest;
      if (!sample) return [];
      const withinTolerance = Math.abs(sample.value / spec.target - 1) <= tolerance;
      return [{ spec, sample, replicas: withinTolerance ? s.fleet.desired : Math.ceil((sample.replicas * sample.value) / spec.target), withinTolerance }];
    });
    if (measured.length === 0) return s;
    const recommendation = Math.max(...measured.map((m) => m.replicas));
    const recommendations = [...s.recommendations, { at: s.clock, replicas: recommendation }].filter((r) => r.at > s.clock - windowSeconds);
    const desired = clamp(Math.max(...recommendations.map((r) => r.replicas)), config.minReplicas, config.maxReplicas);
    const next: VertexState = { ...s, recommendations };
    if (desired === s.fleet.desired) return next;
    const detail = measured
      .map((m) => `${shortName(m.spec.metricName)} ${round(m.sample.value)} vs target ${m.spec.target}${m.withinTolerance ? ' (within tolerance)' : ''} → ${m.replicas}`)
      .join(', ');
    events.push({
      at: s.clock,
      kind: desired > s.fleet.desired ? 'scale-out' : 'scale-in',
      from: s.fleet.desired,
      to: desired,
      reason:
        desired > s.fleet.desired
          ? `recommendation ceil(replicas × value / target) from the latest visible samples: ${detail}`
          : `largest recommendation of the last ${windowSeconds} s is ${desired}: ${detail}`,
    });
    return { ...next, fleet: resize(s.fleet, desired, s.clock, provisioningSeconds) };
  };

  const timingNames = [...new Set(specs.map((spec) => assumptionOf(spec.metricName)))].flatMap((m) => [`${m}.sample-period-seconds`, `${m}.publish-delay-seconds`]);
  const parameters: PolicyParameter[] = [
    ...specs.map((spec): PolicyParameter => ({ name: `target ${shortName(spec.metricName)}`, value: spec.target, tag: 'V', source: 'resolved topology (gcp.autoscalingMetricSpecs)' })),
    ...timingNames.map((name) => assumptionParameter(assumptions, name)),
    assumptionParameter(assumptions, 'autoscaler.vertex.evaluation-interval-seconds'),
    assumptionParameter(assumptions, 'decision.tolerance'),
    assumptionParameter(assumptions, 'stabilisation.vertex.scale-down-window-seconds'),
    ...(specs.some((spec) => spec.metricName === VERTEX_METRICS.requests) ? [assumptionParameter(assumptions, 'scaling-metric.counts-refused-requests')] : []),
    assumptionParameter(assumptions, provisioningAssumption(config.family)),
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
  if (c.assumptions && c.assumptions.cloud !== 'gcp') problems.push(`assumptions: must be the set for gcp, got ${c.assumptions.cloud}`);
  if (problems.length > 0) throw new Error(`invalid Vertex autoscaling policy: ${problems.join('; ')}`);
}

function shortName(metricName: string): string {
  return metricName.split('/').slice(-2).join('/');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
