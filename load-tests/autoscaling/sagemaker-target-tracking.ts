/**
 * SageMaker real-time endpoint autoscaling: Application Auto Scaling target tracking on
 * `sagemaker:variant:DesiredInstanceCount`. Every number it rests on is read from an AssumptionSet
 * (constructs/assumptions/register.ts gives each its source and tag).
 *
 * Model:
 * - The tracked metric is published as datapoints (1-minute for invocations per instance, 10-second
 *   for the high-resolution concurrency metric, `metric.sagemaker-*.period-seconds`), each visible to
 *   its alarm `metric.sagemaker-*.publish-delay-seconds` after it closes.
 * - Scale-out alarm: the last `alarm.sagemaker.scale-out-datapoints` datapoints above target ×
 *   (1 + `decision.tolerance`). On each datapoint while it holds, desired = ceil(n × metric / target),
 *   n = the in-service instances the datapoint averages over, clamped to [min, max], applied when larger
 *   than the current desired capacity. That is the AAS scale-out cooldown rule: the capacity added by
 *   the previous scale-out counts toward the next, and a larger scale-out passes the cooldown; with n
 *   counting only in-service instances, a repeat of the same need is never larger.
 * - Endpoint update lock (`sagemaker.endpoint-update-lock`): a capacity change keeps the endpoint in
 *   `Updating` until the new instances are InService, and no variant of it scales meanwhile, so
 *   scale-outs do not pile up while instances start. The variants of one endpoint share an
 *   EndpointUpdateLock.
 * - Scale-in alarm: the last `alarm.sagemaker.scale-in-datapoints` one-minute datapoints below
 *   target × (1 − `decision.sagemaker.scale-in-margin`), also for the high-resolution metric, whose
 *   faster datapoints drive scale-out only. Scale-in waits for its own cooldown, the last scale-out's
 *   cooldown and the update lock, and never cancels capacity still starting.
 * - Invocations count refused requests only if `scaling-metric.counts-refused-requests` is 1.
 * - New instances serve `provisioning.<family>-replica-seconds` after the decision; removed ones stop at once.
 */
import { assumptionSet, type AssumptionSet, type AwsEndpointPlan } from '../../constructs';
import { EndpointUpdateLock } from './endpoint-update-lock';
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

/** Scale-in runs at standard speed, on 1-minute datapoints, even with the high-resolution metric ("Define a scaling policy"). */
export const SAGEMAKER_SCALE_IN_PERIOD_SECONDS = 60;

export interface SageMakerPolicyConfig {
  /** The resolved target-tracking metric (`ResolvedEndpoint.aws.scalingMetric`) and the variant's target (`aws.scalingTargetValue`). */
  readonly metric: AwsEndpointPlan['scalingMetric'] & { readonly targetValue: number };
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
  /** Which provisioning assumption the instance's start-up follows. */
  readonly family: ReplicaFamily;
  /** vCPUs and GPUs of the instance: SageMaker's CPUUtilization and GPUUtilization sum over them. */
  readonly vcpus: number;
  readonly acceleratorCount: number;
  /** @default assumptionSet('aws') (base case) */
  readonly assumptions?: AssumptionSet;
  /** Shared by the variants of one endpoint. @default a lock of this variant's own */
  readonly updateLock?: EndpointUpdateLock;
}

/** One closed datapoint: its value, the in-service instances it averages over, when its alarm sees it. */
interface Datapoint {
  readonly value: number;
  readonly replicas: number;
  readonly visibleAt: number;
}

export interface SageMakerState extends PolicyState {
  /** Datapoint being accumulated at the scale-out resolution, and the 1-minute one for scale-in. */
  readonly fastPeriod: MetricPeriod;
  readonly minutePeriod: MetricPeriod;
  readonly fastPeriodsDone: number;
  readonly minutePeriodsDone: number;
  readonly origin: number;
  /** Closed datapoints not yet visible to their alarm, oldest first. */
  readonly unpublishedFast: readonly Datapoint[];
  readonly unpublishedMinute: readonly Datapoint[];
  /** Most recent visible datapoints, newest last. */
  readonly scaleOutDatapoints: readonly Datapoint[];
  readonly scaleInDatapoints: readonly Datapoint[];
  readonly lastScaleOutAt: number;
  readonly lastScaleInAt: number;
}

export function sageMakerTargetTracking(config: SageMakerPolicyConfig): AutoscalingPolicy<SageMakerState> {
  validate(config);
  const assumptions = config.assumptions ?? assumptionSet('aws');
  const lock = config.updateLock ?? new EndpointUpdateLock();
  const metric = config.metric;
  const target = metric.targetValue;
  const highResolution = metric.kind === 'predefined' && metric.metric === 'SageMakerVariantConcurrentRequestsPerModelHighResolution';
  const fastMetric = highResolution ? 'metric.sagemaker-concurrency' : metric.kind === 'instance' ? 'metric.sagemaker-instance-utilisation' : 'metric.sagemaker-invocations';
  // Scale-in reads 1-minute datapoints of the same metric; only their publish delay is looked up.
  const minuteMetric = highResolution || metric.kind === 'instance' ? fastMetric : 'metric.sagemaker-invocations';
  const fastSeconds = assumptions.value(`${fastMetric}.period-seconds`);
  const fastDelay = assumptions.value(`${fastMetric}.publish-delay-seconds`);
  const minuteDelay = assumptions.value(`${minuteMetric}.publish-delay-seconds`);
  const scaleOutDatapoints = assumptions.value('alarm.sagemaker.scale-out-datapoints');
  const scaleInDatapoints = assumptions.value('alarm.sagemaker.scale-in-datapoints');
  const scaleOutThreshold = target * (1 + assumptions.value('decision.tolerance'));
  const scaleInThreshold = target * (1 - assumptions.value('decision.sagemaker.scale-in-margin'));
  const countsRefused = assumptions.value('scaling-metric.counts-refused-requests') >= 0.5;
  const updateLock = assumptions.value('sagemaker.endpoint-update-lock') >= 0.5;
  const provisioningSeconds = assumptions.value(provisioningAssumption(config.family));
  const metricName = metric.kind === 'predefined' ? metric.metric : metric.metricName;

  /** The metric's value over a period, in the unit its target is in. */
  const valueOf = (p: MetricPeriod): number => {
    if (metric.kind === 'instance') {
      return metric.metricName === 'CPUUtilization'
        ? meanOver(p, p.cpuPercentSeconds) * config.vcpus
        : meanOver(p, p.dutyCyclePercentSeconds) * config.acceleratorCount;
    }
    if (highResolution) return meanOver(p, p.concurrencySeconds);
    // SageMakerVariantInvocationsPerInstance: invocations per minute, each counting 1/instances.
    const invocations = countsRefused ? p.requests : p.requests - p.rejectedRequests;
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
    unpublishedFast: [],
    unpublishedMinute: [],
    scaleOutDatapoints: [],
    scaleInDatapoints: [],
    lastScaleOutAt: Number.NEGATIVE_INFINITY,
    lastScaleInAt: Number.NEGATIVE_INFINITY,
  });

  const fastEnd = (s: SageMakerState) => s.origin + (s.fastPeriodsDone + 1) * fastSeconds;
  const minuteEnd = (s: SageMakerState) => s.origin + (s.minutePeriodsDone + 1) * SAGEMAKER_SCALE_IN_PERIOD_SECONDS;
  const firstVisible = (pending: readonly Datapoint[]) => (pending.length > 0 ? pending[0].visibleAt : Number.POSITIVE_INFINITY);
  const nextEventAt = (s: SageMakerState) =>
    Math.min(fastEnd(s), minuteEnd(s), firstVisible(s.unpublishedFast), firstVisible(s.unpublishedMinute), nextReadyAt(s.fleet));
  const locked = (at: number) => updateLock && lock.isUpdating(at);

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
      if (next >= fastEnd(s)) s = closeFastPeriod(s);
      if (next >= minuteEnd(s)) s = closeMinutePeriod(s);
      while (s.unpublishedFast.length > 0 && s.unpublishedFast[0].visibleAt <= next) s = evaluateScaleOut(s, events);
      while (s.unpublishedMinute.length > 0 && s.unpublishedMinute[0].visibleAt <= next) s = evaluateScaleIn(s, events);
    }
    return { state: s, events };
  };

  const bringReady = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const fleet = promoteReady(s.fleet, s.clock);
    if (fleet === s.fleet) return s;
    events.push({ at: s.clock, kind: 'replicas-ready', from: s.fleet.inService, to: fleet.inService, reason: 'instances InService' });
    return { ...s, fleet };
  };

  const closeFastPeriod = (s: SageMakerState): SageMakerState => ({
    ...s,
    fastPeriod: EMPTY_PERIOD,
    fastPeriodsDone: s.fastPeriodsDone + 1,
    unpublishedFast: [...s.unpublishedFast, { value: valueOf(s.fastPeriod), replicas: meanReplicas(s.fastPeriod), visibleAt: s.clock + fastDelay }],
  });

  const closeMinutePeriod = (s: SageMakerState): SageMakerState => ({
    ...s,
    minutePeriod: EMPTY_PERIOD,
    minutePeriodsDone: s.minutePeriodsDone + 1,
    unpublishedMinute: [...s.unpublishedMinute, { value: valueOf(s.minutePeriod), replicas: meanReplicas(s.minutePeriod), visibleAt: s.clock + minuteDelay }],
  });

  const evaluateScaleOut = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const [point, ...rest] = s.unpublishedFast;
    const datapoints = [...s.scaleOutDatapoints, point].slice(-scaleOutDatapoints);
    const next: SageMakerState = { ...s, unpublishedFast: rest, scaleOutDatapoints: datapoints };
    const alarm = datapoints.length === scaleOutDatapoints && datapoints.every((d) => d.value > scaleOutThreshold);
    if (!alarm) return next;
    const desired = clamp(Math.ceil((point.replicas * point.value) / target), config.minCapacity, config.maxCapacity);
    if (desired <= s.fleet.desired || locked(s.clock)) return next;
    const cooling = s.clock < s.lastScaleOutAt + config.scaleOutCooldownSeconds;
    events.push({
      at: s.clock,
      kind: 'scale-out',
      from: s.fleet.desired,
      to: desired,
      reason: `${scaleOutDatapoints} of ${scaleOutDatapoints} ${fastSeconds}-s datapoints of ${metricName} > ${round(scaleOutThreshold)} (last ${round(point.value)}); ceil(${round(point.replicas)} × ${round(point.value)} / ${target})${cooling ? ', larger than the scale-out in cooldown' : ''}`,
    });
    if (updateLock) lock.hold(s.clock, s.clock + provisioningSeconds);
    return { ...next, fleet: resize(s.fleet, desired, s.clock, provisioningSeconds), lastScaleOutAt: s.clock };
  };

  const evaluateScaleIn = (s: SageMakerState, events: ScalingEvent[]): SageMakerState => {
    const [point, ...rest] = s.unpublishedMinute;
    const datapoints = [...s.scaleInDatapoints, point].slice(-scaleInDatapoints);
    const next: SageMakerState = { ...s, unpublishedMinute: rest, scaleInDatapoints: datapoints };
    const alarm = datapoints.length === scaleInDatapoints && datapoints.every((d) => d.value < scaleInThreshold);
    const cooling =
      s.clock < s.lastScaleInAt + config.scaleInCooldownSeconds || s.clock < s.lastScaleOutAt + config.scaleOutCooldownSeconds;
    if (!alarm || cooling || s.fleet.starting.length > 0 || locked(s.clock)) return next;
    const desired = clamp(Math.ceil((point.replicas * point.value) / target), config.minCapacity, config.maxCapacity);
    if (desired >= s.fleet.desired) return next;
    events.push({
      at: s.clock,
      kind: 'scale-in',
      from: s.fleet.desired,
      to: desired,
      reason: `${scaleInDatapoints} of ${scaleInDatapoints} 60-s datapoints of ${metricName} < ${round(scaleInThreshold)} (last ${round(point.value)}); ceil(${round(point.replicas)} × ${round(point.value)} / ${target})`,
    });
    return { ...next, fleet: resize(s.fleet, desired, s.clock, provisioningSeconds), lastScaleInAt: s.clock };
  };

  const parameters: PolicyParameter[] = [
    { name: 'metric', value: `${metricName} target ${target}`, tag: 'V', source: 'resolved topology (aws.scalingMetric)' },
    assumptionParameter(assumptions, `${fastMetric}.period-seconds`),
    assumptionParameter(assumptions, `${fastMetric}.publish-delay-seconds`),
    ...(fastMetric === minuteMetric ? [] : [assumptionParameter(assumptions, `${minuteMetric}.publish-delay-seconds`)]),
    assumptionParameter(assumptions, 'alarm.sagemaker.scale-out-datapoints'),
    assumptionParameter(assumptions, 'alarm.sagemaker.scale-in-datapoints'),
    assumptionParameter(assumptions, 'decision.tolerance'),
    assumptionParameter(assumptions, 'decision.sagemaker.scale-in-margin'),
    ...(metric.kind === 'predefined' && !highResolution ? [assumptionParameter(assumptions, 'scaling-metric.counts-refused-requests')] : []),
    assumptionParameter(assumptions, 'sagemaker.endpoint-update-lock'),
    { name: 'scale-out cooldown seconds (holds back scale-in; a larger scale-out passes)', value: config.scaleOutCooldownSeconds, tag: 'V', source: 'topology scaling.scaleOutCooldownSeconds' },
    { name: 'scale-in cooldown seconds', value: config.scaleInCooldownSeconds, tag: 'V', source: 'topology scaling.scaleInCooldownSeconds' },
    assumptionParameter(assumptions, provisioningAssumption(config.family)),
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
  if (c.assumptions && c.assumptions.cloud !== 'aws') problems.push(`assumptions: must be the set for aws, got ${c.assumptions.cloud}`);
  if (problems.length > 0) throw new Error(`invalid SageMaker scaling policy: ${problems.join('; ')}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
