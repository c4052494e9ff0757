/**
 * The cost model against hand computations from the catalog's numbers, written out as literals
 * so a change of a catalog price or of a counting rule fails here.
 */
import { describe, expect, it } from 'vitest';
import { describeBasis } from '../../bin/commands/cost';
import { parseTopology, preset, resolveTopology, type TopologyInput } from '../../constructs';
import { AWS_US_EAST_1, GCP_US_CENTRAL1, PRICING_CATALOG, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import type { OpenSearchBasis, VectorSearchBasis } from '../../load-tests/cost/cost-basis';
import { HOURS_PER_MONTH } from '../../load-tests/cost/cost-lines';
import { BILLING_INCREMENT_SECONDS, billedReplicaHours, cloudCostOfSimulation, costOfSimulation, spikeShare } from '../../load-tests/cost/simulated-cost';
import { priceTopology } from '../../load-tests/cost/topology-cost';
import { simulateBaseline, simulateTopology } from '../../load-tests/simulator/simulate';
import type { CloudSimulation } from '../../load-tests/simulator/simulation-result';
import { selectProfile } from '../../load-tests/traffic/select-profile';

const image = { aws: '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1', gcp: 'us-docker.pkg.dev/p/serving/scorer:1' };

const TINY: TopologyInput = {
  name: 'tiny',
  environment: 'dev',
  regions: { aws: 'us-east-1', gcp: 'us-central1' },
  endpoints: [{ name: 'scorer', model: { image }, compute: { cpus: 4, memoryGiB: 16 }, scaling: { min: 2, max: 3, target: { metric: 'invocations', value: 600 } } }],
  queues: [{ name: 'events', purpose: 'events' }],
};

const WITH_DATA: TopologyInput = {
  ...TINY,
  featureCache: { engine: 'valkey', deployment: 'nodes', memoryGiB: 10 },
  vectorStore: { engine: 'managed', dimensions: 768, expectedVectors: 100_000 },
};

const resolved = (input: TopologyInput) => resolveTopology(parseTopology(input, 'test'));
const line = (lines: readonly { item: string; hourlyUsd: number }[], item: string) => lines.find((l) => l.item === item)!.hourlyUsd;

describe('priceTopology: a known small topology equals the hand computation', () => {
  const cost = priceTopology(resolved(TINY));

  it('AWS: 2 × ml.m5.xlarge, SQS requests, 6 interface endpoints in 2 zones, 4 keys, 5 alarms', () => {
    const aws = cost.clouds.aws;
    const endpoints = 2 * 0.23;
    const sqs = ((10 * 3600 * 3) / 1e6) * 0.4; // 10 msg/s × send + receive + delete, $0.40 per million
    const interfaceEndpoints = (5 + 1) * 2 * 0.01; // runtime, STS, KMS, logs, metrics + SQS; × 2 zones
    const keys = (4 * 1) / 730; // endpoint, queue, alarm topic, flow logs
    const alarms = (5 * 0.1) / 730; // latency + errors, dead letters, target tracking high + low
    expect(line(aws.lines, 'scorer/primary')).toBeCloseTo(endpoints, 12);
    expect(line(aws.lines, 'queue events')).toBeCloseTo(sqs, 12);
    expect(line(aws.lines, 'interface VPC endpoints')).toBeCloseTo(interfaceEndpoints, 12);
    expect(line(aws.lines, 'KMS keys')).toBeCloseTo(keys, 12);
    expect(line(aws.lines, 'alarms')).toBeCloseTo(alarms, 12);
    expect(aws.hourlyUsd).toBeCloseTo(endpoints + sqs + interfaceEndpoints + keys + alarms, 12);
    expect(aws.monthlyUsd).toBeCloseTo((endpoints + sqs + interfaceEndpoints) * 730 + 4 + 0.5, 9);
    expect(aws.lines).toHaveLength(5);
  });

  it('GCP: 2 × e2-standard-4, Pub/Sub bytes with the 1,000-byte minimum, 1 PSC endpoint, 3 keys, 3 conditions', () => {
    const gcp = cost.clouds.gcp;
    const endpoints = 2 * 0.1541;
    const pubsub = ((10 * 3600 * 2 * 1024) / 2 ** 40) * 40; // publish + pull of 1 KiB each, $40 per TiB
    const psc = 1 * 0.01;
    const keys = (3 * 0.06) / 730;
    const conditions = (3 * 0.1) / 730;
    expect(line(gcp.lines, 'scorer/primary')).toBeCloseTo(endpoints, 12);
    expect(line(gcp.lines, 'queue events')).toBeCloseTo(pubsub, 12);
    expect(gcp.hourlyUsd).toBeCloseTo(endpoints + pubsub + psc + keys + conditions, 12);
    expect(gcp.unpriced).toEqual([]);
  });

  it('bills small Pub/Sub messages at 1,000 bytes', () => {
    const small = priceTopology(resolved(TINY), { assumptions: { messageBytes: 100 } });
    expect(line(small.clouds.gcp.lines, 'queue events')).toBeCloseTo(((10 * 3600 * 2 * 1000) / 2 ** 40) * 40, 12);
  });

  it('adds a node cache and a managed vector store by their sizing rules', () => {
    const data = priceTopology(resolved(WITH_DATA));
    // 10 GiB on dev: cache.t4g.medium holds 2.32 usable GiB (5 shards, over the 4 allowed), so 2 × cache.r7g.large
    // (9.8 usable GiB, Valkey 0.1752 $/h) ⇔ 3 × STANDARD_SMALL (4.84 GiB writable, 0.1425 $/h).
    expect(line(data.clouds.aws.lines, 'feature cache nodes')).toBeCloseTo(2 * 0.1752, 12);
    expect(line(data.clouds.gcp.lines, 'feature cache nodes')).toBeCloseTo(3 * 0.1425, 12);
    expect(data.clouds.gcp.basis.cache).toMatchObject({ memoryGiB: 10, nodeType: 'STANDARD_SMALL', shards: 3, nodes: 3, usableGiBPerNode: 4.84 });
    // 100,000 × 768 dims: a 0.35 GB HNSW graph fits the floor of 0.5 + 0.5 OCU without standby replicas.
    expect(line(data.clouds.aws.lines, 'vector store')).toBeCloseTo(1 * 0.24, 12);
    // A 0.29 GiB index: one SMALL shard on one e2-standard-2 node; building it once costs 0.29 GiB × $3.
    expect(line(data.clouds.gcp.lines, 'vector store serving')).toBeCloseTo(0.0938, 12);
    expect(data.clouds.gcp.oneOffUsd).toBeCloseTo(((768 * 4 * 100_000) / 2 ** 30) * 3, 9);
    expect(data.clouds.gcp.basis.oneOffCharges).toEqual([{ item: 'vector index build', usd: data.clouds.gcp.oneOffUsd, basis: '0.29 GiB × $3 per GiB built' }]);
    expect(data.clouds.gcp.lines.find((l) => l.item === 'vector index build')).toMatchObject({ quantityPer: 'once', monthlyUsd: 0 });
  });

  it('prices a pgvector store from the memory decided once: Aurora ACUs at the floor up to the ceiling, AlloyDB vCPUs as provisioned', () => {
    const withDatabase = (environment: string) => resolved({ ...TINY, environment, vectorStore: { engine: 'pgvector', dimensions: 768, expectedVectors: 100_000 } });
    const dev = priceTopology(withDatabase('dev'));
    // dev, 16 GiB: one Aurora writer at 0.5 ACU (up to 8) at 0.12 $/ACU-h ⇔ one AlloyDB primary of 2 vCPUs at 0.1767 $/vCPU-h.
    expect(line(dev.clouds.aws.lines, 'vector database')).toBeCloseTo(0.5 * 0.12, 12);
    expect(dev.clouds.aws.lines.find((l) => l.item === 'vector database')!.monthlyRangeUsd).toEqual({ low: 0.5 * 0.12 * 730, high: 8 * 0.16 * 730 });
    expect(line(dev.clouds.gcp.lines, 'vector database')).toBeCloseTo(2 * 0.1767, 12);
    expect(dev.clouds.aws.basis.vectorStore).toEqual({
      engine: 'Aurora PostgreSQL with pgvector',
      vectors: 100_000,
      dimensions: 768,
      memoryGiB: 16,
      instances: 1,
      capacity: { unit: 'ACU', min: 0.5, max: 8 },
    });
    expect(dev.clouds.gcp.basis.vectorStore).toMatchObject({ engine: 'AlloyDB with pgvector', memoryGiB: 16, instances: 1, capacity: { unit: 'vCPU', count: 2 } });
    // prod, 32 GiB and highly available: a writer and a reader at 0.5 ACU (up to 16) ⇔ a 4-vCPU primary and its standby.
    const prod = priceTopology(withDatabase('prod'));
    expect(line(prod.clouds.aws.lines, 'vector database')).toBeCloseTo(2 * 0.5 * 0.12, 12);
    expect(line(prod.clouds.gcp.lines, 'vector database')).toBeCloseTo(2 * 4 * 0.1767, 12);
    for (const c of [dev.clouds.aws, dev.clouds.gcp, prod.clouds.aws, prod.clouds.gcp]) expect(c.unpriced).toEqual([]);
    expect(describeBasis(prod.clouds.aws.basis)).toContain('vector store: Aurora PostgreSQL with pgvector, 100,000 vectors × 768 dims → 32 GiB writer memory → 2 × 0.5–16 ACU');
    expect(describeBasis(prod.clouds.gcp.basis)).toContain('vector store: AlloyDB with pgvector, 100,000 vectors × 768 dims → 32 GiB writer memory → 2 × 4 vCPUs');
  });

  it('gives a range that holds the total, from the unverified prices and sizing rules', () => {
    for (const c of [cost.clouds.aws, cost.clouds.gcp]) {
      expect(c.monthlyRangeUsd!.low).toBeLessThan(c.monthlyUsd!);
      expect(c.monthlyRangeUsd!.high).toBeGreaterThan(c.monthlyUsd!);
    }
    const verified = (list: typeof AWS_US_EAST_1 | typeof GCP_US_CENTRAL1) =>
      JSON.parse(JSON.stringify(list), (_, v) => (v && typeof v === 'object' && 'usd' in v ? { ...v, tag: 'V', low: undefined, high: undefined } : v));
    const exact = priceTopology(resolved(TINY), { catalog: { aws: [verified(AWS_US_EAST_1)], gcp: [verified(GCP_US_CENTRAL1)] } });
    expect(exact.clouds.aws.monthlyRangeUsd!.low).toBeCloseTo(exact.clouds.aws.monthlyUsd!, 9);
    expect(exact.clouds.aws.monthlyRangeUsd!.high).toBeCloseTo(exact.clouds.aws.monthlyUsd!, 9);
  });

  it('states every line with its catalog source and date', () => {
    for (const l of [...cost.clouds.aws.lines, ...cost.clouds.gcp.lines]) {
      expect(l.price.source).toBeTruthy();
      expect(l.price.checkedOn).toMatch(/^\d{4}/);
      expect(l.monthlyUsd).toBeCloseTo(l.hourlyUsd * HOURS_PER_MONTH, 9);
    }
  });
});

describe('the basis of each total', () => {
  const prod = priceTopology(resolveTopology(preset('prod')));

  it('shows the vector count, the HNSW graph and the OCUs behind prod\'s OpenSearch bill', () => {
    const aws = prod.clouds.aws;
    // 20 M × 768 dims, m 16: 1.1 × (4 × 768 + 8 × 16) bytes a vector = 65.6 GiB per copy; 3 GiB of graph per OCU
    // (half of 6 GiB) → 22 OCUs a copy, two copies with standby replicas, plus 1 indexing OCU.
    expect(aws.basis.vectorStore).toEqual({
      engine: 'OpenSearch Serverless',
      vectors: 20_000_000,
      dimensions: 768,
      hnswM: 16,
      graphGiB: (1.1 * (4 * 768 + 8 * 16) * 20_000_000) / 2 ** 30,
      standbyReplicas: true,
      indexingOcus: 1,
      searchOcus: 44,
      searchOcusRange: { low: 30, high: 88 },
    } satisfies OpenSearchBasis);
    const ocu = aws.lines.find((l) => l.item === 'vector store')!;
    expect(ocu).toMatchObject({ quantity: 45, quantityRange: { low: 31, high: 91 } });
    expect(ocu.basis).toContain('20,000,000 vectors × 768 dims');
    expect(aws.basis.priceList).toEqual({ region: 'us-east-1', from: 'catalog', catalogCompiledOn: '2026-12-06' });
  });

  it('shows Vector Search\'s index, shards and the index build charged once', () => {
    const gcp = prod.clouds.gcp;
    const indexGiB = (4 * 768 * 20_000_000) / 2 ** 30;
    expect(gcp.basis.vectorStore).toEqual({
      engine: 'Vertex AI Vector Search',
      vectors: 20_000_000,
      dimensions: 768,
      indexGiB,
      shards: 3,
      shardSize: 'SHARD_SIZE_MEDIUM',
      machineType: 'e2-standard-16',
      replicas: 2,
    } satisfies VectorSearchBasis);
    expect(gcp.basis.oneOffCharges).toEqual([{ item: 'vector index build', usd: indexGiB * 3, basis: '57.22 GiB × $3 per GiB built' }]);
    expect(gcp.oneOffUsd).toBeCloseTo(indexGiB * 3, 9);
  });
});

describe('a region without prices', () => {
  const elsewhere = (regions: { aws: string; gcp: string }) => resolved({ ...WITH_DATA, regions });

  it('marks the cost unavailable instead of failing: null totals and the reason', () => {
    const cost = priceTopology(elsewhere({ aws: 'sa-east-1', gcp: 'southamerica-east1' }));
    expect(cost.clouds.aws).toMatchObject({ available: false, lines: [], hourlyUsd: null, monthlyUsd: null, oneOffUsd: null, monthlyRangeUsd: null });
    expect(cost.clouds.aws.unpriced).toEqual([
      'everything: no prices for sa-east-1 (the price list covers us-east-1, eu-west-1, ap-northeast-1; add the region\'s prices with --prices FILE)',
    ]);
    expect(cost.clouds.gcp.basis.priceList).toMatchObject({ region: 'southamerica-east1', from: 'none' });
  });

  it('prices what a partial price list has and names the rest', () => {
    const catalog: PricingCatalog = {
      ...PRICING_CATALOG,
      aws: [...PRICING_CATALOG.aws, { cloud: 'aws', region: 'sa-east-1', sagemakerInstances: { 'ml.m5.xlarge': { ...AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge'], usd: 0.36 } } }],
    };
    const aws = priceTopology(elsewhere({ aws: 'sa-east-1', gcp: 'us-central1' }), { catalog }).clouds.aws;
    expect(aws.available).toBe(true);
    expect(aws.lines.map((l) => l.item)).toEqual(['scorer/primary']);
    expect(aws.monthlyUsd).toBeCloseTo(2 * 0.36 * HOURS_PER_MONTH, 9);
    expect(aws.unpriced).toEqual(
      expect.arrayContaining(['feature cache: cache.r7g.large (no price in sa-east-1)', 'vector store: OpenSearch Serverless OCUs (no price in sa-east-1)', 'KMS keys (no price in sa-east-1)']),
    );
  });

  it('leaves the simulated cost null too, and names the capacity files behind a simulated cost', () => {
    const topology = elsewhere({ aws: 'sa-east-1', gcp: 'us-central1' });
    const simulation = simulateTopology(topology, { profile: selectProfile('steady', { hours: 1 }), endpoints: ['scorer'] });
    const capacity = { scorer: { source: 'runs/scorer.json', requestsPerSecondPerReplica: 50 } };
    const cost = costOfSimulation(topology, simulation, { capacity });
    expect(cost.clouds.aws).toMatchObject({ available: false, endpointsUsd: null, totalUsd: null, monthlyUsdAtSimulatedLoad: null, costPerMillionInferencesUsd: null });
    expect(cost.clouds.aws!.endpoints.scorer.usd).toBeNull();
    expect(cost.clouds.gcp).toMatchObject({ available: true, totalUsd: expect.any(Number) });
    expect(cost.capacityFiles).toEqual([{ endpoint: 'scorer', file: 'runs/scorer.json' }]);
  });
});

describe('cost of a simulated run', () => {
  it('rounds replica lifetimes to each cloud\'s billing increment: per second on AWS, 30 s on GCP', () => {
    expect(BILLING_INCREMENT_SECONDS).toEqual({ aws: 1, gcp: 30 });
    expect(billedReplicaHours([10, 45, 3600], 'aws') * 3600).toBeCloseTo(3655, 9);
    expect(billedReplicaHours([10, 45, 3600], 'gcp') * 3600).toBeCloseTo(30 + 60 + 3600, 9);
  });

  it('prices replica time and the rest of the bill per million inferences served', () => {
    const sim = {
      cloud: 'gcp',
      endpoints: {
        scorer: {
          servedRequests: 2_000_000,
          replicaHours: 2,
          variants: [{ name: 'primary', instanceType: 'e2-standard-4', replicaLifetimesSeconds: [3600, 3590] }],
        },
      },
    } as unknown as CloudSimulation;
    const priced = cloudCostOfSimulation(sim, 1, (t) => (t === 'e2-standard-4' ? { usd: 0.154, unit: 'node-hour', source: 's', checkedOn: '2026-01-01', tag: 'U', note: 'n' } : undefined), 0.5);
    const endpointsUsd = 2 * 0.154; // 3590 s bills as 3600 s
    expect(priced.endpointsUsd).toBeCloseTo(endpointsUsd, 12);
    expect(priced.totalUsd).toBeCloseTo(endpointsUsd + 0.5, 12);
    expect(priced.costPerMillionInferencesUsd).toBeCloseTo((endpointsUsd + 0.5) / 2, 12);
    expect(priced.endpointCostPerMillionInferencesUsd).toBeCloseTo(endpointsUsd / 2, 12);
    expect(priced.monthlyUsdAtSimulatedLoad).toBeCloseTo((endpointsUsd + 0.5) * 730, 9);
  });

  it('weighs a month by the spike frequency: spikesPerWeek × hours / 168 of it with the spike, the rest without', () => {
    const dev = resolveTopology(preset('dev'));
    const options = { profile: selectProfile('breaking-news', { hours: 2, spikesPerWeek: 3 }), endpoints: ['ranker'], clouds: ['aws' as const] };
    const simulation = simulateTopology(dev, options);
    const baseline = simulateBaseline(dev, options)!;
    expect(baseline.profile.spikeStartMinute).toBeUndefined();
    const every = costOfSimulation(dev, simulation).clouds.aws!;
    const weighed = costOfSimulation(dev, simulation, { baseline }).clouds.aws!;
    const without = costOfSimulation(dev, baseline).clouds.aws!;
    const share = spikeShare(3, 2);
    expect(share).toBeCloseTo(6 / 168, 12);
    expect(every).toMatchObject({ spikesPerWeek: null, monthlyBasis: 'every 2 h of the month like the simulated run' });
    expect(weighed.spikesPerWeek).toBe(3);
    expect(weighed.monthlyUsdWithoutSpikes).toBeCloseTo(without.monthlyUsdAtSimulatedLoad!, 9);
    expect(weighed.monthlyUsdAtSimulatedLoad).toBeCloseTo(share * every.monthlyUsdAtSimulatedLoad! + (1 - share) * without.monthlyUsdAtSimulatedLoad!, 9);
    // The spike costs replica time: a month with it every period costs more than with it three times a week.
    expect(every.monthlyUsdAtSimulatedLoad!).toBeGreaterThan(weighed.monthlyUsdAtSimulatedLoad!);
    expect(spikeShare(7, 24)).toBe(1);
    expect(spikeShare(14, 24)).toBe(1);
  });
});
