/**
 * The embedding-refresh pipeline's simulated day: `serving-stacks simulate --json` prints it as
 * `pipeline` (load-tests/SIMULATION-FORMAT.md), and the comparison report reads it.
 */
import type { Cloud } from '../../constructs';
import type { AssumptionRecord } from '../../constructs/assumptions';
import type { PipelineCost } from '../cost/pipeline-cost';

export interface PipelineSimulation {
  readonly pipeline: 'embeddingRefresh';
  /** Documents a day, spread over the profile's shape. */
  readonly documentsPerDay: number;
  /** Where that came from: the register entry, or the `--documents-per-day` flag. */
  readonly documentsPerDaySource: 'pipeline.documents-per-day' | '--documents-per-day';
  /** Documents that arrived over the run (Poisson around documentsPerDay × hours / 24). */
  readonly documents: number;
  /** The topology's SLO, enqueue → searchable. */
  readonly sloSeconds: number;
  readonly settings: { readonly batchSize: number; readonly concurrency: number; readonly memoryMiB: number; readonly vectorEngine: 'managed' | 'pgvector' };
  readonly clouds: { readonly aws?: CloudPipelineSimulation; readonly gcp?: CloudPipelineSimulation };
  /** The register entries the run read, per cloud where they differ. */
  readonly assumptions: readonly AssumptionRecord[];
}

export interface CloudPipelineSimulation {
  readonly cloud: Cloud;
  readonly region: string;
  /** How the cloud runs the worker. */
  readonly workers: {
    readonly host: string;
    readonly instances: number;
    readonly requestsPerInstance: number;
    readonly messagesPerInvocation: number;
    /** One full handling (messagesPerInvocation messages) at the embedder's median: embed, write, wait until searchable. */
    readonly handlingSeconds: { readonly embed: number; readonly write: number; readonly searchable: number; readonly total: number };
  };
  /** Enqueue → searchable over every document of the run, nearest-rank; null without documents. */
  readonly freshnessSeconds: { readonly p50: number | null; readonly p90: number | null; readonly p99: number | null; readonly max: number | null };
  /** Documents searchable later than the SLO. */
  readonly overSloDocuments: number;
  /** Minutes in which at least one document became searchable later than the SLO. */
  readonly sloViolationMinutes: number;
  /** Most messages waiting for a worker at once, and the minute it happened. */
  readonly peakBacklog: number;
  readonly peakBacklogMinute: number;
  /** Lambda invocations (AWS) or push requests (GCP). */
  readonly invocations: number;
  readonly documentsPerInvocation: number;
  readonly meanInvocationSeconds: number;
  /** Seconds billed for compute: Lambda duration (AWS), instance time serving at least one request (GCP). */
  readonly billedComputeSeconds: number;
  /** load-tests/cost/pipeline-cost.ts at what the run observed; null without prices for the region. */
  readonly costPerMillionDocuments: PipelineCost | null;
  /** The run's documents at that rate, USD, with the price band. */
  readonly costForRunUsd: { readonly usd: number; readonly low: number; readonly high: number } | null;
  readonly series: readonly PipelineMinute[];
}

export interface PipelineMinute {
  readonly minute: number;
  readonly arrivals: number;
  /** Documents that became searchable in this minute, and how many of them later than the SLO. */
  readonly searchable: number;
  readonly overSlo: number;
  /** Worst enqueue → searchable of the minute's searchable documents, seconds; null when none. */
  readonly maxFreshnessSeconds: number | null;
}
