/**
 * SageMaker real-time endpoint autoscaling: Application Auto Scaling target tracking on
 * `sagemaker:variant:DesiredInstanceCount`, as documented in ../shared/reference/autoscaling.md §1
 * and modelled in §3. Tags: [V] primary source, [S] secondary, [U] unverified or derived.
 *
 * Model:
 * - The tracked metric is published as datapoints: 1-minute for invocations per instance and
 *   instance CPU/GPU utilisation, 10-second for the high-resolution concurrency metric.
 * - Scale-out alarm: the last 3 datapoints above target. On each datapoint while it holds,
 *   desired = ceil(n × metric / target), n = the in-service instances the datapoint averages
 *   over, clamped to [min, max], applied when larger than the current desired capacity.
 *   That is the AAS scale-out cooldown rule [V]: during the cooldown "the capacity that has been
 *   added by the previous scale out … is calculated as part of the desired capacity for the next
 *   scale out", and the policy "won't increase the desired capacity again unless either a larger
 *   scale out is triggered or the cooldown period ends". With n counting only in-service
 *   instances, a repeat of the same need is never larger and a growing need always is, so the
 *   scale-out cooldown never delays a scale-out here; it holds back scale-in (below).
 *   (autoscaling.md §3 gates scale-out on the cooldown instead; the AAS reference wins.)
 * - Scale-in alarm: the last 15 one-minute datapoints below target × (1 − margin), also for the
 *   high-resolution metric, whose faster datapoints drive scale-out only. Scale-in waits for its
 *   own cooldown and for the last scale-out's cooldown, and never cancels capacity still starting.
 * - A scale-out during a scale-in cooldown is immediate.
 * - New instances serve `provisioningSeconds` after the decision; removed ones stop at once.
 */
import type { AwsEndpointPlan } from '../../constructs';
import { clamp, initialFleet, nextReadyAt, promoteReady, resize } from './fleet';
import { accumulate, EMPTY_PERIOD, meanOver, meanReplicas, type MetricPeriod } from './metric-period';
import type { AutoscalingPolicy, LoadSample, PolicyParameter, PolicyState, PolicyStep, ScalingEvent } from './policy';

/** [V] Invocation metrics are 1-minute (CloudWatch SageMaker metrics page). */
export const SAGEMAKER_STANDARD_PERIOD_SECONDS = 60;
/** [V] ConcurrentRequestsPerModel high-resolution metric: every 10 s ("Define a scaling policy", 2024-07-25). */
export const SAGEMAKER_HIGH_RESOLUTION_PERIOD_SECONDS = 10;
/**
 * [V] Instance CPU/GPU utilisation publish every 10–300 s (`MetricPublishFrequencyInSeconds`);
 * [U] 60 s chosen, the standard resolution of a target-tracking alarm.
 */
export const SAGEMAKER_INSTANCE_METRIC_PERIOD_SECONDS = 60;
/** [S] Managed high alarm: 3 of 3 datapoints (aws/containers-roadmap #1208, same AAS); confirm with DescribeAlarms. */
export const SAGEMAKER_SCALE_OUT_DATAPOINTS = 3;
/** [S] Managed low alarm: 15 of 15 one-minute datapoints (aws/containers-roadmap #1208). */
export const SAGEMAKER_SCALE_IN_DATAPOINTS = 15;
/** [V] Scale-in runs at standard speed, on 1-minute datapoints, even with the high-resolution metric. */
export const SAGEMAKER_SCALE_IN_PERIOD_SECONDS = 60;
/** [U] The low alarm sits ~10 % below target (autoscaling.md §3, "margin≈10 %"); confirm with DescribeAlarms. */
export const SAGEMAKER_SCALE_IN_MARGIN = 0.1;
/** [V] Default cooldowns of SageMaker variant target tracking, both ways (AAS reference, CDK InvocationsScalingProps). */
export const SAGEMAKER_DEFAULT_COOLDOWN_SECONDS = 300;

export interface SageMakerPolicyConfig {
  /** The resolved target-tracking metric (`ResolvedEndpoint.aws.scalingMetric`) and the variant's target (`aws.scalingTargetValue`). */
  readonly metric: AwsEndpointPlan['scalingMetric'] & { readonly targetValue: number };
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
  /** Seconds from a scale-out decision until the instance is InService (`InstanceShape.provisioningSeconds.aws`). */
  readonly provisioningSeconds: number;
  /** vCPUs and GPUs of the instance: SageMaker's CPUUtilization and GPUUtilization sum over them. */
  readonly vcpus: number;
  readonly acceleratorCount: number;
}

export interface SageMakerState extends PolicyState {
  /** Datapoint being accumulated at the scale-out resolution, and the 1-minute one for scale-in. */
  readonly fastPeriod: MetricPeriod;
  readonly minutePeriod: MetricPeriod;
  readonly fastPeriodsDone: number;
  readonly minutePeriodsDone: number;
  readonly origin: number;
  /** Most recent datapoints, newest last. */
  readonly scaleOutDatapoints: readonly number[];
  readonly scaleInDatapoints: readonly number[];
  readonly lastScaleOutAt: number;
  readonly lastScaleInAt: number;
}

export function sageMakerTargetTracking(config: SageMakerPolicyConfig): AutoscalingPolicy<SageMakerState> {
  validate(config);
  const metric = config.metric;
  const target = metric.targetValue;
  const highResolution = metric.kind === 'predefined' && metric.metric === 'SageMakerVariantConcurrentRequestsPerModelHighResolution';
  const fastSeconds = highResolution
    ? SAGEMAKER_HIGH_RESOLUTION_PERIOD_SECONDS
    : metric.kind === 'instance'
      ? SAGEMAKER_INSTANCE_METRIC_PERIOD_SECONDS
      : SAGEMAKER_STANDARD_PERIOD_SECONDS;
  const metricName = metric.kind === 'predefined' ? metric.metric : metric.metricName;
  const scaleInThreshold = target * (1 - SAGEMAKER_SCALE_IN_MARGIN);

  /** The metric's value over a period, in the unit its target is in. */
  const valueOf = (p: MetricPeriod): number => {
    if (metric.kind === 'instance') {
      return metric.metricName === 'CPUUtilization'
        ? meanOver(p, p.cpuPercentSeconds) * config.vcpus
        : meanOver(p, p.dutyCyclePercentSeconds) * config.acceleratorCount;
    }
    if (highResolution) return meanOver(p, p.concurrencySeconds);
    // SageMakerVariantInvocationsPerInstance: invocations per minute, each counting 1/instances [V];
    // throttled requests never reached the variant, so they are not invocations [U].
    const invocations = p.requests - p.rejectedRequests;
    return ((invocations / meanReplicas(p)) * 60) / Math.max(p.seconds, 1e-9);
  };

  const start = (at: number): SageMakerState => ({
    clock: at,
    origin: at,
    fleet: initialFleet(config.minCapacity),
    fastPeriod: EMPTY_PERIOD,
    minutePeriod: EMPTY_PERIOD,
    fastPeriodsDone: 0,
    minutePeriodsDone: 0,
    scaleOutDatapoints: [],
    scaleInDatapoints: [],
    lastScaleOutAt: Number.NEGATIVE_INFINITY,
    lastScaleInAt: Number.NEGATIVE_INFINITY,
  });

  const fastEnd = (s: SageMakerState) => s.origin + (s.fastPeriodsDone + 1) * fastSeconds;
  const minuteEnd = (s: SageMakerState) => s.origin + (s.minutePeriodsDone + 1) * SAGEMAKER_SCALE_IN_PERIOD_SECONDS;
  const nextEventAt = (s: SageMakerState) => Math.min(fastEnd(s), minuteEnd(s), nextReadyAt(s.fleet));

  const advance = (state: SageMakerState, until: number, load: LoadSample): PolicyStep<SageMakerState> => {
    const events: ScalingEvent[] = [];
    const reportSeconds = until - state.clock;
    let s = state;
    while (s.clock < until) {
      const next = Math.min(until, nextEventAt(s));
      const dt = next - s.clock;
      const inService = s.fleet.inService;
      s = {
        ...s,
        clock: next,
        fastPeriod: accumulate(s.fastPeriod, load, dt, reportSeconds, inService),
        minutePeriod: accumulate(s.minutePeriod, load, dt, reportSeconds, inService),
      };
      s = bringReady(s, events);
      if (next >= fastEnd(s)) s = closeScaleOutDatapoint(s, events);
      if (next >= minuteEnd(s)) s = closeScaleInDatapoint(s, events);
    }
    return { state: s, events };
  };

  const bringReady = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const fleet = promoteReady(s.fleet, s.clock);
    if (fleet === s.fleet) return s;
    events.push({ at: s.clock, kind: 'replicas-ready', from: s.fleet.inService, to: fleet.inService, reason: 'instances InService' });
    return { ...s, fleet };
  };

  const closeScaleOutDatapoint = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const value = valueOf(s.fastPeriod);
    const datapoints = [...s.scaleOutDatapoints, value].slice(-SAGEMAKER_SCALE_OUT_DATAPOINTS);
    let next: SageMakerState = { ...s, fastPeriod: EMPTY_PERIOD, fastPeriodsDone: s.fastPeriodsDone + 1, scaleOutDatapoints: datapoints };
    const alarm = datapoints.length === SAGEMAKER_SCALE_OUT_DATAPOINTS && datapoints.every((d) => d > target);
    if (!alarm) return next;
    const n = meanReplicas(s.fastPeriod);
    const desired = clamp(Math.ceil((n * value) / target), config.minCapacity, config.maxCapacity);
    if (desired <= s.fleet.desired) return next;
    const cooling = s.clock < s.lastScaleOutAt + config.scaleOutCooldownSeconds;
    events.push({
      at: s.clock,
      kind: 'scale-out',
      from: s.fleet.desired,
      to: desired,
      reason: `${SAGEMAKER_SCALE_OUT_DATAPOINTS} of ${SAGEMAKER_SCALE_OUT_DATAPOINTS} ${fastSeconds}-s datapoints of ${metricName} > ${target} (last ${round(value)}); ceil(${round(n)} × ${round(value)} / ${target})${cooling ? ', larger than the scale-out in cooldown' : ''}`,
    });
    next = { ...next, fleet: resize(s.fleet, desired, s.clock, config.provisioningSeconds), lastScaleOutAt: s.clock };
    return next;
  };

  const closeScaleInDatapoint = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const value = valueOf(s.minutePeriod);
    const datapoints = [...s.scaleInDatapoints, value].slice(-SAGEMAKER_SCALE_IN_DATAPOINTS);
    const next: SageMakerState = { ...s, minutePeriod: EMPTY_PERIOD, minutePeriodsDone: s.minutePeriodsDone + 1, scaleInDatapoints: datapoints };
    const alarm = datapoints.length === SAGEMAKER_SCALE_IN_DATAPOINTS && datapoints.every((d) => d < scaleInThreshold);
    const cooling =
      s.clock < s.lastScaleInAt + config.scaleInCooldownSeconds || s.clock < s.lastScaleOutAt + config.scaleOutCooldownSeconds;
    if (!alarm || cooling || s.fleet.starting.length > 0) return next;
    const n = meanReplicas(s.minutePeriod);
    const desired = clamp(Math.ceil((n * value) / target), config.minCapacity, config.maxCapacity);
    if (desired >= s.fleet.desired) return next;
    events.push({
      at: s.clock,
      kind: 'scale-in',
      from: s.fleet.desired,
      to: desired,
      reason: `${SAGEMAKER_SCALE_IN_DATAPOINTS} of ${SAGEMAKER_SCALE_IN_DATAPOINTS} 60-s datapoints of ${metricName} < ${round(scaleInThreshold)} (last ${round(value)}); ceil(${round(n)} × ${round(value)} / ${target})`,
    });
    return { ...next, fleet: resize(s.fleet, desired, s.clock, config.provisioningSeconds), lastScaleInAt: s.clock };
  };

  const parameters: PolicyParameter[] = [
    { name: 'metric', value: `${metricName} target ${target}`, tag: 'V', source: 'resolved topology (aws.scalingMetric)' },
    { name: 'scale-out datapoint seconds', value: fastSeconds, tag: 'V', source: 'CloudWatch SageMaker metrics; "Define a scaling policy" (high resolution)' },
    { name: 'scale-out datapoints', value: SAGEMAKER_SCALE_OUT_DATAPOINTS, tag: 'S', source: 'aws/containers-roadmap #1208' },
    { name: 'scale-in datapoints (1 min)', value: SAGEMAKER_SCALE_IN_DATAPOINTS, tag: 'S', source: 'aws/containers-roadmap #1208' },
    { name: 'scale-in margin', value: SAGEMAKER_SCALE_IN_MARGIN, tag: 'U', source: 'autoscaling.md §3' },
    { name: 'scale-out cooldown seconds (holds back scale-in; a larger scale-out passes)', value: config.scaleOutCooldownSeconds, tag: 'V', source: 'topology scaling (default 300, AAS reference)' },
    { name: 'scale-in cooldown seconds', value: config.scaleInCooldownSeconds, tag: 'V', source: 'topology scaling (default 300, AAS reference)' },
    { name: 'provisioning seconds', value: config.provisioningSeconds, tag: 'U', source: 'instance-shapes.ts (autoscaling.md: CPU 3–5 min, GPU 5–9 min)' },
    { name: 'capacity', value: `${config.minCapacity}–${config.maxCapacity}`, tag: 'V', source: 'resolved topology (scaling.min/max)' },
  ];

  return {
    cloud: 'aws',
    summary: `SageMaker target tracking on ${metricName} = ${target}`,
    parameters,
    start,
    advance,
    nextEventAt,
  };
}

function validate(c: SageMakerPolicyConfig): void {
  const problems: string[] = [];
  if (!(c.metric.targetValue > 0)) problems.push(`metric.targetValue: must be > 0, got ${c.metric.targetValue}`);
  if (!Number.isInteger(c.minCapacity) || c.minCapacity < 1) problems.push(`minCapacity: must be an integer >= 1, got ${c.minCapacity}`);
  if (!Number.isInteger(c.maxCapacity) || c.maxCapacity < c.minCapacity) {
    problems.push(`maxCapacity: must be an integer >= minCapacity (${c.minCapacity}), got ${c.maxCapacity}`);
  }
  if (!(c.provisioningSeconds >= 0)) problems.push(`provisioningSeconds: must be >= 0, got ${c.provisioningSeconds}`);
  if (problems.length > 0) throw new Error(`invalid SageMaker scaling policy: ${problems.join('; ')}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
