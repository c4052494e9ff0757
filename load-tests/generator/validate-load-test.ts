/**
 * Checks a load test's options before anything runs. Returns every problem (field, bad value,
 * what is allowed), never throws: the caller decides how to report them.
 */
import type { TargetSpec } from '../targets/create-target';
import { VERTEX_ENDPOINT_RESOURCE } from '../targets/vertex-target-spec';
import { MAX_DURATION_SECONDS, MAX_RATE, MAX_WORKERS } from './load-test-defaults';
import type { LoadTestOptions } from './run-load-test';
import { scheduleDurationSeconds } from '../traffic/traffic-schedule';

export function validateLoadTestOptions(options: LoadTestOptions): string[] {
  const problems: string[] = [];
  const wholeAtLeast = (field: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      problems.push(`${field}: must be a whole number from ${min} to ${max}, got ${value}`);
    }
  };
  const positive = (field: string, value: number | undefined) => {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) problems.push(`${field}: must be a number > 0, got ${value}`);
  };

  const points = options.schedule.points;
  if (points.length < 2 || points[0][0] !== 0) problems.push(`schedule: needs at least two points starting at 0 s, got ${JSON.stringify(points)}`);
  points.forEach(([t, r], i) => {
    if (!(r >= 0 && r <= MAX_RATE)) problems.push(`schedule.points[${i}]: rate must be 0 to ${MAX_RATE} requests/s, got ${r}`);
    if (i > 0 && !(t >= points[i - 1][0])) problems.push(`schedule.points[${i}]: times must not decrease, got ${t} after ${points[i - 1][0]}`);
  });
  if (points.length >= 2) {
    const duration = scheduleDurationSeconds(options.schedule);
    if (!(duration > 0 && duration <= MAX_DURATION_SECONDS)) problems.push(`duration: must be more than 0 s and at most ${MAX_DURATION_SECONDS} s, got ${duration} s`);
    if (points.every(([, r]) => r === 0)) problems.push('rate: the schedule never sends a request (all rates are 0)');
  }
  if (options.payloads.length === 0) problems.push('payloads: at least one payload is needed');
  wholeAtLeast('maxRequests', options.maxRequests, 1);
  wholeAtLeast('workers', options.workers, 1, MAX_WORKERS);
  wholeAtLeast('maxInFlight', options.maxInFlight, 1);
  wholeAtLeast('maxWaiting', options.maxWaiting, 0);
  wholeAtLeast('retries', options.retries, 0, 10);
  positive('timeoutMs', options.timeoutMs);
  if (options.warmupSeconds !== undefined && !(options.warmupSeconds >= 0 && options.warmupSeconds <= 600)) {
    problems.push(`warmupSeconds: must be 0 to 600 s, got ${options.warmupSeconds}`);
  }
  if (options.maxInFlight !== undefined && options.workers !== undefined && options.maxInFlight < options.workers) {
    problems.push(`maxInFlight: must be at least one per worker (${options.workers}), got ${options.maxInFlight}`);
  }
  problems.push(...validateTargetSpec(options.target));
  return problems;
}

function validateTargetSpec(target: TargetSpec): string[] {
  const problems: string[] = [];
  const url = (field: string, text: string | undefined) => {
    if (text === undefined) return;
    try {
      const parsed = new URL(text);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push(`${field}: must be an http:// or https:// URL, got ${text}`);
    } catch {
      problems.push(`${field}: not a URL: ${text}`);
    }
  };
  switch (target.kind) {
    case 'sagemaker':
      if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(target.endpointName) || target.endpointName.length > 63) {
        problems.push(`endpoint: "${target.endpointName}" is not a SageMaker endpoint name (letters, digits and single hyphens, at most 63)`);
      }
      url('endpointUrl', target.endpointUrl);
      break;
    case 'vertex':
      if (!VERTEX_ENDPOINT_RESOURCE.test(target.endpoint)) {
        problems.push(`endpoint: "${target.endpoint}" is not a Vertex endpoint resource name (projects/P/locations/L/endpoints/ID)`);
      }
      url('apiUrl', target.apiUrl);
      break;
    case 'http':
      url('url', target.url);
      break;
  }
  return problems;
}
