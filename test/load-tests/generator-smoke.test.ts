/**
 * Bounded runs of the generator against the local endpoints through each real client on
 * 127.0.0.1: the SageMaker SDK, the Vertex client (REST fallback) and plain REST, plain HTTP,
 * and two worker threads. They check what was sent and answered, never how fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { runLoadTest } from '../../load-tests/generator/run-load-test';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { samplePayloads } from '../../load-tests/models/sample-payloads';
import type { TargetSpec } from '../../load-tests/targets/create-target';
import { TargetSetupError } from '../../load-tests/targets/target';

const resolved = resolveTopology(preset('prod'));
/** The A/B embedder's SageMaker name carries a hash of its variant names. */
const embedderEndpoint = resolved.endpoints.find((e) => e.name === 'embedder')!.aws.endpointName;
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator(resolved);
});
afterAll(() => emulator.close());

function run(target: TargetSpec, kind: 'ranker' | 'embedder' | 'reranker', workers = 1, warmupSeconds = 0): Promise<LoadTestResult> {
  return runLoadTest({
    target,
    warmupSeconds,
    schedule: steadySchedule(40, 1),
    profile: 'steady',
    payloads: samplePayloads(kind, { count: 4 }),
    workers,
    timeoutMs: 10_000,
  });
}

function expectAllAnswered(result: LoadTestResult, variants: readonly string[]) {
  expect(result.counts).toMatchObject({ scheduled: 40, sent: 40, ok: 40, throttled: 0, modelError: 0, other4xx: 0, server5xx: 0, timeout: 0, client: 0, dropped: 0 });
  expect(Object.keys(result.variants).sort()).toEqual([...variants].sort());
  expect(Object.values(result.variants).reduce((a, b) => a + b, 0)).toBe(40);
  expect(result.latencyMs.corrected.count).toBe(40);
  expect(result.latencyMs.corrected.p50).toBeGreaterThanOrEqual(result.latencyMs.uncorrected.p50 - 1);
  expect(result.series.map((s) => s.scheduled)).toEqual([40]);
  expect(result.requestedRate).toBeCloseTo(40, 6);
}

describe.concurrent('generator against the local endpoints', () => {
  it('drives SageMaker through @aws-sdk/client-sagemaker-runtime', async () => {
    const result = await run({ kind: 'sagemaker', endpointName: 'news-prod-ranker', region: 'us-east-1', endpointUrl: emulator.url, maxSockets: 64 }, 'ranker');
    expect(result.target).toMatchObject({ kind: 'sagemaker', endpoint: 'news-prod-ranker', client: expect.stringMatching(/^@aws-sdk\/client-sagemaker-runtime \d/) });
    expectAllAnswered(result, ['primary']);
  });

  it('sends every request to the variant named by --variant', async () => {
    const result = await run({ kind: 'sagemaker', endpointName: embedderEndpoint, region: 'us-east-1', endpointUrl: emulator.url, targetVariant: 'candidate', maxSockets: 64 }, 'embedder');
    expectAllAnswered(result, ['candidate']);
  });

  it('drives Vertex through @google-cloud/aiplatform in REST fallback mode', async () => {
    const endpoint = 'projects/local/locations/us-central1/endpoints/reranker';
    const result = await run({ kind: 'vertex', endpoint, location: 'us-central1', apiUrl: emulator.url, client: 'aiplatform', maxConnections: 64, timeoutMs: 10_000 }, 'reranker');
    expect(result.target.client).toMatch(/^@google-cloud\/aiplatform \d.* \(REST fallback\)$/);
    expectAllAnswered(result, ['news-prod-reranker-primary']);
  });

  it('drives Vertex through plain REST', async () => {
    const endpoint = 'projects/local/locations/us-central1/endpoints/news-prod-embedder';
    const result = await run({ kind: 'vertex', endpoint, location: 'us-central1', apiUrl: emulator.url, client: 'rest', maxConnections: 64, timeoutMs: 10_000 }, 'embedder');
    expect(Object.keys(result.variants).every((v) => v.startsWith('news-prod-embedder-'))).toBe(true);
    expect(result.counts.ok).toBe(40);
  });

  it('drives plain HTTP, after an unrecorded warm-up run', async () => {
    const result = await run({ kind: 'http', url: emulator.routes(emulator.endpoints[0]).sagemaker, headers: {}, maxConnections: 64 }, 'ranker', 1, 0.5);
    expectAllAnswered(result, ['primary']);
  });

  it('fails before measuring anything when the target cannot be reached', async () => {
    const closed = await startEmulator(resolved);
    await closed.close();
    await expect(run({ kind: 'http', url: `${closed.url}/endpoints/news-prod-ranker/invocations`, headers: {}, maxConnections: 4 }, 'ranker')).rejects.toThrow(
      TargetSetupError,
    );
    // The SDK targets connect lazily: their first request is the probe.
    await expect(
      run({ kind: 'sagemaker', endpointName: 'news-prod-ranker', region: 'us-east-1', endpointUrl: closed.url, maxSockets: 4 }, 'ranker'),
    ).rejects.toThrow(/cannot reach the sagemaker target news-prod-ranker at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('shards over two worker threads, each with its own SDK client, and merges their histograms', async () => {
    const result = await run({ kind: 'sagemaker', endpointName: 'news-prod-ranker', region: 'us-east-1', endpointUrl: emulator.url, maxSockets: 64 }, 'ranker', 2);
    expect(result.health.workers).toBe(2);
    expectAllAnswered(result, ['primary']);
  });
});
