/**
 * Fault injection for the emulator (`emulate`'s flags, parsed in bin/options/fault-options.ts).
 * Each fault maps to the error the cloud would really return (see the protocol modules), so a
 * load test sees what production sees.
 */
export interface FaultOptions {
  /** Fraction of requests refused as throttled before reaching a replica. */
  readonly throttleRate: number;
  /** Fraction of requests whose model fails (the container answers 500). */
  readonly errorRate: number;
  /** Fraction of requests refused as service unavailable (SageMaker 503 ServiceUnavailable, Vertex 503 UNAVAILABLE). */
  readonly unavailableRate: number;
  /** Occasional slow requests: with this probability, a request's service time grows by `extraMs`. */
  readonly latencySpike?: { readonly probability: number; readonly extraMs: number };
  /** Replicas that stop answering for `forMs` in every `everyMs`. */
  readonly stall?: StallFault;
}

export interface StallFault {
  readonly everyMs: number;
  readonly forMs: number;
  /** How many replicas of each variant stall: a count, or every replica. */
  readonly replicas: number | 'all';
}

export const NO_FAULTS: FaultOptions = { throttleRate: 0, errorRate: 0, unavailableRate: 0 };
