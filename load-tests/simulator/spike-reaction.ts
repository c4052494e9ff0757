import type { EndpointSimulation } from './simulation-result';

export interface SpikeReaction {
  /** Seconds from the spike's start to the first scale-out decision. */
  readonly decidedAfterSeconds: number;
  /** Seconds from the spike's start to the first new replica serving, if one did within the run. */
  readonly readyAfterSeconds?: number;
  /** The policy's reason for that scale-out. */
  readonly reason: string;
}

/** How an endpoint's autoscaler answered a spike starting at `spikeStartMinute`; undefined if it never scaled out. */
export function spikeReaction(endpoint: EndpointSimulation, spikeStartMinute: number): SpikeReaction | undefined {
  const start = spikeStartMinute * 60;
  const decided = endpoint.scalingEvents.find((s) => s.kind === 'scale-out' && s.atSeconds >= start);
  if (!decided) return undefined;
  const ready = endpoint.scalingEvents.find((s) => s.kind === 'replicas-ready' && s.atSeconds >= decided.atSeconds);
  return { decidedAfterSeconds: decided.atSeconds - start, readyAfterSeconds: ready && ready.atSeconds - start, reason: decided.reason };
}
