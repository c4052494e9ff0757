/**
 * What the generator drives: one deployed endpoint through one real client. A target prepares
 * its payloads once (in its own wire form), then sends them as fast as the schedule asks.
 */
import type { ClassifiedError } from './error-classification';

export const TARGET_KINDS = ['sagemaker', 'vertex', 'http', 'rag', 'pipeline'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TargetDescription {
  readonly kind: TargetKind;
  /** The endpoint as addressed: SageMaker endpoint name, Vertex endpoint resource name, or URL. */
  readonly endpoint: string;
  /** Where requests go, when not the cloud's default address. */
  readonly url?: string;
  readonly region?: string;
  /** The client library doing the calls, with its version. */
  readonly client: string;
}

/** What a multi-stage call (the RAG path) measured beyond its end-to-end latency. */
export interface CallDetail {
  /** Milliseconds each stage took, by stage name (embed, search, rerank). */
  readonly stagesMs?: Readonly<Record<string, number>>;
  /** Ground-truth neighbours found among the `expected` ones (recall@k = found / expected). */
  readonly recall?: { readonly found: number; readonly expected: number };
}

export type CallOutcome =
  /** `variant`: the production variant or deployed model that answered, when the protocol says. */
  | { readonly ok: true; readonly variant?: string; readonly detail?: CallDetail }
  | { readonly ok: false; readonly error: ClassifiedError };

export interface TargetCall {
  /** Abandons the call (timeout or interruption); its outcome, if it still comes, is ignored. */
  cancel(): void;
}

export interface Target {
  readonly description: TargetDescription;
  /**
   * False for a target whose every request changes the system under test (`pipeline` publishes a
   * document): the shard sends it no untimed warm-up requests, and its warmUp() checks it can reach
   * everything instead of a probe request. @default true
   */
  readonly untimedRequests?: false;
  /** Connects (and authenticates) ahead of the run, so the first requests do not pay for it. */
  warmUp(): Promise<void>;
  /** Sends payload number `payloadIndex`; `done` is called once with the outcome. */
  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall;
  close(): Promise<void>;
}

/** The target could not be set up before the run: unreachable address, no credentials. Nothing was measured. */
export class TargetSetupError extends Error {
  override readonly name = 'TargetSetupError';
}
