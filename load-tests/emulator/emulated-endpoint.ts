/**
 * One endpoint of the topology as the emulator runs it, independent of protocol: its variants
 * (traffic weights, replica pool, service-time model), its model, and the fault draws. The
 * SageMaker and Vertex modules parse requests and write the outcome in their own wire format.
 */
import type { ResolvedEndpoint, ResolvedVariant } from '../../constructs';
import type { Clock } from '../clock/clock';
import { hashString, type Random } from '../replica/random';
import type { ReplicaModel } from '../replica/replica-model';
import { ModelInputError, type EndpointModel } from '../models/endpoint-model';
import type { FaultOptions } from './faults';
import { ReplicaPool } from './replica-pool';

export interface EmulatedVariant {
  readonly name: string;
  /** Percent of the endpoint's traffic (the topology's variant weight). */
  readonly weight: number;
  readonly resolved: ResolvedVariant;
  readonly pool: ReplicaPool;
  /** Vertex names the deployed model by a numeric id; derived from the variant's display name. */
  readonly deployedModelId: string;
  readonly modelId: string;
}

export type InvocationOutcome =
  | { readonly kind: 'ok'; readonly variant: EmulatedVariant; readonly predictions: unknown[] }
  /** Refused before reaching a model: a throttle fault, or every replica full. */
  | { readonly kind: 'throttled'; readonly variant: EmulatedVariant }
  | { readonly kind: 'not-ready'; readonly variant: EmulatedVariant }
  | { readonly kind: 'unavailable'; readonly variant: EmulatedVariant }
  /** The model server answered an error status (400 for bad instances, 500 for a failure). */
  | { readonly kind: 'model-error'; readonly variant: EmulatedVariant; readonly status: 400 | 415 | 500; readonly message: string };

export interface EmulatedEndpointOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly model: EndpointModel;
  readonly faults: FaultOptions;
  /** The replica model of each variant (load-tests/replica). */
  readonly replicaModel: (variant: ResolvedVariant) => ReplicaModel;
  readonly provisioningDelayMs: number;
}

export class EmulatedEndpoint {
  readonly variants: readonly EmulatedVariant[];
  private readonly cumulativeWeights: number[];

  constructor(
    readonly resolved: ResolvedEndpoint,
    private readonly options: EmulatedEndpointOptions,
  ) {
    this.variants = resolved.variants.map((v) => ({
      name: v.aws.variantName,
      weight: v.weight,
      resolved: v,
      pool: new ReplicaPool({
        clock: options.clock,
        // Both clouds create a scale-to-zero deployment with one replica (CopyCount / initialReplicaCount 1).
        replicas: Math.max(1, resolved.scaling.min),
        model: options.replicaModel(v),
        random: options.random,
        provisioningDelayMs: options.provisioningDelayMs,
        stall: options.faults.stall,
      }),
      deployedModelId: numericId(`deployed-model/${v.gcp.displayName}`),
      modelId: numericId(`model/${v.gcp.displayName}`),
    }));
    let sum = 0;
    this.cumulativeWeights = this.variants.map((v) => (sum += v.weight));
  }

  get name(): string {
    return this.resolved.name;
  }

  get model(): EndpointModel {
    return this.options.model;
  }

  variant(name: string): EmulatedVariant | undefined {
    return this.variants.find((v) => v.name === name);
  }

  /** A variant drawn by traffic weight. */
  pickVariant(): EmulatedVariant {
    const total = this.cumulativeWeights[this.cumulativeWeights.length - 1];
    const x = this.options.random.uniform() * total;
    const i = this.cumulativeWeights.findIndex((c) => x < c);
    return this.variants[i < 0 ? this.variants.length - 1 : i];
  }

  /**
   * Runs one request on `variant`: fault draws, the model, then a replica slot for the sampled
   * service time. `done` is called once, when the answer is due.
   */
  invoke(variant: EmulatedVariant, instances: readonly unknown[], done: (outcome: InvocationOutcome) => void): void {
    const { faults, random } = this.options;
    if (faults.throttleRate > 0 && random.uniform() < faults.throttleRate) return done({ kind: 'throttled', variant });
    if (faults.unavailableRate > 0 && random.uniform() < faults.unavailableRate) return done({ kind: 'unavailable', variant });
    let predictions: unknown[];
    try {
      predictions = this.options.model.predict(instances);
    } catch (e) {
      if (e instanceof ModelInputError) return done({ kind: 'model-error', variant, status: 400, message: e.message });
      throw e;
    }
    const fails = faults.errorRate > 0 && random.uniform() < faults.errorRate;
    const spike = faults.latencySpike;
    const extraMs = spike && random.uniform() < spike.probability ? spike.extraMs : 0;
    const admission = variant.pool.submit({
      extraMs,
      onDone: () =>
        done(
          fails
            ? { kind: 'model-error', variant, status: 500, message: 'model server failed: injected fault (--error-rate)' }
            : { kind: 'ok', variant, predictions },
        ),
    });
    if (admission === 'throttled') done({ kind: 'throttled', variant });
    else if (admission === 'not-ready') done({ kind: 'not-ready', variant });
  }

  close(): void {
    for (const v of this.variants) v.pool.close();
  }
}

/** A stable 19-digit id, the form Vertex gives deployed models and models. */
function numericId(key: string): string {
  const high = BigInt(hashString(key));
  const low = BigInt(hashString(key, 0x2545f491));
  return ((((high << 32n) | low) % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n).toString();
}
