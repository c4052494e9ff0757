/**
 * Measured capacity from a load-test result (`serving-stacks loadtest --out result.json`, the
 * issue-4 contract): the service time of one replica and how many requests per second it holds.
 * Only these fields are read, so older and newer result versions work alike:
 * `latencyMs.uncorrected.p50` (required), `latencyMs.uncorrected.p99`, `achievedRate` and
 * `maxRequestsPerSecondPerReplica` (one is required; the latter wins, as `--find-capacity` writes
 * it), and the endpoint name in `endpoint` or `target.endpoint` when the flag does not give one.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { serviceTimeFromPercentiles, serviceTimeModel, type ServiceTimeModel } from './service-time';

export interface CapacityMeasurement {
  readonly source: string;
  readonly serviceTime: ServiceTimeModel;
  /** Requests per second one replica holds (of the measured shape). */
  readonly requestsPerSecondPerReplica: number;
}

const resultSchema = z.looseObject({
  endpoint: z.string().optional(),
  target: z.union([z.string(), z.looseObject({ endpoint: z.string().optional() })]).optional(),
  latencyMs: z.looseObject({
    uncorrected: z.looseObject({
      p50: z.number().positive(),
      p99: z.number().positive().optional(),
    }),
  }),
  achievedRate: z.number().positive().optional(),
  maxRequestsPerSecondPerReplica: z.number().positive().optional(),
});

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
    const endpoint = match?.[1] ?? named ?? (endpointNames.length === 1 ? endpointNames[0] : undefined);
    if (!endpoint) {
      throw new CapacityFileError(`--capacity ${spec}: the result names no endpoint; write --capacity <endpoint>=${path} (endpoints: ${endpointNames.join(', ')})`);
    }
    if (!endpointNames.includes(endpoint)) {
      throw new CapacityFileError(`--capacity ${spec}: no endpoint "${endpoint}" in the topology (endpoints: ${endpointNames.join(', ')})`);
    }
    if (out[endpoint]) throw new CapacityFileError(`--capacity: endpoint "${endpoint}" is given twice`);
    out[endpoint] = measurement;
  }
  return out;
}

export function readCapacityFile(path: string): { endpoint?: string; measurement: CapacityMeasurement } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `not valid JSON (${e.message})` : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new CapacityFileError(`--capacity ${path}: ${reason}`);
  }
  const result = resultSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CapacityFileError(`--capacity ${path}: not a load-test result (${issues.join('; ')})`);
  }
  const r = result.data;
  const capacity = r.maxRequestsPerSecondPerReplica ?? r.achievedRate;
  if (capacity === undefined) {
    throw new CapacityFileError(`--capacity ${path}: needs maxRequestsPerSecondPerReplica or achievedRate (requests/s one replica held)`);
  }
  const { p50, p99 } = r.latencyMs.uncorrected;
  const endpoint = r.endpoint ?? (typeof r.target === 'object' ? r.target.endpoint : undefined);
  return {
    endpoint,
    measurement: {
      source: path,
      serviceTime: p99 !== undefined ? serviceTimeFromPercentiles(p50, p99) : serviceTimeModel(p50),
      requestsPerSecondPerReplica: capacity,
    },
  };
}
