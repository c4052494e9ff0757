/**
 * What `VertexDeploymentResourcePool` does, as plain functions over a `VertexApi`: create, read
 * and delete one Vertex AI deployment resource pool (DeploymentResourcePoolService, v1), the
 * replicas that several endpoints' models share (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting).
 *
 * The pool owns the replicas and their autoscaling; its members are deployed by each endpoint's
 * `VertexModelDeployment` with `sharedResources`. Any change of the pool's settings makes a new
 * pool under a new id (the caller puts a hash of the settings in the id): Pulumi creates it, the
 * members redeploy onto it, then the old pool, empty by then, is deleted. Vertex refuses to delete
 * a pool that still has deployed models.
 */
import { z } from 'zod';
import { DEPLOYMENT_RESOURCE_POOL_ID } from '../../../constructs/deployment-pool-rules';
import { checkWith, type CheckFailure } from './deployment-inputs';
import type { EngineDeps } from './deployment-engine';
import { apiFor } from './deployment-engine';
import type { DeploymentResourcePool } from './vertex-api';

export const poolInputsSchema = z
  .strictObject({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id'),
    region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a Google Cloud region such as us-central1'),
    poolId: z.string().regex(DEPLOYMENT_RESOURCE_POOL_ID, 'up to 63 of [a-z0-9-], starting with a letter, not ending with a hyphen'),
    apiBaseUrl: z.url().optional(),
    machineType: z.string().min(1),
    acceleratorType: z.string().optional(),
    acceleratorCount: z.number().int().min(0).max(8),
    /** A pool keeps at least one replica (its DedicatedResources.min_replica_count >= 1). */
    minReplicaCount: z.number().int().min(1),
    maxReplicaCount: z.number().int().min(1),
    autoscalingMetricSpecs: z.array(z.strictObject({ metricName: z.string().min(1), target: z.number().int().positive() })),
    /** The members' endpoints have the same CMEK (DeploymentResourcePool.encryption_spec). */
    encryptionKmsKeyName: z
      .string()
      .regex(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, 'a Cloud KMS key name projects/…/cryptoKeys/…')
      .optional(),
    /** Identity the pool's containers run as. */
    serviceAccount: z.email().optional(),
    operationTimeoutSeconds: z.number().int().min(1).max(86_400),
  })
  .refine((p) => p.minReplicaCount <= p.maxReplicaCount, { path: ['minReplicaCount'], message: 'must be <= maxReplicaCount' })
  .refine((p) => (p.acceleratorCount > 0) === (p.acceleratorType !== undefined), { path: ['acceleratorType'], message: 'set acceleratorType exactly when acceleratorCount > 0' });

export type PoolInputs = z.output<typeof poolInputsSchema>;

export interface PoolState extends PoolInputs {
  /** `projects/…/locations/…/deploymentResourcePools/…`, what members deploy to. */
  readonly poolName: string;
}

export function checkPoolInputs(raw: unknown): { inputs?: PoolInputs; failures: CheckFailure[] } {
  return checkWith(poolInputsSchema, raw);
}

/** Where the pool lives and what it is: every one of them is fixed at creation. */
export function diffPool(olds: PoolState, news: PoolInputs): { changes: boolean; replaces: string[] } {
  const { poolName: _name, ...before } = olds;
  const keys = new Set([...Object.keys(before), ...Object.keys(news)]) as Set<keyof PoolInputs>;
  // Where to reach the API and how long to wait are not the pool's: they change in place.
  const local = new Set<keyof PoolInputs>(['apiBaseUrl', 'operationTimeoutSeconds']);
  const changed = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(news[k]));
  return { changes: changed.length > 0, replaces: changed.filter((k) => !local.has(k)) };
}

export function poolResource(p: PoolInputs): DeploymentResourcePool {
  return {
    dedicatedResources: {
      machineSpec: { machineType: p.machineType, ...(p.acceleratorType ? { acceleratorType: p.acceleratorType, acceleratorCount: p.acceleratorCount } : {}) },
      minReplicaCount: p.minReplicaCount,
      maxReplicaCount: p.maxReplicaCount,
      autoscalingMetricSpecs: p.autoscalingMetricSpecs,
    },
    ...(p.encryptionKmsKeyName && { encryptionSpec: { kmsKeyName: p.encryptionKmsKeyName } }),
    ...(p.serviceAccount && { serviceAccount: p.serviceAccount }),
  };
}

export async function createPool(inputs: PoolInputs, deps: EngineDeps = {}): Promise<PoolState> {
  const api = apiFor(inputs, deps);
  deps.log?.(`creating deployment resource pool ${inputs.poolId}: ${inputs.minReplicaCount}-${inputs.maxReplicaCount} x ${inputs.machineType}`);
  const poolName = await api.createDeploymentResourcePool(inputs.poolId, poolResource(inputs));
  return { ...inputs, poolName };
}

/** Refresh: undefined when the pool is gone (Pulumi drops it from the state). */
export async function readPool(olds: PoolState, deps: EngineDeps = {}): Promise<PoolState | undefined> {
  return (await apiFor(olds, deps).getDeploymentResourcePool(olds.poolName)) ? olds : undefined;
}

export async function updatePool(olds: PoolState, news: PoolInputs): Promise<PoolState> {
  return { ...news, poolName: olds.poolName };
}

/** Deletes the pool; gone already counts as deleted. Vertex refuses while a model is deployed to it, and the error says which. */
export async function deletePool(olds: PoolState, deps: EngineDeps = {}): Promise<void> {
  await apiFor(olds, deps).deleteDeploymentResourcePool(olds.poolName);
}
