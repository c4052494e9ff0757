/**
 * Fleet arithmetic shared by both clouds' policies: launching replicas that serve after a
 * provisioning delay, removing replicas, and bringing started ones into service.
 */
import type { Fleet, StartingReplicas } from './policy';

export function initialFleet(replicas: number): Fleet {
  return { inService: replicas, starting: [], desired: replicas };
}

/**
 * The fleet after the cloud sets its desired capacity to `desired` at `now`. Growth launches the
 * difference, serving from `now + provisioningSeconds`; shrinkage cancels replicas still starting
 * (latest first) before it removes serving ones, which is what a cloud does with capacity it no
 * longer needs.
 */
export function resize(fleet: Fleet, desired: number, now: number, provisioningSeconds: number): Fleet {
  if (desired === fleet.desired) return fleet;
  if (desired > fleet.desired) {
    const batch: StartingReplicas = { readyAt: now + provisioningSeconds, count: desired - fleet.desired };
    return { inService: fleet.inService, starting: [...fleet.starting, batch], desired };
  }
  let surplus = fleet.desired - desired;
  const starting = [...fleet.starting];
  while (surplus > 0 && starting.length > 0) {
    const last = starting[starting.length - 1];
    const cancelled = Math.min(surplus, last.count);
    surplus -= cancelled;
    if (cancelled === last.count) starting.pop();
    else starting[starting.length - 1] = { readyAt: last.readyAt, count: last.count - cancelled };
  }
  return { inService: fleet.inService - surplus, starting, desired };
}

/** Brings every replica whose `readyAt` is at or before `now` into service. */
export function promoteReady(fleet: Fleet, now: number): Fleet {
  let ready = 0;
  let i = 0;
  while (i < fleet.starting.length && fleet.starting[i].readyAt <= now) ready += fleet.starting[i++].count;
  if (ready === 0) return fleet;
  return { inService: fleet.inService + ready, starting: fleet.starting.slice(i), desired: fleet.desired };
}

/** When the next starting replicas become ready, or Infinity. */
export function nextReadyAt(fleet: Fleet): number {
  return fleet.starting.length > 0 ? fleet.starting[0].readyAt : Number.POSITIVE_INFINITY;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
