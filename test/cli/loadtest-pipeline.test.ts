/**
 * `serving-stacks loadtest --target pipeline` against the local endpoints, with `serving-stacks
 * pipeline run` consuming the queue in its own process: every published version becomes searchable
 * (a k-NN query finds it), each message's freshness is in the result with its publish and searchable
 * stages, and no message is dead-lettered, on both clouds. Without a worker, every message times out:
 * the target does not report success it has not seen. Bad inputs name the flag and what is allowed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { LoadTestResult } from '../../load-tests/generator';
import type { PipelineRunReport } from '../../load-tests/pipeline/pipeline-run';
import { documentSequence } from '../../load-tests/targets/pipeline/refresh-documents';
import { DEFAULT_PIPELINE_DOCUMENTS } from '../../load-tests/targets/pipeline/plan-pipeline-target';
import { servingStacksProgram as createProgram } from '../../bin/program';
import { EXIT } from '../../bin/exit-codes';
import { runInProcess } from './run-in-process';

const input = presetInput('dev');
input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder', batchSize: 5, concurrency: 2 } };
const resolved = resolveTopology(parseTopology(input));
const dir = mkdtempSync(join(tmpdir(), 'loadtest-pipeline-'));
const topologyFile = join(dir, 'topology.json');
let emulator: EmulatorHandle;

beforeAll(async () => {
  const services = await localServices(resolved, { visibilityDelayMs: 30 });
  emulator = await startEmulator(resolved, { services, seed: 5 });
  writeFileSync(topologyFile, JSON.stringify(input));
}, 120_000);
afterAll(() => emulator?.close());

/** `pipeline run` as a user starts it, in its own process; resolves once it consumes. */
async function startWorker(cloud: 'aws' | 'gcp'): Promise<{ report: Promise<PipelineRunReport> }> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['bin/serving-stacks.js', 'pipeline', 'run', '--topology', topologyFile, '--cloud', cloud, '--endpoint-url', emulator.url, '--stop-when-idle', '5s', '--retry-after', '0s', '--json'],
    { env: { ...process.env, NO_COLOR: '1', CI: '1' } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const consuming = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('pipeline: consuming')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`pipeline run exited (${code}) before consuming: ${stderr}`)));
  });
  const report = new Promise<PipelineRunReport>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.slice(stdout.indexOf('{'))) as PipelineRunReport) : reject(new Error(`pipeline run exited ${code}: ${stderr}`)))),
  );
  report.catch(() => undefined);
  await consuming;
  return { report };
}

async function loadtest(args: readonly string[]): Promise<{ result?: LoadTestResult; stdout: string; stderr: string; exitCode: number | undefined }> {
  const run = await runInProcess(createProgram(), ['loadtest', '--target', 'pipeline', '--endpoint-url', emulator.url, ...args]);
  const json = run.stdout.indexOf('{');
  return { ...run, result: json >= 0 ? (JSON.parse(run.stdout.slice(json)) as LoadTestResult) : undefined };
}

describe('loadtest --target pipeline', () => {
  for (const cloud of ['aws', 'gcp'] as const) {
    it(`--cloud ${cloud}: every published version becomes searchable, freshness per message, no dead letters`, async () => {
      const worker = await startWorker(cloud);
      const run = await loadtest(['--topology', topologyFile, '--cloud', cloud, '--rate', '5', '--duration', '3s', '--timeout', '30s', '--json']);
      const report = await worker.report;
      const result = run.result!;
      // The emulator shares the generator's thread here: on a busy machine its health check may call the run invalid (exit 98); the counts are what this test checks.
      expect([0, EXIT.invalidRun], run.stderr).toContain(run.exitCode ?? 0);
      expect(result.target.kind).toBe('pipeline');
      expect(result.target.client).toContain(cloud === 'aws' ? '@aws-sdk/client-sqs' : '@google-cloud/pubsub');
      const c = result.counts;
      expect(c.sent).toBe(15);
      expect(c.ok).toBe(c.sent);
      expect(c.timeout + c.client + c.cancelled).toBe(0);
      // One freshness per message, and its two stages.
      expect(result.latencyMs.corrected.count).toBe(c.sent);
      expect(result.stages?.publish.latencyMs.count).toBe(c.sent);
      expect(result.stages?.searchable.latencyMs.count).toBe(c.sent);
      expect(result.pipeline).toMatchObject({ queue: 'embedding-refresh', deadLetters: 0, documents: DEFAULT_PIPELINE_DOCUMENTS });
      // The worker saw each message once, wrote or superseded it, and failed none.
      expect(report.messages.received).toBe(c.sent);
      expect(report.messages.poison + report.messages.failed).toBe(0);
      expect(report.messages.written + report.messages.superseded + report.messages.stale).toBe(c.sent);
      // The documents the run updated (the first 15 of the seeded sequence) are all searchable.
      const updated = new Set(documentSequence(DEFAULT_PIPELINE_DOCUMENTS, 1).slice(0, c.sent));
      expect(report.messages.written).toBeGreaterThanOrEqual(updated.size);
    }, 120_000);
  }

  it('without a worker consuming the queue, every message times out (nothing is faked)', async () => {
    const run = await loadtest(['--topology', topologyFile, '--cloud', 'aws', '--rate', '5', '--duration', '1s', '--timeout', '2s', '--json']);
    const c = run.result!.counts;
    // The last arrival's timeout can fall on the drain deadline, which counts it as cancelled.
    expect(c).toMatchObject({ sent: 5, ok: 0 });
    expect(c.timeout).toBeGreaterThan(0);
    expect(c.timeout + c.cancelled).toBe(5);
    expect(Object.keys(run.result!.errorNames)).toEqual(['Timeout']);
    // The error budget fails (exit 99), unless this busy machine made the run invalid first (exit 98).
    expect(run.result!.thresholds.map((t) => t.pass)).toEqual([false]);
    expect([EXIT.thresholdsFailed, EXIT.invalidRun]).toContain(run.exitCode);
    // Published all the same, and still waiting in the queue.
    const sqs = new SQSClient({ region: resolved.regions.aws, endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: resolved.queues.find((q) => q.name === 'embedding-refresh')!.aws.queueName }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    sqs.destroy();
    expect(Number(Attributes?.ApproximateNumberOfMessages)).toBe(5);
  }, 60_000);

  it('fails with the flag and what is allowed: no pipeline, no --cloud, no local queue', async () => {
    const withoutPipelineFile = join(dir, 'without-pipeline.json');
    writeFileSync(withoutPipelineFile, JSON.stringify({ ...input, pipelines: {} }));
    const noPipeline = await loadtest(['--topology', withoutPipelineFile, '--cloud', 'aws', '--rate', '5', '--duration', '1s']);
    expect(noPipeline.exitCode).toBe(EXIT.usage);
    expect(noPipeline.stderr).toContain('--target pipeline: topology');
    expect(noPipeline.stderr).toContain('has no pipelines.embeddingRefresh');

    const noCloud = await loadtest(['--topology', topologyFile, '--rate', '5', '--duration', '1s']);
    expect(noCloud.exitCode).toBe(EXIT.usage);
    expect(noCloud.stderr).toContain('--cloud: required with --target pipeline, aws (SQS FIFO');

    const renamed = structuredClone(input);
    renamed.queues = renamed.queues!.map((q) => (q.name === 'embedding-refresh' ? { ...q, name: 'doc-refresh' } : q));
    renamed.pipelines = { embeddingRefresh: { ...renamed.pipelines!.embeddingRefresh!, sourceQueue: 'doc-refresh' } };
    const renamedFile = join(dir, 'renamed.json');
    writeFileSync(renamedFile, JSON.stringify(renamed));
    const noQueue = await loadtest(['--topology', renamedFile, '--cloud', 'gcp', '--rate', '5', '--duration', '1s']);
    expect(noQueue.exitCode).toBe(EXIT.usage);
    expect(noQueue.stderr).toContain(`--endpoint-url: ${emulator.url}/emulator lists no queue "doc-refresh" (it lists: embedding-refresh, async-inference)`);
  }, 60_000);
});
