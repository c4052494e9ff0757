/**
 * The one admission rule of a replica, used by the emulator (per replica, behind least-outstanding
 * routing) and by the simulator (per fleet, one FIFO queue over every replica's slots): a request
 * is served when a slot is free and nobody waits, queued while the queue has room, refused
 * otherwise. Under least-outstanding routing every replica fills before any refuses, so both
 * refuse at the same occupancy: replicas × (concurrencyPerReplica + queueLimitPerReplica).
 */
import type { ReplicaModel } from './replica-model';

export type Admission = 'serve' | 'queue' | 'refuse';

export function admit(slotFree: boolean, queued: number, queueLimit: number): Admission {
  if (slotFree && queued === 0) return 'serve';
  if (queued < queueLimit) return 'queue';
  return 'refuse';
}

/** Requests `replicas` replicas hold before refusing: every slot busy and every queue full. */
export function occupancyLimit(model: Pick<ReplicaModel, 'concurrencyPerReplica' | 'queueLimitPerReplica'>, replicas: number): number {
  return replicas * (model.concurrencyPerReplica + model.queueLimitPerReplica);
}
