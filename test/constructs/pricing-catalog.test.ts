import { describe, expect, it } from 'vitest';
import { ELASTICACHE_NODE_TYPES, INSTANCE_SHAPES, MEMORYSTORE_VALKEY_NODE_TYPES } from '../../constructs';
import {
  AWS_US_EAST_1,
  awsPriceList,
  GCP_US_CENTRAL1,
  gcpPriceList,
  priceListProblems,
  pricesOf,
  unpricedShapes,
  vertexNodeKey,
  type AwsPriceList,
  type Price,
} from '../../constructs/pricing-catalog';

describe('pricing catalog', () => {
  it('ships only prices with an amount, a unit, a source, a checked-on date and a tag', () => {
    expect(priceListProblems(AWS_US_EAST_1)).toEqual([]);
    expect(priceListProblems(GCP_US_CENTRAL1)).toEqual([]);
    expect(pricesOf(AWS_US_EAST_1).length).toBeGreaterThan(25);
    expect(pricesOf(GCP_US_CENTRAL1).length).toBeGreaterThan(20);
  });

  it('rejects an entry without a source or a date, with a bad tag, or [U] without its derivation', () => {
    const bad = (p: Partial<Price>): AwsPriceList => ({
      ...AWS_US_EAST_1,
      sagemakerInstances: { 'ml.m5.xlarge': { ...AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge'], ...p } as Price },
    });
    expect(priceListProblems(bad({ source: '' }))).toEqual(['aws us-east-1 sagemakerInstances.ml.m5.xlarge: source is missing']);
    expect(priceListProblems(bad({ checkedOn: 'last week' }))).toEqual([
      'aws us-east-1 sagemakerInstances.ml.m5.xlarge: checkedOn must be a date (YYYY-MM-DD, YYYY-MM or YYYY), got "last week"',
    ]);
    expect(priceListProblems(bad({ checkedOn: undefined }))[0]).toContain('checkedOn must be a date');
    expect(priceListProblems(bad({ tag: 'X' as Price['tag'] }))[0]).toContain('tag must be one of V, S, U, got "X"');
    expect(priceListProblems(bad({ tag: 'U', note: undefined }))).toEqual([
      'aws us-east-1 sagemakerInstances.ml.m5.xlarge: an unverified [U] price needs a note saying how it was derived',
    ]);
    expect(priceListProblems(bad({ usd: -1 }))[0]).toContain('usd must be a finite number >= 0, got -1');
  });

  it('prices every instance shape on both clouds and every cache node type', () => {
    expect(unpricedShapes(AWS_US_EAST_1)).toEqual([]);
    expect(unpricedShapes(GCP_US_CENTRAL1)).toEqual([]);
    for (const shape of INSTANCE_SHAPES) {
      expect(AWS_US_EAST_1.sagemakerInstances[shape.aws.instanceType]).toBeDefined();
      expect(GCP_US_CENTRAL1.vertexPredictionNodes[vertexNodeKey(shape.gcp.machineType, shape.gcp.acceleratorType, shape.gcp.acceleratorCount)]).toBeDefined();
    }
    for (const t of ELASTICACHE_NODE_TYPES) {
      expect(AWS_US_EAST_1.elasticacheNodes.valkey[t.nodeType]).toBeDefined();
      expect(AWS_US_EAST_1.elasticacheNodes.redis[t.nodeType]).toBeDefined();
    }
    for (const t of MEMORYSTORE_VALKEY_NODE_TYPES) expect(GCP_US_CENTRAL1.memorystoreNodes[t.nodeType]).toBeDefined();
  });

  it('keeps the prices pricing.md gives, with their tags', () => {
    expect(AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge']).toMatchObject({ usd: 0.23, unit: 'instance-hour', tag: 'S' });
    expect(AWS_US_EAST_1.sagemakerInstances['ml.g6.xlarge']).toMatchObject({ usd: 1.127, tag: 'S' });
    expect(AWS_US_EAST_1.elasticacheServerless.valkey.data).toMatchObject({ usd: 0.084, unit: 'GB-hour', checkedOn: '2026-06' });
    expect(AWS_US_EAST_1.opensearchServerlessOcu).toMatchObject({ usd: 0.24, unit: 'OCU-hour' });
    expect(AWS_US_EAST_1.sqsStandardRequests).toMatchObject({ usd: 0.4, unit: 'million requests' });
    expect(GCP_US_CENTRAL1.vertexPredictionNodes['n1-standard-4']).toMatchObject({ usd: 0.219, tag: 'S', checkedOn: '2026-09-08' });
    expect(GCP_US_CENTRAL1.vectorSearchNodes['e2-standard-2']).toMatchObject({ usd: 0.0938, tag: 'S' });
    expect(GCP_US_CENTRAL1.pubsubDelivery).toMatchObject({ usd: 40, unit: 'TiB delivered', tag: 'V' });
  });

  it('derives the missing prices by the arithmetic their notes state', () => {
    const aws = AWS_US_EAST_1.sagemakerInstances;
    expect(aws['ml.m5.2xlarge']).toMatchObject({ usd: 0.46, tag: 'U' });
    expect(aws['ml.m5.4xlarge'].usd).toBe(0.92);
    expect(AWS_US_EAST_1.elasticacheNodes.valkey['cache.r7g.large'].usd).toBe(Math.round(13.07 * (0.25 / 13.07) * 0.8 * 10_000) / 10_000);
    const gcp = GCP_US_CENTRAL1.vertexPredictionNodes;
    expect(gcp['e2-standard-2'].usd).toBe(0.077);
    expect(gcp[vertexNodeKey('n1-standard-4', 'NVIDIA_TESLA_T4', 1)].usd).toBe(0.6215);
    expect(gcp[vertexNodeKey('g2-standard-4', 'NVIDIA_L4', 1)]).toMatchObject({ usd: 0.83, tag: 'U' });
    for (const { price } of [...pricesOf(AWS_US_EAST_1), ...pricesOf(GCP_US_CENTRAL1)]) if (price.tag === 'U') expect(price.note).toBeTruthy();
  });

  it('looks price lists up by region', () => {
    expect(awsPriceList('us-east-1')).toBe(AWS_US_EAST_1);
    expect(gcpPriceList('us-central1')).toBe(GCP_US_CENTRAL1);
    expect(awsPriceList('eu-west-1')).toBeUndefined();
  });
});
