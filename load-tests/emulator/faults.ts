/**
 * Fault injection for the emulator, from command-line flags. Each fault maps to the error the
 * cloud would really return (see the protocol modules), so a load test sees what production sees.
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

/** A fraction in [0, 1], for `--throttle-rate` and friends. */
export function parseFraction(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${flag}: expected a fraction between 0 and 1 (for example 0.01), got "${text}"`);
  }
  return value;
}

/** `p=0.01,ms=800`: one request in a hundred takes 800 ms longer. */
export function parseLatencySpike(text: string): { probability: number; extraMs: number } {
  const fields = parseFields('--latency-spike', text, ['p', 'ms'], 'p=0.01,ms=800');
  const probability = parseFraction('--latency-spike p', fields.p);
  const extraMs = parseDurationMs('--latency-spike ms', fields.ms);
  return { probability, extraMs };
}

/** `every=5s,for=1s[,replicas=1|all]`: the first replica of each variant stops answering 1 s in every 5. */
export function parseStall(text: string): StallFault {
  const fields = parseFields('--stall', text, ['every', 'for', 'replicas'], 'every=5s,for=1s,replicas=1', ['replicas']);
  const everyMs = parseDurationMs('--stall every', fields.every, 'unit required');
  const forMs = parseDurationMs('--stall for', fields.for, 'unit required');
  if (forMs >= everyMs) throw new RangeError(`--stall: "for" (${forMs} ms) must be shorter than "every" (${everyMs} ms)`);
  const replicasText = fields.replicas ?? '1';
  let replicas: number | 'all' = 'all';
  if (replicasText !== 'all') {
    replicas = Number(replicasText);
    if (!Number.isInteger(replicas) || replicas < 1) throw new RangeError(`--stall replicas: expected a whole number >= 1 or "all", got "${replicasText}"`);
  }
  return { everyMs, forMs, replicas };
}

/**
 * `800ms`, `1.5s`, `2m` in milliseconds. A bare number is milliseconds only where the field's name
 * says so (`ms=800`); elsewhere a unit is required, since the load-test flags read a bare number
 * as seconds.
 */
export function parseDurationMs(flag: string, text: string | undefined, bare: 'milliseconds' | 'unit required' = 'milliseconds'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text ?? '');
  if (!match || (bare === 'unit required' && !match[2])) {
    throw new RangeError(`${flag}: expected a duration with its unit, such as 800ms, 1.5s or 2m, got "${text ?? ''}"`);
  }
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000;
}

function parseFields(flag: string, text: string, allowed: readonly string[], example: string, optional: readonly string[] = []): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || rest.length > 0 || !allowed.includes(key)) {
      throw new RangeError(`${flag}: expected ${allowed.map((k) => `${k}=…`).join(',')} (for example ${example}), got "${text}"`);
    }
    fields[key] = value;
  }
  const missing = allowed.filter((k) => !optional.includes(k) && fields[k] === undefined);
  if (missing.length) throw new RangeError(`${flag}: missing ${missing.join(', ')} (for example ${example}), got "${text}"`);
  return fields;
}
