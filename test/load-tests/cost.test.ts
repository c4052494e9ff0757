/**
 * The cost model against hand computations from the catalog's numbers, written out as literals
 * so a change of a catalog price or of a counting rule fails here.
 */
import { describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology, type TopologyInput } from '../../constructs';
import { BILLING_INCREMENT_SECONDS, billedReplicaHours, cloudCostOfSimulation } from '../../load-tests/cost/simulated-cost';
import { HOURS_PER_MONTH } from '../../load-tests/cost/cost-lines';
import { priceTopology } from '../../load-tests/cost/topology-cost';
import type { CloudSimulation } from '../../load-tests/simulator/simulation-result';

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
    const endpoints = 2 * 0.154;
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
    // 10 GiB on dev: 4 × cache.t4g.medium (3.09 GiB, Valkey 0.0473 $/h) ⇔ 2 × STANDARD_SMALL (6.5 GB, 0.12 $/h).
    expect(line(data.clouds.aws.lines, 'feature cache nodes')).toBeCloseTo(4 * 0.0473, 12);
    expect(line(data.clouds.gcp.lines, 'feature cache nodes')).toBeCloseTo(2 * 0.12, 12);
    // 100,000 × 768 dims: a 0.35 GB HNSW graph fits the floor of 0.5 + 0.5 OCU without standby replicas.
    expect(line(data.clouds.aws.lines, 'vector store')).toBeCloseTo(1 * 0.24, 12);
    // A 0.29 GiB index: one SMALL shard on one e2-standard-2 node; building it once costs 0.29 GiB × $3.
    expect(line(data.clouds.gcp.lines, 'vector store serving')).toBeCloseTo(0.0938, 12);
    expect(data.clouds.gcp.oneOffUsd).toBeCloseTo(((768 * 4 * 100_000) / 2 ** 30) * 3, 9);
  });

  it('states every line with its catalog source and date', () => {
    for (const l of [...cost.clouds.aws.lines, ...cost.clouds.gcp.lines]) {
      expect(l.price.source).toBeTruthy();
      expect(l.price.checkedOn).toMatch(/^\d{4}/);
      expect(l.monthlyUsd).toBeCloseTo(l.hourlyUsd * HOURS_PER_MONTH, 9);
    }
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
});
