import { describe, expect, it } from 'vitest';
import { ELASTICACHE_NODE_TYPES, INSTANCE_SHAPES, MEMORYSTORE_VALKEY_NODE_TYPES } from '../../constructs';
import {
  AWS_AP_NORTHEAST_1,
  AWS_EU_WEST_1,
  AWS_US_EAST_1,
  awsPriceList,
  GCP_ASIA_NORTHEAST1,
  GCP_EUROPE_WEST4,
  GCP_US_CENTRAL1,
  gcpPriceList,
  priceListProblems,
  pricesOf,
  PRICING_CATALOG,
  unpricedShapes,
  vertexNodeKey,
  type AwsPriceList,
  type Price,
} from '../../constructs/pricing-catalog';

const LISTS = [...PRICING_CATALOG.aws, ...PRICING_CATALOG.gcp];
const L4 = (machine: string, count = 1) => vertexNodeKey(machine, 'NVIDIA_L4', count);

describe('pricing catalog', () => {
  it('ships only prices with an amount, a unit, a public source, a date, a tag and, unless verified, a range that holds them', () => {
    for (const list of LISTS) expect(priceListProblems(list), `${list.cloud} ${list.region}`).toEqual([]);
    expect(pricesOf(AWS_US_EAST_1).length).toBeGreaterThan(25);
    expect(pricesOf(GCP_US_CENTRAL1).length).toBeGreaterThan(20);
    for (const { price } of LISTS.flatMap(pricesOf)) {
      expect(price.source).toMatch(/^(https:\/\/|[\w.-]+\/[\w.-]+ \S)/);
      if (price.tag === 'V') continue;
      expect(price.low).toBeLessThanOrEqual(price.usd);
      expect(price.high).toBeGreaterThanOrEqual(price.usd);
    }
  });

  it('rejects an entry without a source or a date, with a bad tag, [U] without its derivation, unverified without a range, or a private citation', () => {
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
    expect(priceListProblems(bad({ low: undefined, high: undefined }))).toEqual([
      'aws us-east-1 sagemakerInstances.ml.m5.xlarge: an unverified [S] price needs low <= usd <= high, got low undefined, usd 0.23, high undefined',
    ]);
    expect(priceListProblems(bad({ low: 0.3 }))[0]).toContain('needs low <= usd <= high');
    expect(priceListProblems(bad({ tag: 'V', low: undefined, high: undefined }))).toEqual([]);
    expect(priceListProblems(bad({ source: '../outside-the-repo/prices.md' }))[0]).toContain('source must be a public URL or a public repository file');
  });

  it('prices every instance shape and every cache node type in us-east-1 and us-central1', () => {
    expect(unpricedShapes(AWS_US_EAST_1)).toEqual([]);
    expect(unpricedShapes(GCP_US_CENTRAL1)).toEqual([]);
    for (const t of ELASTICACHE_NODE_TYPES) {
      expect(AWS_US_EAST_1.elasticacheNodes.valkey[t.nodeType]).toBeDefined();
      expect(AWS_US_EAST_1.elasticacheNodes.redis[t.nodeType]).toBeDefined();
    }
    for (const t of MEMORYSTORE_VALKEY_NODE_TYPES) expect(GCP_US_CENTRAL1.memorystoreNodes[t.nodeType]).toBeDefined();
    expect(INSTANCE_SHAPES.length).toBeGreaterThan(8);
  });

  it('corrects the cache node prices the review found off: ElastiCache from the AWS Price List, Memorystore highmem 20–25 % lower', () => {
    const redis = AWS_US_EAST_1.elasticacheNodes.redis;
    const valkey = AWS_US_EAST_1.elasticacheNodes.valkey;
    expect(Object.fromEntries(Object.entries(redis).map(([t, p]) => [t, p.usd]))).toEqual({
      'cache.t4g.small': 0.032,
      'cache.t4g.medium': 0.065,
      'cache.r7g.large': 0.219,
      'cache.r7g.xlarge': 0.437,
      'cache.r7g.2xlarge': 0.873,
    });
    // Node-based Valkey is 20 % below Redis OSS, type by type.
    for (const [type, p] of Object.entries(valkey)) expect(p.usd).toBeCloseTo(0.8 * redis[type].usd, 4);
    for (const p of [...Object.values(redis), ...Object.values(valkey)]) expect(p).toMatchObject({ tag: 'S', source: expect.stringContaining('AmazonElastiCache') });
    const memorystore = GCP_US_CENTRAL1.memorystoreNodes;
    expect(memorystore.HIGHMEM_MEDIUM.usd).toBe(0.1923);
    expect(memorystore.HIGHMEM_XLARGE.usd).toBe(0.8581);
    // The old per-GB rule (0.12 $/h ÷ 6.5 GB) priced highmem nodes about a quarter too high.
    expect((13 * (0.12 / 6.5)) / memorystore.HIGHMEM_MEDIUM.usd).toBeCloseTo(1.248, 3);
    expect(memorystore.STANDARD_SMALL).toMatchObject({ usd: 0.1425, low: 0.0961, tag: 'S' });
  });

  it('keeps the sourced prices, with their tags', () => {
    expect(AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge']).toMatchObject({ usd: 0.23, unit: 'instance-hour', tag: 'S', low: 0.23, high: 0.269 });
    expect(AWS_US_EAST_1.sagemakerInstances['ml.g6.xlarge']).toMatchObject({ usd: 1.1267, tag: 'S' });
    expect(AWS_US_EAST_1.elasticacheServerless.valkey.data).toMatchObject({ usd: 0.084, unit: 'GB-hour', checkedOn: '2026-06' });
    expect(AWS_US_EAST_1.opensearchServerlessOcu).toMatchObject({ usd: 0.24, unit: 'OCU-hour' });
    expect(AWS_US_EAST_1.sqsStandardRequests).toMatchObject({ usd: 0.4, unit: 'million requests' });
    expect(GCP_US_CENTRAL1.vertexPredictionNodes['n1-standard-4']).toMatchObject({ usd: 0.219, tag: 'S', checkedOn: '2026-09-08' });
    expect(GCP_US_CENTRAL1.vectorSearchNodes['e2-standard-2']).toMatchObject({ usd: 0.0938, tag: 'S' });
    expect(GCP_US_CENTRAL1.pubsubDelivery).toMatchObject({ usd: 40, unit: 'TiB delivered', tag: 'V' });
    expect(GCP_US_CENTRAL1.pubsubDelivery.low).toBeUndefined();
  });

  it('derives Vertex nodes as 1.15 × the Billing Catalog\'s Compute Engine price, per region', () => {
    const ce = {
      'us-central1': { e2s8: 0.26804568, g2s12: 1.000416287, g2s16: 1.147208303 },
      'europe-west4': { e2s8: 0.29508816, g2s12: 1.051487566, g2s16: 1.205773326 },
      'asia-northeast1': { e2s8: 0.34386288, g2s12: 1.284734612, g2s16: 1.473244916 },
    };
    for (const list of [GCP_US_CENTRAL1, GCP_EUROPE_WEST4, GCP_ASIA_NORTHEAST1]) {
      const { e2s8, g2s12, g2s16 } = ce[list.region as keyof typeof ce];
      const step = (g2s16 - g2s12) / 4; // 1 vCPU + 4 GB
      const l4 = g2s12 - 12 * step;
      const nodes = list.vertexPredictionNodes;
      expect(nodes['e2-standard-4'].usd).toBeCloseTo((1.15 * e2s8) / 2, 4);
      expect(nodes[L4('g2-standard-4')].usd).toBeCloseTo(1.15 * (l4 + 4 * step), 4);
      expect(nodes[L4('g2-standard-48', 4)].usd).toBeCloseTo(1.15 * (4 * l4 + 48 * step), 3);
      expect(nodes[L4('g2-standard-4')]).toMatchObject({ tag: 'U', source: expect.stringContaining('Cyclenerd/google-cloud-pricing-cost-calculator') });
    }
    // us-central1 reproduces the figures pricing guides quote: e2-standard-4 ≈ 0.154, g2-standard-4 within 0.81–0.85.
    expect(GCP_US_CENTRAL1.vertexPredictionNodes['e2-standard-4'].usd).toBe(0.1541);
    expect(GCP_US_CENTRAL1.vertexPredictionNodes[L4('g2-standard-4')].usd).toBe(0.8129);
    expect(GCP_US_CENTRAL1.vertexPredictionNodes[vertexNodeKey('n1-standard-4', 'NVIDIA_TESLA_T4', 1)].usd).toBe(0.6215);
  });

  it('prices eu-west-1 / europe-west4 and ap-northeast-1 / asia-northeast1, each derived price saying from what', () => {
    expect(awsPriceList('eu-west-1')).toBe(AWS_EU_WEST_1);
    expect(awsPriceList('ap-northeast-1')).toBe(AWS_AP_NORTHEAST_1);
    expect(gcpPriceList('europe-west4')).toBe(GCP_EUROPE_WEST4);
    expect(gcpPriceList('asia-northeast1')).toBe(GCP_ASIA_NORTHEAST1);
    expect(awsPriceList('sa-east-1')).toBeUndefined();
    expect(gcpPriceList('southamerica-east1')).toBeUndefined();

    const base = AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge'];
    expect(AWS_EU_WEST_1.sagemakerInstances['ml.m5.xlarge']).toMatchObject({
      usd: Math.round(0.23 * 1.1146 * 1e4) / 1e4,
      tag: 'U',
      // Checked against the region's own offer file; the note names the us-east-1 source it was derived from.
      source: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/eu-west-1/index.json',
      low: Math.round(base.low! * 1.05 * 1e6) / 1e6,
      high: Math.round(base.high! * 1.17 * 1e6) / 1e6,
      note: expect.stringContaining(`eu-west-1 0.214 / us-east-1 0.192); us-east-1 price [S] from ${base.source}`),
    });
    expect(AWS_AP_NORTHEAST_1.opensearchServerlessOcu.usd).toBe(Math.round(0.24 * 1.2917 * 1e4) / 1e4);
    // Request-priced services keep the us-east-1 price, allowing 15 % more.
    expect(AWS_AP_NORTHEAST_1.sqsStandardRequests).toMatchObject({ usd: 0.4, tag: 'U', high: 0.4 * 1.1 * 1.15 });
    expect(GCP_EUROPE_WEST4.memorystoreNodes.HIGHMEM_MEDIUM.usd).toBe(Math.round(0.1923 * 1.1009 * 1e4) / 1e4);
    // N1 and A3 nodes have no regional source: not priced rather than guessed.
    expect(unpricedShapes(GCP_EUROPE_WEST4)).toEqual([
      vertexNodeKey('n1-standard-4', 'NVIDIA_TESLA_T4', 1),
      vertexNodeKey('a3-highgpu-8g', 'NVIDIA_H100_80GB', 8),
    ]);
    expect(unpricedShapes(AWS_AP_NORTHEAST_1)).toEqual([]);
  });
});
