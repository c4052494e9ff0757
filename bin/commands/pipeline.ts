/**
 * `serving-stacks pipeline run`: the embedding-refresh worker on this machine, consuming the local
 * queue of a running `serving-stacks emulate` (load-tests/pipeline/), and what it measured.
 */
import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { fetchEmulatorListing, localPipeline, PipelineInputError } from '../../load-tests/pipeline/local-pipeline';
import { formatPipelineReport, runPipeline } from '../../load-tests/pipeline/pipeline-run';
import { choiceOption } from '../options/choice';
import { durationOption } from '../options/duration';
import { UsageError } from '../options/usage-error';
import { onStopRequest } from '../stop-requests';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';
import { DEFAULT_EMULATOR_PORT } from './emulate';

interface PipelineRunOptions extends TopologySelection {
  readonly cloud: 'aws' | 'gcp';
  readonly endpointUrl: string;
  /** Seconds. */
  readonly stopWhenIdle?: number;
  /** Seconds. */
  readonly retryAfter: number;
  readonly json?: boolean;
}

export function registerPipeline(program: Command): void {
  const pipeline = program.command('pipeline').description('the embedding-refresh pipeline on this machine');
  addTopologyOptions(
    pipeline
      .command('run')
      .description(
        "consume the topology's embedding-refresh queue from a running `serving-stacks emulate` with the pipeline's worker (the Lambda's and the Cloud Function's core and vector writers), then print messages by outcome, documents/s and freshness (enqueue → searchable) percentiles; runs until Ctrl-C or --stop-when-idle",
      ),
  )
    .addOption(choiceOption('--cloud <cloud>', "whose queue and store: aws (SQS, OpenSearch or pgvector) or gcp (Pub/Sub, Vector Search or pgvector)", ['aws', 'gcp'] as const).default('aws'))
    .option('--endpoint-url <url>', 'the local endpoints', `http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`)
    .addOption(durationOption('--stop-when-idle <time>', 'stop once no message has arrived for this long, e.g. 5s (default: run until Ctrl-C)'))
    .addOption(durationOption('--retry-after <time>', 'SQS: how soon a failed message is delivered again (ChangeMessageVisibility); Pub/Sub retries after its own backoff', { allowZero: true }).default(1))
    .option('--json', 'print the report as JSON')
    .action(async (options: PipelineRunOptions) => {
      const resolved = resolveTopology(selectTopology(options));
      const p = resolved.pipelines.embeddingRefresh;
      try {
        const listing = await fetchEmulatorListing(options.endpointUrl);
        const local = localPipeline(resolved, listing, options.endpointUrl, options.cloud, options.retryAfter);
        const controller = new AbortController();
        const stopListening = onStopRequest(() => controller.abort());
        process.stdout.write(`pipeline: consuming ${local.consumer.description}\n  into ${local.store}\n  batch ${p!.batchSize}, ${p!.concurrency} consumers\n`);
        try {
          const report = await runPipeline(local, {
            batchSize: p!.batchSize,
            concurrency: p!.concurrency,
            maxLatencySeconds: p!.maxLatencySeconds,
            dimensions: resolved.vectorStore?.dimensions,
            stopWhenIdleMs: options.stopWhenIdle === undefined ? undefined : options.stopWhenIdle * 1000,
            signal: controller.signal,
            memoryMiB: p!.memoryMiB,
            regions: resolved.regions,
          });
          process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatPipelineReport(report)}\n`);
        } finally {
          stopListening();
          await local.close();
        }
      } catch (e) {
        if (e instanceof PipelineInputError) throw new UsageError(e.message);
        throw e;
      }
    });
}
