/**
 * `serving-stacks pipeline run`: the embedding-refresh worker on this machine, consuming the local
 * queue of a running `serving-stacks emulate` (load-tests/pipeline/), and what it measured.
 * `serving-stacks pipeline drain`: the upgrade of a stack deployed before the pipeline, moving the old
 * queue's backlog onto the ordered one (load-tests/pipeline/drain/).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { fetchEmulatorListing, localPipeline, PipelineInputError } from '../../load-tests/pipeline/local-pipeline';
import { formatPipelineReport, runPipeline } from '../../load-tests/pipeline/pipeline-run';
import { PubsubDrainSource, PubsubDrainTarget } from '../../load-tests/pipeline/drain/pubsub-drain';
import { DrainInputError, drainQueue, formatDrainReport, type DrainSource, type DrainTarget } from '../../load-tests/pipeline/drain/queue-drain';
import { SqsDrainSource, SqsFifoDrainTarget } from '../../load-tests/pipeline/drain/sqs-drain';
import { noteAwsSdkNodeSupport } from '../aws-sdk-node-notice';
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

interface PipelineDrainOptions {
  readonly cloud: 'aws' | 'gcp';
  readonly from: string;
  readonly to: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly cutover?: string;
  readonly json?: boolean;
}

/** `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`: the region of an SQS queue URL. */
const SQS_URL_REGION = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//;

export function registerPipeline(program: Command): void {
  const pipeline = program.command('pipeline').description('the embedding-refresh pipeline on this machine');
  registerDrain(pipeline);
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

function registerDrain(pipeline: Command): void {
  pipeline
    .command('drain')
    .description(
      'upgrade a stack deployed before the pipeline: move the backlog of the old embedding-refresh queue onto the ordered one the upgrade created (SQS: standard → FIFO queue; Pub/Sub: old subscription → the topic, with ordering keys). A message leaves the old queue only once the new one has it; one that is not format v1 stays, named',
    )
    .addOption(choiceOption('--cloud <cloud>', 'aws (SQS) or gcp (Pub/Sub)', ['aws', 'gcp'] as const).default('aws'))
    .requiredOption('--from <queue>', 'the old queue: its SQS URL (aws), or projects/P/subscriptions/NAME (gcp)')
    .requiredOption('--to <queue>', 'the ordered queue: its SQS FIFO URL, ending in .fifo (aws), or the topic projects/P/topics/NAME (gcp)')
    .option('--endpoint-url <url>', 'the local endpoints instead of the cloud (`serving-stacks emulate`)')
    .option('--region <region>', 'aws: the queues\' region (default: from the queue URL)')
    .option('--cutover <time>', 'gcp: when the ordered subscription was created (pulumi up), RFC 3339; messages published since are on it already (default: now, which may copy some: the worker skips copies)')
    .option('--json', 'print the report as JSON')
    .action(async (options: PipelineDrainOptions) => {
      let source: DrainSource;
      let target: DrainTarget;
      let cutoverMs: number | undefined;
      try {
        if (options.cloud === 'aws') {
          noteAwsSdkNodeSupport();
          const region = options.region ?? SQS_URL_REGION.exec(options.from)?.[1];
          if (!region) throw new DrainInputError(`--region: required when --from is not an https://sqs.REGION.amazonaws.com/ URL, got --from ${options.from}`);
          const client = () => new SQSClient({ region, ...(options.endpointUrl && { endpoint: options.endpointUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) });
          target = new SqsFifoDrainTarget(client(), options.to);
          source = new SqsDrainSource(client(), options.from);
        } else {
          cutoverMs = options.cutover === undefined ? Date.now() : Date.parse(options.cutover);
          if (Number.isNaN(cutoverMs)) throw new DrainInputError(`--cutover: expected an RFC 3339 time such as 2026-12-06T14:00:00Z, got "${options.cutover}"`);
          target = new PubsubDrainTarget(options.to, options.endpointUrl);
          source = new PubsubDrainSource(options.from, options.endpointUrl);
        }
      } catch (e) {
        if (e instanceof DrainInputError) throw new UsageError(e.message);
        throw e;
      }
      try {
        const report = await drainQueue(source, target, { cutoverMs });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDrainReport(report)}\n`);
      } finally {
        await source.close();
        await target.close();
      }
    });
}
