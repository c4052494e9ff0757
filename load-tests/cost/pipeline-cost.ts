/**
 * What the embedding-refresh pipeline costs per million documents, from the pricing catalog:
 * - AWS: Lambda requests (one per batch of `batchSize`), Lambda GB-seconds (the batch's duration ×
 *   memory), SQS FIFO requests (one SendMessage per document and 64 KB, one ReceiveMessage and one
 *   DeleteMessageBatch per batch; the event source mapping's empty polls are left out).
 * - GCP: Cloud Functions 2nd gen (Cloud Run, request-based) requests (Pub/Sub pushes one message per
 *   request), instance time (1 vCPU and `memoryMiB`, `batchSize` requests sharing an instance:
 *   assumes instances kept full), Pub/Sub throughput (publish and push, each billed at least 1,000
 *   bytes).
 * Free tiers are not deducted; the embedder and the vector store are costed with the topology.
 * A simulated day (load-tests/simulator/pipeline-simulation.ts) replaces the full-batch assumptions
 * with what it observed: documents per invocation on AWS, billed instance-seconds per document on GCP.
 */
import type { AwsPrices, GcpPrices, Price } from '../../constructs/catalog/pricing-catalog';

const MILLION = 1_000_000;
const SQS_CHUNK_BYTES = 64 * 1024;
const PUBSUB_MIN_BYTES = 1000;
const TIB = 2 ** 40;
/** The Cloud Function's CPU (gcp/embedding-refresh-pipeline.ts sets availableCpu 1). */
const FUNCTION_VCPUS = 1;

export interface PipelineCostInput {
  readonly batchSize: number;
  readonly memoryMiB: number;
  /** Seconds one batch takes to handle (AWS: one invocation; GCP: each of its messages' requests). */
  readonly batchSeconds: number;
  /** Bytes of one message. @default 2000 */
  readonly messageBytes?: number;
  /** What a simulated day observed, replacing the assumption that every batch and instance is full. @default - full batches */
  readonly observed?: ObservedPipelineLoad;
}

export interface ObservedPipelineLoad {
  /** AWS: documents one invocation carried on average (at most batchSize). */
  readonly documentsPerInvocation?: number;
  /** GCP: seconds an instance was billed (serving at least one request) per document. */
  readonly instanceSecondsPerDocument?: number;
}

export interface PipelineCost {
  readonly cloud: 'aws' | 'gcp';
  readonly usdPerMillionDocuments: number;
  readonly lowUsd: number;
  readonly highUsd: number;
  /** Each part, USD per million documents. */
  readonly parts: Readonly<Record<string, number>>;
  readonly basis: string;
  readonly prices: readonly Price[];
  /** The price behind each part, keyed as `parts` (for reports that cite each price's source). */
  readonly partPrices: Readonly<Record<string, Price>>;
}

type Part = readonly [name: string, price: Price, units: number];

export function pipelineCostPerMillion(prices: AwsPrices | GcpPrices, input: PipelineCostInput): PipelineCost | undefined {
  const bytes = input.messageBytes ?? 2000;
  const batches = MILLION / (input.observed?.documentsPerInvocation ?? input.batchSize);
  let parts: Part[];
  let basis: string;
  if (prices.cloud === 'aws') {
    const { lambdaRequests, lambdaMemory, sqsFifoRequests } = prices;
    if (!lambdaRequests || !lambdaMemory || !sqsFifoRequests) return undefined;
    const sqsRequests = MILLION * Math.ceil(bytes / SQS_CHUNK_BYTES) + 2 * batches;
    parts = [
      ['lambda requests', lambdaRequests, batches / MILLION],
      ['lambda compute', lambdaMemory, (batches * input.batchSeconds * (input.memoryMiB / 1024)) / 3600],
      ['sqs fifo requests', sqsFifoRequests, sqsRequests / MILLION],
    ];
    basis = `${Math.round(batches)} Lambda invocations of ${input.batchSeconds.toFixed(2)} s at ${input.memoryMiB} MiB, ${sqsRequests} SQS FIFO requests, in ${prices.region}`;
  } else {
    const { cloudRunRequests, cloudRunServiceVcpu, cloudRunServiceMemory, pubsubDelivery } = prices;
    if (!cloudRunRequests || !cloudRunServiceVcpu || !cloudRunServiceMemory || !pubsubDelivery) return undefined;
    const observedSeconds = input.observed?.instanceSecondsPerDocument;
    const instanceHours = observedSeconds === undefined ? (batches * input.batchSeconds) / 3600 : (MILLION * observedSeconds) / 3600;
    parts = [
      ['function requests', cloudRunRequests, 1],
      ['function vcpu', cloudRunServiceVcpu, instanceHours * FUNCTION_VCPUS],
      ['function memory', cloudRunServiceMemory, instanceHours * (input.memoryMiB / 1024)],
      ['pub/sub throughput', pubsubDelivery, (2 * MILLION * Math.max(PUBSUB_MIN_BYTES, bytes)) / TIB],
    ];
    basis = `${MILLION} pushes, ${(instanceHours * 3600).toFixed(0)} instance-seconds of 1 vCPU and ${input.memoryMiB} MiB (${observedSeconds === undefined ? `${input.batchSize} requests an instance` : 'as simulated'}), ${bytes}-byte messages published and pushed, in ${prices.region}`;
  }
  const total = (pick: (p: Price) => number) => round(parts.reduce((sum, [, p, units]) => sum + units * pick(p), 0));
  return {
    cloud: prices.cloud,
    usdPerMillionDocuments: total((p) => p.usd),
    lowUsd: total((p) => p.low ?? p.usd),
    highUsd: total((p) => p.high ?? p.usd),
    parts: Object.fromEntries(parts.map(([name, p, units]) => [name, round(units * p.usd)])),
    basis,
    prices: parts.map(([, p]) => p),
    partPrices: Object.fromEntries(parts.map(([name, p]) => [name, p])),
  };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
