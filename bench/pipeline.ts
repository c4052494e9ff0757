/**
 * `npm run bench:pipeline`: documents per second of the local embedding-refresh pipeline (queue →
 * worker → embedder → vector store, `pipeline run`'s code) against the embedder alone, in the same
 * run, on both clouds' local queues and stores, with the topology's batch size and concurrency. The
 * stores make writes searchable after a refresh delay, as the clouds do, and the writers wait for it
 * before acknowledging; the bench runs with the stores' default delay (1 s) and with none, so the
 * cost of that wait shows beside the cost of the queue and the writes. Local numbers on a shared
 * machine: the ratios say where the time goes, not what a cloud serves.
 */
import { performance } from 'node:perf_hooks';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PubSub } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import { parseTopology, presetInput, resolveTopology } from '../constructs';
import { localServices, startEmulator } from '../load-tests/emulator';
import { fetchEmulatorListing, localPipeline, type PipelineCloud } from '../load-tests/pipeline/local-pipeline';
import { runPipeline } from '../load-tests/pipeline/pipeline-run';

const DOCUMENTS = 300;
const input = presetInput('dev');
input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } };
const resolved = resolveTopology(parseTopology(input));
const p = resolved.pipelines.embeddingRefresh!;
const queue = resolved.queues.find((q) => q.name === p.sourceQueue)!;
const text = (i: number, round: number) => `article ${i} of round ${round}: ${'news '.repeat(40)}`;

/** The embedder alone: the same texts, in batches of batchSize, concurrency requests at once. */
async function embedderAlone(embed: (texts: string[]) => Promise<unknown>, round: number): Promise<number> {
  const batches: string[][] = [];
  for (let i = 0; i < DOCUMENTS; i += p.batchSize) batches.push(Array.from({ length: Math.min(p.batchSize, DOCUMENTS - i) }, (_, j) => text(i + j, round)));
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: p.concurrency }, async () => {
    while (next < batches.length) await embed(batches[next++]);
  }));
  return (DOCUMENTS * 1000) / (performance.now() - started);
}

async function enqueue(cloud: PipelineCloud, url: string, port: number, round: number): Promise<void> {
  const body = (i: number) => JSON.stringify({ formatVersion: 1, op: 'upsert', documentId: `doc-${i}`, version: round, text: text(i, round) });
  if (cloud === 'aws') {
    const sqs = new SQSClient({ region: resolved.regions.aws, endpoint: url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const QueueUrl = `${url}/000000000000/${queue.aws.queueName}`;
    for (let i = 0; i < DOCUMENTS; i += 10) {
      const Entries = Array.from({ length: Math.min(10, DOCUMENTS - i) }, (_, j) => ({ Id: String(j), MessageGroupId: `doc-${i + j}`, MessageDeduplicationId: `doc-${i + j}-${round}`, MessageBody: body(i + j) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
    sqs.destroy();
    return;
  }
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
  const pubsub = new PubSub({ projectId: 'local', apiEndpoint: `127.0.0.1:${port}`, authClient: authClient as never, ...{ fallback: true, protocol: 'http' } });
  const topic = pubsub.topic(queue.gcp.topicName, { messageOrdering: true });
  await Promise.all(Array.from({ length: DOCUMENTS }, (_, i) => topic.publishMessage({ data: Buffer.from(body(i)), orderingKey: `doc-${i}` })));
  await pubsub.close();
}

async function main(): Promise<void> {
  const lines = [`pipeline bench: ${DOCUMENTS} documents per run, batch ${p.batchSize}, ${p.concurrency} consumers (the pipeline defaults), dev topology`];
  let round = 0;
  for (const delayMs of [1000, 0]) {
    const services = await localServices(resolved, { visibilityDelayMs: delayMs });
    const emulator = await startEmulator(resolved, { services, seed: 1 });
    try {
      const listing = await fetchEmulatorListing(emulator.url);
      for (const cloud of ['aws', 'gcp'] as const) {
        round++;
        const pipeline = localPipeline(resolved, listing, emulator.url, cloud, 1);
        try {
          const alone = await embedderAlone((texts) => pipeline.embedder.embed(texts), round);
          await enqueue(cloud, emulator.url, emulator.port, round);
          const report = await runPipeline(pipeline, { batchSize: p.batchSize, concurrency: p.concurrency, maxLatencySeconds: p.maxLatencySeconds, dimensions: resolved.vectorStore?.dimensions, stopWhenIdleMs: 2000, memoryMiB: p.memoryMiB, regions: resolved.regions });
          lines.push(
            `${cloud} refresh ${String(delayMs).padStart(4)} ms  embedder alone ${alone.toFixed(0).padStart(5)} docs/s  pipeline ${report.documentsPerSecond.toFixed(0).padStart(5)} docs/s ` +
              `(${((100 * report.documentsPerSecond) / alone).toFixed(0)} % of the embedder; ${report.messages.written} written, ${report.messages.failed} failed)  ` +
              `freshness p50 ${Math.round(report.freshness.p50Ms ?? 0)} ms p99 ${Math.round(report.freshness.p99Ms ?? 0)} ms  → ${pipeline.store.split(' (')[0]}`,
          );
        } finally {
          await pipeline.close();
        }
      }
    } finally {
      await emulator.close();
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
