/** The pipeline's cost per million documents, from the catalog's prices, on both clouds. */
import { describe, expect, it } from 'vitest';
import { AWS_US_EAST_1 } from '../../constructs/catalog/aws-price-lists';
import { GCP_US_CENTRAL1 } from '../../constructs/catalog/gcp-price-lists';
import { pipelineCostPerMillion } from '../../load-tests/cost/pipeline-cost';

const INPUT = { batchSize: 10, memoryMiB: 512, batchSeconds: 1.2, messageBytes: 2000 };

describe('pipeline cost per million documents', () => {
  it('AWS: Lambda requests per batch, GB-seconds per batch, SQS FIFO requests per document and per batch', () => {
    const cost = pipelineCostPerMillion(AWS_US_EAST_1, INPUT)!;
    const batches = 100_000;
    expect(cost.parts['lambda requests']).toBeCloseTo(0.1 * AWS_US_EAST_1.lambdaRequests.usd, 4);
    expect(cost.parts['lambda compute']).toBeCloseTo(((batches * 1.2 * 0.5) / 3600) * AWS_US_EAST_1.lambdaMemory.usd, 3);
    expect(cost.parts['sqs fifo requests']).toBeCloseTo(1.2 * AWS_US_EAST_1.sqsFifoRequests.usd, 4);
    expect(cost.usdPerMillionDocuments).toBeCloseTo(Object.values(cost.parts).reduce((a, b) => a + b, 0), 3);
    expect(cost.lowUsd).toBeLessThanOrEqual(cost.usdPerMillionDocuments);
    expect(cost.highUsd).toBeGreaterThanOrEqual(cost.usdPerMillionDocuments);
    for (const p of cost.prices) expect(p.source).toMatch(/^https:\/\//);
  });

  it('GCP: one function request per message, instance time shared by batchSize requests, Pub/Sub bytes at least 1,000 per publish and push', () => {
    const cost = pipelineCostPerMillion(GCP_US_CENTRAL1, { ...INPUT, messageBytes: 200 })!;
    expect(cost.parts['function requests']).toBeCloseTo(GCP_US_CENTRAL1.cloudRunRequests.usd, 4);
    expect(cost.parts['function vcpu']).toBeCloseTo(((100_000 * 1.2) / 3600) * GCP_US_CENTRAL1.cloudRunServiceVcpu.usd, 3);
    expect(cost.parts['pub/sub throughput']).toBeCloseTo(((2 * 1_000_000 * 1000) / 2 ** 40) * GCP_US_CENTRAL1.pubsubDelivery.usd, 4);
  });

  it('doubling the batch halves the per-batch parts', () => {
    const one = pipelineCostPerMillion(AWS_US_EAST_1, INPUT)!;
    const two = pipelineCostPerMillion(AWS_US_EAST_1, { ...INPUT, batchSize: 20 })!;
    expect(two.parts['lambda requests']).toBeCloseTo(one.parts['lambda requests'] / 2, 4);
    expect(two.parts['lambda compute']).toBeCloseTo(one.parts['lambda compute'] / 2, 3);
  });

  it('takes what a simulated day observed: half-full batches double the per-batch parts on AWS; GCP bills the observed instance time', () => {
    const full = pipelineCostPerMillion(AWS_US_EAST_1, INPUT)!;
    const half = pipelineCostPerMillion(AWS_US_EAST_1, { ...INPUT, observed: { documentsPerInvocation: 5 } })!;
    expect(half.parts['lambda requests']).toBeCloseTo(full.parts['lambda requests'] * 2, 4);
    expect(half.parts['lambda compute']).toBeCloseTo(full.parts['lambda compute'] * 2, 3);
    const gcp = pipelineCostPerMillion(GCP_US_CENTRAL1, { ...INPUT, observed: { instanceSecondsPerDocument: 0.5 } })!;
    expect(gcp.parts['function vcpu']).toBeCloseTo(((1_000_000 * 0.5) / 3600) * GCP_US_CENTRAL1.cloudRunServiceVcpu.usd, 3);
    expect(gcp.basis).toContain('as simulated');
  });
});
