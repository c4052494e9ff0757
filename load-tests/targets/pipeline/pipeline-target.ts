/**
 * `--target pipeline`: each request is one new version of a document published to the
 * embedding-refresh source queue, then k-NN probes of the vector store until a query finds that
 * version (or a newer one of the same document, which replaced it). The request's latency, timed by
 * the generator from the arrival's intended send, is the message's freshness: enqueue → searchable.
 * Stages `publish` (the queue accepting the message) and `searchable` (from then until a probe finds
 * it) are timed beside it. The worker is not part of the target: `serving-stacks pipeline run` (or
 * the deployed Lambda / Cloud Function) must consume the queue, or every request times out.
 */
import type { CallOutcome, Target, TargetCall, TargetDescription } from '../target';
import { OpenSearchVersionProbe } from './opensearch-version-probe';
import { PgvectorVersionProbe } from './pgvector-version-probe';
import type { PipelineTargetSpec } from './pipeline-target-spec';
import { PubsubRefreshPublisher } from './pubsub-refresh-publisher';
import { upsertMessage, VersionClock } from './refresh-documents';
import type { RefreshPublisher } from './refresh-publisher';
import { SqsRefreshPublisher } from './sqs-refresh-publisher';
import type { VersionProbe } from './version-probe';
import { VertexVersionProbe } from './vertex-version-probe';

export const PIPELINE_STAGES = ['publish', 'searchable'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export class PipelineTarget implements Target {
  readonly description: TargetDescription;
  /** Every request publishes a document: no untimed warm-up requests. */
  readonly untimedRequests = false;
  private readonly versions = new VersionClock();

  constructor(
    private readonly spec: PipelineTargetSpec,
    private readonly publisher: RefreshPublisher = publisherFor(spec),
    private readonly probe: VersionProbe = probeFor(spec),
  ) {
    this.description = {
      kind: 'pipeline',
      endpoint: `${spec.queueName} (${publisher.queue}), searched`,
      url: probe.url,
      region: spec.queue.kind === 'sqs' ? spec.queue.region : undefined,
      client: `${publisher.client}, ${probe.client}`,
    };
  }

  async warmUp(): Promise<void> {
    await Promise.all([this.publisher.warmUp(), this.probe.warmUp()]);
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    let cancelled = false;
    void this.run(payloadIndex, () => cancelled).then((outcome) => {
      if (!cancelled) done(outcome);
    });
    // A cancelled request (the generator's timeout) stops probing at its next turn.
    return { cancel: () => void (cancelled = true) };
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher.close(), this.probe.close()]);
  }

  private async run(payloadIndex: number, cancelled: () => boolean): Promise<CallOutcome> {
    const { documents, pollIntervalMs } = this.spec;
    const message = upsertMessage(documents[payloadIndex % documents.length], this.versions.next());
    const stagesMs: Partial<Record<PipelineStage, number>> = {};
    let stage: PipelineStage = 'publish';
    try {
      let start = performance.now();
      await this.publisher.publish(message);
      stagesMs.publish = performance.now() - start;
      stage = 'searchable';
      start = performance.now();
      for (;;) {
        const found = await this.probe.searchableVersion(message.documentId);
        if (found !== undefined && found >= message.version) break;
        // The generator already counted the timeout; send() drops this outcome.
        if (cancelled()) return { ok: false, error: { errorClass: 'timeout', name: 'searchable: Timeout' } };
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      }
      stagesMs.searchable = performance.now() - start;
      return { ok: true, detail: { stagesMs } };
    } catch (error) {
      const classified = stage === 'publish' ? this.publisher.classify(error) : this.probe.classify(error);
      return { ok: false, error: { ...classified, name: `${stage}: ${classified.name}` } };
    }
  }
}

function publisherFor(spec: PipelineTargetSpec): RefreshPublisher {
  return spec.queue.kind === 'sqs' ? new SqsRefreshPublisher(spec.queue, spec.maxSockets) : new PubsubRefreshPublisher(spec.queue);
}

function probeFor(spec: PipelineTargetSpec): VersionProbe {
  const { store, dimensions, maxSockets, timeoutMs } = spec;
  switch (store.kind) {
    case 'opensearch':
      return new OpenSearchVersionProbe(store, dimensions, maxSockets, timeoutMs);
    case 'vertex':
      return new VertexVersionProbe(store, dimensions, timeoutMs);
    case 'pgvector':
      return new PgvectorVersionProbe(store, dimensions, maxSockets, timeoutMs);
  }
}
