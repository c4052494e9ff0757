/**
 * Measured capacity from the load tests' output files (load-tests/generator):
 * - a load-test result (`loadtest --out`, `LoadTestResult`): the service time from
 *   `latencyMs.uncorrected` (p50, and p99 for the spread) and `achievedRate` as one replica's
 *   capacity, so run it against one replica at the rate it can hold;
 * - a capacity search (`loadtest --find-capacity --out`, `kind: "capacity"`):
 *   `maxRequestsPerSecondPerReplica`; the service time stays the topology's.
 * The endpoint is the one the file names (`target.endpoint` or `endpoint`) unless the flag says
 * `--capacity <endpoint>=<file>`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CapacityResult } from '../generator/find-capacity';
import type { LoadTestResult } from '../generator/result-format';
import { serviceTimeFromPercentiles, type ServiceTimeModel } from '../replica/service-time';

export interface CapacityMeasurement {
  readonly source: string;
  /** Measured service time; absent when the file measured only capacity. */
  readonly serviceTime?: ServiceTimeModel;
  /** Requests per second one replica holds (of the measured shape). */
  readonly requestsPerSecondPerReplica: number;
}

const loadTestSchema = z.looseObject({
  target: z.looseObject({ endpoint: z.string() }),
  achievedRate: z.number().positive(),
  latencyMs: z.looseObject({ uncorrected: z.looseObject({ p50: z.number().positive(), p99: z.number().positive() }) }),
});

const capacitySchema = z.looseObject({
  kind: z.literal('capacity'),
  endpoint: z.string(),
  maxRequestsPerSecondPerReplica: z.number().positive(),
});

/** The fields read from a load-test result, typed as the generator declares them. */
type LoadTestFields = {
  readonly target: Pick<LoadTestResult['target'], 'endpoint'>;
  readonly achievedRate: LoadTestResult['achievedRate'];
  readonly latencyMs: { readonly uncorrected: Pick<LoadTestResult['latencyMs']['uncorrected'], 'p50' | 'p99'> };
};

/** The fields read from a capacity search, typed as the generator declares them. */
type CapacityFields = Pick<CapacityResult, 'maxRequestsPerSecondPerReplica'> & { readonly endpoint: string };

export class CapacityFileError extends Error {
  override readonly name = 'CapacityFileError';
}

/**
 * Parses `--capacity [endpoint=]file.json` values into measurements by endpoint name.
 * `endpointNames` are the topology's, so a wrong name fails here with the list of right ones.
 */
export function loadCapacityFiles(specs: readonly string[], endpointNames: readonly string[]): Record<string, CapacityMeasurement> {
  const out: Record<string, CapacityMeasurement> = {};
  for (const spec of specs) {
    const match = /^([a-z][a-z0-9-]*)=(.+)$/.exec(spec);
    const path = match ? match[2] : spec;
    const { endpoint: named, measurement } = readCapacityFile(path);
    const endpoint = match?.[1] ?? named;
    if (!endpointNames.includes(endpoint)) {
      throw new CapacityFileError(
        `--capacity ${spec}: no endpoint "${endpoint}" in the topology (endpoints: ${endpointNames.join(', ')}); write --capacity <endpoint>=${path} to choose one`,
      );
    }
    if (out[endpoint]) throw new CapacityFileError(`--capacity: endpoint "${endpoint}" is given twice`);
    out[endpoint] = measurement;
  }
  return out;
}

export function readCapacityFile(path: string): { endpoint: string; measurement: CapacityMeasurement } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `not valid JSON (${e.message})` : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new CapacityFileError(`--capacity ${path}: ${reason}`);
  }
  const capacity = capacitySchema.safeParse(json);
  if (capacity.success) return fromCapacitySearch(path, capacity.data);
  const result = loadTestSchema.safeParse(json);
  if (result.success) return fromLoadTest(path, result.data);
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new CapacityFileError(
    `--capacity ${path}: neither a load-test result (loadtest --out) nor a capacity search (loadtest --find-capacity --out): ${issues.join('; ')}`,
  );
}

function fromLoadTest(source: string, r: LoadTestFields): { endpoint: string; measurement: CapacityMeasurement } {
  const { p50, p99 } = r.latencyMs.uncorrected;
  return {
    endpoint: r.target.endpoint,
    measurement: { source, serviceTime: serviceTimeFromPercentiles(p50, p99), requestsPerSecondPerReplica: r.achievedRate },
  };
}

function fromCapacitySearch(source: string, r: CapacityFields): { endpoint: string; measurement: CapacityMeasurement } {
  return { endpoint: r.endpoint, measurement: { source, requestsPerSecondPerReplica: r.maxRequestsPerSecondPerReplica } };
}
