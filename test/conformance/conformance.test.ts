/**
 * Conformance: the same topologies on AWS and GCP, the same facts read back from each cloud's own
 * output (the CloudFormation template; the inputs of the mocked Pulumi program), never from the
 * ResolvedTopology both were built from. A difference is a parity note `serving-stacks parity`
 * shows, or a failure. Each topology is synthesized and planned once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParityNote } from '../../constructs';
import { compareFacts, type Difference } from './compare-facts';
import { CONFORMANCE_TOPOLOGIES, conformanceTopology } from './conformance-topologies';
import { parityNotesShown } from './parity-cli';
import { coveringNote, uncovered } from './parity-coverage';
import { realise, type Realisation } from './realise-topology';
import { unrealised } from './realised-spec';
import { securityDepartures, type SecurityDeparture } from './security-departures';

interface Run extends Realisation {
  readonly differences: readonly Difference[];
  /** What `serving-stacks parity --json` prints for the topology. */
  readonly notes: readonly ParityNote[];
}

const runs = new Map<string, Promise<Run>>();

/** Each topology through both clouds once per file, shared by every test that needs it. */
function run(id: string): Promise<Run> {
  let pending = runs.get(id);
  if (!pending) {
    const { topology, parityArgs } = conformanceTopology(id);
    pending = (async () => {
      const r = await realise(topology);
      return { ...r, differences: compareFacts(topology, r.aws, r.gcp), notes: await parityNotesShown(parityArgs) };
    })();
    runs.set(id, pending);
  }
  return pending;
}

const describeDifference = (d: Difference) => `${d.path}: ${d.fact}: aws ${JSON.stringify(d.aws)}, gcp ${JSON.stringify(d.gcp)}`;
const describeDeparture = (d: SecurityDeparture) => `${d.path}: ${d.cloud} ${d.resource}: ${d.detail}`;

describe.each(CONFORMANCE_TOPOLOGIES.map((t) => t.id))('%s', (id) => {
  let r: Run;
  beforeAll(async () => {
    r = await run(id);
  });

  it('both clouds realise every endpoint, variant, queue, cache and vector store of the spec, and every resource is classified', () => {
    expect(unrealised(r.spec, r.aws)).toEqual([]);
    expect(unrealised(r.spec, r.gcp)).toEqual([]);
    expect(r.aws.unclassified).toEqual([]);
    expect(r.gcp.unclassified).toEqual([]);
  });

  it('every difference between the clouds is a parity note that serving-stacks parity shows', () => {
    expect(r.notes).toEqual(JSON.parse(JSON.stringify(r.resolved.parity)));
    expect(uncovered(r.differences, r.notes).map(describeDifference)).toEqual([]);
  });

  it('customer-managed keys on every resource that holds data, where the service allows one', () => {
    for (const facts of [r.aws, r.gcp]) expect(facts.dataAtRest.length).toBeGreaterThan(0);
    const departures = [...securityDepartures(r.aws), ...securityDepartures(r.gcp)].filter((d) => d.path === 'encryption');
    expect(uncovered(departures, r.notes).map(describeDeparture)).toEqual([]);
  });

  it('private networking everywhere: models in the VPC ⇔ Private Service Connect, no public network policy, index endpoint or database', () => {
    for (const facts of [r.aws, r.gcp]) expect(facts.reachability.some((x) => x.component.startsWith('endpoint:'))).toBe(true);
    const departures = [...securityDepartures(r.aws), ...securityDepartures(r.gcp)].filter((d) => d.path === 'network.private');
    expect(uncovered(departures, r.notes).map(describeDeparture)).toEqual([]);
  });

  it('every queue dead-letters after its delivery attempts into a destination that keeps the messages, on both clouds', () => {
    for (const facts of [r.aws, r.gcp]) {
      for (const [name, queue] of Object.entries(facts.queues)) {
        expect({ cloud: facts.cloud, name, attempts: queue.maxDeliveryAttempts, deadLetter: queue.deadLetter }).toEqual({
          cloud: facts.cloud,
          name,
          attempts: expect.any(Number),
          deadLetter: { retained: true, permitted: true },
        });
      }
    }
  });
  it('a pipeline is fed by its source queue alone, in order, reaches only its embedder and the vector store, and alarms at its SLO and on dead letters, on both clouds', () => {
    const p = r.spec.pipelines.embeddingRefresh;
    for (const facts of [r.aws, r.gcp]) {
      expect({ cloud: facts.cloud, pipelines: Object.keys(facts.pipelines) }).toEqual({ cloud: facts.cloud, pipelines: p ? ['embeddingRefresh'] : [] });
      if (!p) continue;
      const f = facts.pipelines.embeddingRefresh;
      const queue = r.spec.queues.find((q) => q.name === p.sourceQueue);
      expect({ cloud: facts.cloud, ...f, batchSize: undefined, messagesPerInstance: undefined }).toEqual({
        cloud: facts.cloud,
        triggers: [`queue:${p.sourceQueue}`],
        ordered: true,
        batchSize: undefined,
        messagesPerInstance: undefined,
        maxInstances: p.concurrency,
        timeoutSeconds: p.timeoutSeconds,
        memoryMiB: p.memoryMiB,
        maxDeliveryAttempts: queue?.maxDeliveryAttempts,
        grants: [`invoke endpoint:${p.embedder}`, 'write vectorStore'],
        alarms: { oldestMessageAgeSeconds: p.maxLatencySeconds, deadLetters: 0 },
      });
      // As many messages in flight per worker instance on both clouds; GCP's batches of one are a parity note (below).
      expect(f.messagesPerInstance).toBe(p.batchSize);
    }
  });
});

describe('the rule is not vacuous', () => {
  it('gcp-gaps.yaml: each setting Vertex cannot express shows up as a difference read from the outputs, and a parity note covers it', async () => {
    const r = await run('gcp-gaps.yaml');
    const expected: Difference[] = [
      { path: 'endpoints[0].mode', fact: 'batch-scorer: mode', aws: 'async', gcp: 'realtime' },
      {
        path: 'endpoints[0].scaling.target',
        fact: 'batch-scorer/primary: scaling targets per replica',
        aws: [{ metric: 'concurrency', value: 2 }],
        gcp: [{ metric: 'cpu', value: 60 }],
      },
      { path: 'endpoints[1].mode', fact: 'tagger: mode', aws: 'serverless', gcp: 'realtime' },
      { path: 'endpoints[2].compute.accelerator', fact: 'summarizer/primary: accelerator', aws: { type: 'a10g', count: 1 }, gcp: { type: 'l4', count: 1 } },
    ];
    for (const difference of expected) {
      expect(r.differences).toContainEqual(difference);
      expect(coveringNote(difference.path, r.notes)).toBeDefined();
    }
  });

  it('gpu-round-up.yaml: a cloud that runs more GPUs than asked shows up in its own output, and the note names that cloud', async () => {
    const r = await run('gpu-round-up.yaml');
    const rounded: [Difference, 'aws' | 'gcp'][] = [
      [{ path: 'endpoints[0].compute.accelerator', fact: 'generator/primary: accelerator', aws: { type: 'h100', count: 1 }, gcp: { type: 'h100', count: 8 } }, 'gcp'],
      [{ path: 'endpoints[1].compute.accelerator', fact: 'reranker/primary: accelerator', aws: { type: 'a100', count: 8 }, gcp: { type: 'a100', count: 1 } }, 'aws'],
      [{ path: 'endpoints[2].variants[0].compute.accelerator', fact: 'embedder/current: accelerator', aws: { type: 'l4', count: 4 }, gcp: { type: 'l4', count: 2 } }, 'aws'],
      [{ path: 'endpoints[2].variants[1].compute.accelerator', fact: 'embedder/candidate: accelerator', aws: { type: 'l4', count: 4 }, gcp: { type: 'l4', count: 2 } }, 'aws'],
    ];
    for (const [difference, cloud] of rounded) {
      expect(r.differences).toContainEqual(difference);
      expect(coveringNote(difference.path, r.notes)?.cloud).toBe(cloud);
    }
    expect(r.differences.filter((d) => d.path.startsWith('endpoints[3]'))).toEqual([]);
  });

  it('preset prod: every endpoint has the same replica bounds on both clouds, and they are the spec’s', async () => {
    const r = await run('preset prod');
    for (const e of r.spec.endpoints) {
      const expected = { min: e.scaling.min, max: e.scaling.max, initial: e.scaling.min };
      for (const facts of [r.aws, r.gcp]) {
        for (const variant of Object.values(facts.endpoints[e.name].variants)) expect(variant.replicas).toEqual(expected);
      }
    }
  });

  it('t4-three-variants.yaml: three weighted T4 variants and per-replica GPU and CPU targets are the spec’s on both clouds', async () => {
    const r = await run('t4-three-variants.yaml');
    for (const facts of [r.aws, r.gcp]) {
      const classifier = facts.endpoints.classifier.variants;
      expect(Object.fromEntries(Object.entries(classifier).map(([n, v]) => [n, [v.weight, v.accelerator, v.scalingTargets]]))).toEqual({
        stable: [70, { type: 't4', count: 1 }, [{ metric: 'gpu', value: 70 }]],
        distilled: [20, { type: 't4', count: 1 }, [{ metric: 'gpu', value: 70 }]],
        quantized: [10, { type: 't4', count: 1 }, [{ metric: 'gpu', value: 70 }]],
      });
      expect(facts.endpoints.scorer.variants.primary.scalingTargets).toEqual([{ metric: 'cpu', value: 65 }]);
      expect(facts.queues['review-jobs']).toEqual({ maxDeliveryAttempts: 100, deadLetter: { retained: true, permitted: true }, ackTimeoutSeconds: 10, retentionHours: 336 });
      expect(facts.featureCache).toEqual({ engine: 'valkey', deployment: 'nodes', replicas: 2, multiZone: true });
      expect(facts.vectorStore).toEqual({ engine: 'managed', dimensions: 384, metric: 'euclidean' });
    }
  });

  it('pgvector-redis.yaml: a single-zone Redis replica GCP cannot keep is a covered difference; the pgvector schema is in neither output', async () => {
    const r = await run('pgvector-redis.yaml');
    expect(r.differences).toContainEqual({ path: 'featureCache.replicas', fact: 'cache replicas per shard', aws: 1, gcp: 0 });
    expect(coveringNote('featureCache.replicas', r.notes)?.cloud).toBe('gcp');
    // Dimensions and metric live in the application's migrations on both clouds, so there is nothing to compare.
    expect([r.aws.vectorStore, r.gcp.vectorStore]).toEqual([{ engine: 'pgvector' }, { engine: 'pgvector' }]);
    expect(r.aws.endpoints.encoder.variants.primary.accelerator).toEqual({ type: 'l4', count: 4 });
  });

  it('existing-network.yaml: both clouds join the networks the spec names and create none', async () => {
    const r = await run('existing-network.yaml');
    const existing = r.spec.network.existing!;
    expect([r.aws.network, r.gcp.network]).toEqual([{ createdByStack: false }, { createdByStack: false }]);
    const models = Object.values(r.template.Resources).filter((x) => x.Type === 'AWS::SageMaker::Model');
    expect(models.map((m) => (m.Properties?.VpcConfig as { Subnets: unknown }).Subnets)).toEqual(models.map(() => existing.aws!.privateSubnetIds));
    const groups = Object.values(r.template.Resources).filter((x) => x.Type === 'AWS::EC2::SecurityGroup');
    expect(new Set(groups.map((g) => g.Properties?.VpcId))).toEqual(new Set([existing.aws!.vpcId]));
    const pscNetworks = r.plan
      .filter((p) => p.type === 'gcp:vertex/aiEndpoint:AiEndpoint')
      .flatMap((p) => (p.inputs.privateServiceConnectConfig as { pscAutomationConfigs: { network: string }[] }).pscAutomationConfigs.map((c) => c.network));
    expect(new Set(pscNetworks)).toEqual(new Set([existing.gcp!.network]));
  });
});

describe('pipelines', () => {
  it('pipeline-managed.yaml: batches of four on AWS are one message per push on GCP, with four requests per instance, and the note says so', async () => {
    const r = await run('pipeline-managed.yaml');
    expect([r.aws.pipelines.embeddingRefresh.batchSize, r.gcp.pipelines.embeddingRefresh.batchSize]).toEqual([4, 1]);
    expect(r.differences).toContainEqual({ path: 'pipelines.embeddingRefresh.batchSize', fact: 'embeddingRefresh: messages per invocation', aws: 4, gcp: 1 });
    expect(coveringNote('pipelines.embeddingRefresh.batchSize', r.notes)?.cloud).toBe('gcp');
  });

  it('pipeline-pgvector.yaml: with batches of one, the clouds do not differ on the pipeline at all, and no note is needed', async () => {
    const r = await run('pipeline-pgvector.yaml');
    expect(r.differences.filter((d) => d.path.startsWith('pipelines') || d.fact.startsWith('pipelines'))).toEqual([]);
    expect(r.notes.filter((n) => n.path.startsWith('pipelines'))).toEqual([]);
    expect(r.aws.pipelines.embeddingRefresh.grants).toEqual(['invoke endpoint:embedder', 'write vectorStore']);
  });
});

/** Expectations stronger than the rule: here a parity note would not do, because both clouds can express the spec. */
describe('probes', () => {
  it('right-sized-variants.yaml: each variant scales at the spec’s CPU target of its own replica on both clouds', async () => {
    const r = await run('right-sized-variants.yaml');
    for (const facts of [r.aws, r.gcp]) {
      for (const [name, variant] of Object.entries(facts.endpoints.quoter.variants)) {
        expect({ cloud: facts.cloud, variant: name, targets: variant.scalingTargets }).toEqual({ cloud: facts.cloud, variant: name, targets: [{ metric: 'cpu', value: 65 }] });
      }
    }
  });
});
