/**
 * Runs the pipeline's consumers until stopped or idle and measures it: messages by outcome,
 * documents per second, and freshness, the time from enqueue (the queue's own timestamp) until the
 * new version is readable. The writers acknowledge a write only once their own lookup shows it
 * (OpenSearch terms query, Vector Search readIndexDatapoints, SQL), so the moment a batch's outcome
 * is known is the moment its documents are searchable by id.
 */
import type { OutcomeStatus } from '../../pipelines/embedding-refresh/delivery';
import { isAcknowledged } from '../../pipelines/embedding-refresh/delivery';
import { RefreshWorker } from '../../pipelines/embedding-refresh/refresh-worker';
import { awsPriceList, gcpPriceList } from '../../constructs/catalog/pricing-catalog';
import { pipelineCostPerMillion, type PipelineCost } from '../cost/pipeline-cost';
import type { LocalPipeline } from './local-pipeline';

export interface PipelineRunSettings {
  readonly batchSize: number;
  readonly concurrency: number;
  /** The topology's SLO, enqueue to searchable. */
  readonly maxLatencySeconds: number;
  readonly dimensions?: number;
  /** Stop once no message has arrived for this long. @default - run until `signal` */
  readonly stopWhenIdleMs?: number;
  readonly signal?: AbortSignal;
  /** For the cost per million documents: the worker's memory and the topology's regions. */
  readonly memoryMiB: number;
  readonly regions: { readonly aws: string; readonly gcp: string };
  /** Called with each settled message's freshness (written and deleted messages only). */
  readonly onSearchable?: (documentId: string, version: number, freshnessMs: number) => void;
}

export interface FreshnessPercentiles {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface PipelineRunReport {
  readonly queue: string;
  readonly store: string;
  readonly messages: Readonly<Record<OutcomeStatus, number>> & { readonly received: number };
  /** Messages acknowledged per second of the run, from the first receive to the last settle. */
  readonly documentsPerSecond: number;
  readonly durationSeconds: number;
  readonly freshness: FreshnessPercentiles;
  readonly sloSeconds: number;
  /** Written or deleted messages searchable later than the SLO. */
  readonly overSlo: number;
  readonly deadLetters: number;
  /** Mean seconds a batch took to handle here (receive to settle, the refresh wait included). */
  readonly meanBatchSeconds: number;
  /** Mean messages a batch held: at a trickle, one; with a backlog, batchSize. */
  readonly meanBatchDocuments: number;
  /** What a million documents would cost on each cloud at this batch time (load-tests/cost/pipeline-cost.ts); absent without prices for the region. */
  readonly costPerMillionDocuments: { readonly aws?: PipelineCost; readonly gcp?: PipelineCost };
}

export async function runPipeline(pipeline: LocalPipeline, settings: PipelineRunSettings): Promise<PipelineRunReport> {
  const worker = new RefreshWorker({ embedder: pipeline.embedder, writer: pipeline.writer, dimensions: settings.dimensions });
  const counts: Record<OutcomeStatus, number> = { written: 0, deleted: 0, stale: 0, superseded: 0, poison: 0, failed: 0 };
  let received = 0;
  const freshness: number[] = [];
  let firstReceive: number | undefined;
  let lastSettle: number | undefined;
  let lastArrival = Date.now();
  let batches = 0;
  let batchMs = 0;
  const stopped = () => settings.signal?.aborted === true || (settings.stopWhenIdleMs !== undefined && Date.now() - lastArrival >= settings.stopWhenIdleMs);

  const consume = async () => {
    while (!stopped()) {
      const batch = await pipeline.consumer.receive(settings.batchSize);
      if (batch.length === 0) continue;
      lastArrival = Date.now();
      firstReceive ??= lastArrival;
      received += batch.length;
      const started = Date.now();
      const outcomes = await worker.handleBatch(batch);
      const searchableAt = Date.now();
      const byId = new Map(batch.map((m) => [m.messageId, m]));
      for (const o of outcomes) {
        counts[o.status]++;
        if (o.status === 'written' || o.status === 'deleted') {
          const ms = searchableAt - byId.get(o.messageId)!.enqueuedAt;
          freshness.push(ms);
          settings.onSearchable?.(o.documentId!, o.version!, ms);
        }
        if (o.status === 'poison' || o.status === 'failed') process.stderr.write(`pipeline: message ${o.messageId} ${o.status} (attempt ${byId.get(o.messageId)!.deliveryAttempt}): ${o.reason}\n`);
      }
      await pipeline.consumer.settle(
        batch.filter((_, i) => isAcknowledged(outcomes[i])),
        batch.filter((_, i) => !isAcknowledged(outcomes[i])),
      );
      lastSettle = Date.now();
      lastArrival = lastSettle;
      batches++;
      batchMs += lastSettle - started;
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, consume));

  const acknowledged = counts.written + counts.deleted + counts.stale + counts.superseded;
  const meanBatchSeconds = batches === 0 ? 0 : batchMs / batches / 1000;
  // Priced at the batches this run filled, not full ones: a trickle of documents is one per invocation
  // (AWS), and an instance holding a batch is billed for the batch's time (GCP).
  const observed = batches === 0 || received === 0 ? undefined : { documentsPerInvocation: received / batches, instanceSecondsPerDocument: batchMs / 1000 / received };
  const costInput = { batchSize: settings.batchSize, memoryMiB: settings.memoryMiB, batchSeconds: meanBatchSeconds, observed };
  const aws = awsPriceList(settings.regions.aws);
  const gcp = gcpPriceList(settings.regions.gcp);
  const durationSeconds = firstReceive !== undefined && lastSettle !== undefined ? (lastSettle - firstReceive) / 1000 : 0;
  return {
    queue: pipeline.consumer.description,
    store: pipeline.store,
    messages: { received, ...counts },
    documentsPerSecond: durationSeconds > 0 ? acknowledged / durationSeconds : 0,
    durationSeconds,
    freshness: percentiles(freshness),
    sloSeconds: settings.maxLatencySeconds,
    overSlo: freshness.filter((ms) => ms > settings.maxLatencySeconds * 1000).length,
    deadLetters: await pipeline.consumer.deadLetterCount(),
    meanBatchSeconds,
    meanBatchDocuments: batches === 0 ? 0 : received / batches,
    costPerMillionDocuments: {
      ...(aws && batches > 0 ? { aws: pipelineCostPerMillion(aws, costInput) } : {}),
      ...(gcp && batches > 0 ? { gcp: pipelineCostPerMillion(gcp, costInput) } : {}),
    },
  };
}

/** Nearest-rank percentiles of the samples. */
export function percentiles(samples: readonly number[]): FreshnessPercentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { count: sorted.length, p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), maxMs: sorted.length === 0 ? null : sorted[sorted.length - 1] };
}

export function formatPipelineReport(r: PipelineRunReport): string {
  const m = r.messages;
  const ms = (x: number | null) => (x === null ? '-' : `${Math.round(x)} ms`);
  return [
    `queue:      ${r.queue}`,
    `store:      ${r.store}`,
    `messages:   ${m.received} received: ${m.written} written, ${m.deleted} deleted, ${m.stale} stale, ${m.superseded} superseded, ${m.poison} poison, ${m.failed} failed (deliveries, retried ones count each time)`,
    `throughput: ${r.documentsPerSecond.toFixed(1)} documents/s over ${r.durationSeconds.toFixed(1)} s`,
    `freshness:  enqueue → searchable p50 ${ms(r.freshness.p50Ms)}, p90 ${ms(r.freshness.p90Ms)}, p99 ${ms(r.freshness.p99Ms)}, max ${ms(r.freshness.maxMs)} (${r.freshness.count} documents; SLO ${r.sloSeconds} s, ${r.overSlo} over)`,
    `dead letters: ${r.deadLetters}`,
    ...(['aws', 'gcp'] as const).flatMap((cloud) => {
      const c = r.costPerMillionDocuments[cloud];
      return c ? [`cost ${cloud}:   $${c.usdPerMillionDocuments.toFixed(2)} per million documents ($${c.lowUsd.toFixed(2)}–${c.highUsd.toFixed(2)}) at ${r.meanBatchSeconds.toFixed(2)} s and ${r.meanBatchDocuments.toFixed(1)} documents a batch: ${c.basis}`] : [];
    }),
  ].join('\n');
}
