/**
 * The pgvector database's compute, decided once for both clouds as the memory the writer has at
 * its largest; each cloud's unit follows from it. Aurora Serverless v2 scales between a floor and
 * that ceiling and bills the ACUs it uses; AlloyDB provisions the vCPUs that carry that memory and
 * bills them whether used or not (the parity note `vectorStore.engine` says so).
 */

/** [V] One Aurora Capacity Unit is about 2 GiB of memory with matching CPU and networking (Aurora User Guide, "How Aurora Serverless v2 works"). */
export const AURORA_GIB_PER_ACU = 2;

/** [V] Aurora Serverless v2's floor without auto-pause, ACUs (Aurora User Guide, "Aurora Serverless v2 capacity"). */
export const AURORA_MIN_ACU = 0.5;

/** [V] AlloyDB N2 machines carry 8 GB of memory per vCPU: 2 vCPU 16 GB, 4 vCPU 32 GB (AlloyDB docs, "Choose a machine type"). */
export const ALLOYDB_GIB_PER_VCPU = 8;

/**
 * [U] Writer memory at its largest: 32 GiB in production, 16 GiB elsewhere, what AlloyDB was given
 * (4 and 2 vCPUs) before both clouds were sized together; Aurora had 32 GiB (16 ACU) everywhere.
 */
export function pgvectorMemoryGiB(production: boolean): number {
  return production ? 32 : 16;
}

export interface PgvectorCompute {
  readonly memoryGiB: number;
  readonly aws: { readonly minCapacityAcu: number; readonly maxCapacityAcu: number };
  readonly gcp: { readonly cpuCount: number };
}

export function pgvectorCompute(production: boolean): PgvectorCompute {
  const memoryGiB = pgvectorMemoryGiB(production);
  return {
    memoryGiB,
    aws: { minCapacityAcu: AURORA_MIN_ACU, maxCapacityAcu: memoryGiB / AURORA_GIB_PER_ACU },
    gcp: { cpuCount: memoryGiB / ALLOYDB_GIB_PER_VCPU },
  };
}
