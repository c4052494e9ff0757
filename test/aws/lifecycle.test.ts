/**
 * The lifecycle suite: for every preset and fixture, each day-two change (`DAY_TWO_CHANGES`) runs
 * through `check-update`, and the outcome is pinned: it deploys, or it is rejected (with a remedy),
 * or it replaces a resource holding data (with a remedy). Each topology is synthesized once and each
 * changed topology once, as `cdk synth` would (policy packs included).
 *
 * A change that replaces a resource holding data deploys, but the new resource starts empty: that is
 * exit 1 with a remedy, never a silent success (new vector index, new collection, new cache).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { servingStackId, synthesizeServingTemplates } from '../../aws';
import { checkUpdate, type CfnTemplate, type UpdateReport } from '../../aws/check-update';
import { parseTopology, resolveTopology, type TopologyInput } from '../../constructs';
import { DAY_TWO_CHANGES } from './day-two-changes';
import { BASES, type Base } from './topology-bases';

/** What check-update says: deploys, or which resource types it rejects and which data-holding types it replaces (AWS:: left off). */
type Outcome = 'deploys' | 'not applicable' | { readonly rejects: readonly string[]; readonly replacesData?: readonly string[] };

/** A new mapping is a new index named after it: deploys, starting empty (backfill, then move readers). */
const NEW_INDEX: Outcome = { rejects: [], replacesData: ['Custom::VectorIndex'] };
/** A new collection (standby replicas are create-only), and with it a new index. */
const NEW_COLLECTION: Outcome = { rejects: [], replacesData: ['Custom::VectorIndex', 'OpenSearchServerless::Collection'] };
const NO_AB_ENDPOINT = ['dev', 'staging', 'gcp-gaps.yaml', 'existing-network.yaml', 'pgvector-redis.yaml'] as const;

/** Expected outcome per change: a default, and the bases that differ. */
const EXPECTED: Record<string, { readonly default: Outcome } & Partial<Record<Base, Outcome>>> = {
  'instance-type': { default: 'deploys', 'pgvector-redis.yaml': 'not applicable' },
  'add-variant': { default: 'deploys' },
  'remove-variant': { default: 'deploys', ...outcomeFor(NO_AB_ENDPOINT, 'not applicable') },
  'rename-variant': { default: 'deploys' },
  weights: { default: 'deploys', ...outcomeFor(NO_AB_ENDPOINT, 'not applicable') },
  // The topology's tags stay off the collection (its Tags are create-only).
  tags: { default: 'deploys' },
  // A serverless cache replicates across zones anyway; in an existing VPC a new zone's subnet is a
  // create-only SubnetIds change: a new cache under a new name, starting empty.
  'cache-zones': {
    default: 'deploys',
    'existing-network.yaml': { rejects: [], replacesData: ['ElastiCache::ServerlessCache'] },
    ...outcomeFor(['prod', 'right-sized-variants.yaml', 't4-three-variants.yaml'], 'not applicable'),
  },
  // OpenSearch cannot change an existing field's mapping; pgvector's table is the application's.
  'vector-dimensions': { default: NEW_INDEX, ...outcomeFor(['gcp-gaps.yaml', 'pgvector-redis.yaml'], 'deploys'), 'right-sized-variants.yaml': 'not applicable' },
  hnsw: { default: NEW_INDEX, ...outcomeFor(['gcp-gaps.yaml', 'pgvector-redis.yaml'], 'deploys'), 'right-sized-variants.yaml': 'not applicable' },
  'async-realtime': { default: 'deploys' },
  'scaling-bounds': { default: 'deploys' },
  // The model moves from a variant endpoint to an inference component on a new pool endpoint (a new
  // name): the new endpoint is created, then the old one deleted; nothing holding data is replaced.
  'scale-to-zero': {
    default: 'deploys',
    ...outcomeFor(['prod', 'gcp-gaps.yaml', 'right-sized-variants.yaml', 't4-three-variants.yaml'], 'not applicable'),
  },
  // Production spreads over three zones (the serverless cache's subnets: a new cache) and turns
  // standby replicas on (a new collection); node-based Redis reshards (NumNodeGroups may replace it
  // under its fixed id: rejected, conservatively).
  'production-flip': {
    default: { rejects: [], replacesData: ['Custom::VectorIndex', 'ElastiCache::ServerlessCache', 'OpenSearchServerless::Collection'] },
    'gcp-gaps.yaml': 'deploys',
    'pgvector-redis.yaml': { rejects: ['ElastiCache::ReplicationGroup'] },
    't4-three-variants.yaml': NEW_COLLECTION,
    'existing-network.yaml': 'deploys',
    'right-sized-variants.yaml': 'deploys',
  },
};

function outcomeFor(bases: readonly Base[], outcome: Outcome): Partial<Record<Base, Outcome>> {
  return Object.fromEntries(bases.map((b) => [b, outcome]));
}

function outcomeOf(report: UpdateReport): Outcome {
  const types = (keep: (c: UpdateReport['changes'][number]) => boolean) => [...new Set(report.changes.filter(keep).map((c) => c.type.replace(/^AWS::/, '')))].sort();
  const rejects = types((c) => c.action === 'rejected');
  const replacesData = types((c) => c.action === 'replace' && c.holdsData);
  if (rejects.length === 0 && replacesData.length === 0) return 'deploys';
  return replacesData.length > 0 ? { rejects, replacesData } : { rejects };
}

function synthesize(topology: TopologyInput): CfnTemplate {
  const resolved = resolveTopology(parseTopology(topology));
  return synthesizeServingTemplates(resolved)[servingStackId(resolved)] as CfnTemplate;
}

interface Run {
  readonly base: Base;
  readonly change: string;
  /** Undefined when the change does not apply to the base. */
  readonly report?: UpdateReport;
  readonly changed?: TopologyInput;
}

const runs: Run[] = [];

beforeAll(() => {
  for (const [base, input] of Object.entries(BASES) as [Base, () => TopologyInput][]) {
    const before = synthesize(input());
    for (const change of DAY_TWO_CHANGES) {
      const changed = structuredClone(input());
      runs.push(change.apply(changed) ? { base, change: change.id, report: checkUpdate(before, synthesize(changed)), changed } : { base, change: change.id });
    }
  }
}, 240_000);

const runOf = (base: Base, change: string) => runs.find((r) => r.base === base && r.change === change)!;

describe('lifecycle: day-two changes through check-update', () => {
  it('covers every change and every base, and pins an outcome for each pair', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(DAY_TWO_CHANGES.map((c) => c.id).sort());
    expect(runs).toHaveLength(Object.keys(BASES).length * DAY_TWO_CHANGES.length);
  });

  describe.each(DAY_TWO_CHANGES.map((c) => [c.id, c.description]))('%s (%s)', (change) => {
    it.each(Object.keys(BASES) as Base[])('%s', (base) => {
      const run = runOf(base, change);
      const expected = EXPECTED[change][base] ?? EXPECTED[change].default;
      expect(run.report ? outcomeOf(run.report) : 'not applicable').toEqual(expected);
      if (run.report) {
        expect(run.report.deployable).toBe(expected === 'deploys');
        // Whatever does not deploy cleanly says what to do instead.
        for (const c of run.report.changes.filter((x) => x.action === 'rejected' || (x.action === 'replace' && x.holdsData))) {
          expect(c.remedy, `${c.logicalId}: ${c.reason}`).toMatch(/\S{10}/);
        }
      }
    });
  });
});

describe('lifecycle: how the endpoint changes deploy', () => {
  const endpointChanges = (run: Run) => run.report!.changes.filter((c) => c.type === 'AWS::SageMaker::Endpoint');

  it('right-sizing updates the endpoint in place behind its scaling release, and registers the variant again', () => {
    for (const base of ['dev', 'prod', 't4-three-variants.yaml'] as const) {
      const changes = runOf(base, 'instance-type').report!.changes;
      const endpoint = changes.find((c) => c.type === 'AWS::SageMaker::Endpoint' && c.action !== 'add' && c.action !== 'remove')!;
      expect(endpoint.action, base).toBe('update');
      const prefix = endpoint.logicalId.replace(/[0-9A-F]{8}$/, '');
      expect(changes.filter((c) => c.logicalId.startsWith(prefix)).map((c) => `${c.action} ${c.type}`)).toEqual(
        expect.arrayContaining([
          'update Custom::SageMakerScalingRelease',
          'add AWS::ApplicationAutoScaling::ScalableTarget',
          'remove AWS::ApplicationAutoScaling::ScalableTarget',
        ]),
      );
      expect(changes.find((c) => c.action === 'remove' && c.type === 'AWS::ApplicationAutoScaling::ScalableTarget')!.reason).toContain('DeletionPolicy Retain');
    }
  });

  it.each(['add-variant', 'remove-variant', 'rename-variant', 'async-realtime'])('%s creates the endpoint under a new name, then deletes the old one', (change) => {
    for (const run of runs.filter((r) => r.change === change && r.report)) {
      const replaced = endpointChanges(run).filter((c) => c.action === 'replace');
      expect(replaced, `${run.base}`).toHaveLength(1);
      expect(replaced[0].reason).toMatch(/^EndpointName /);
    }
  });

  it('scale-to-zero moves the model to an inference component on a new endpoint, then deletes the variant endpoint', () => {
    const applied = runs.filter((r) => r.change === 'scale-to-zero' && r.report);
    expect(applied.length).toBeGreaterThan(0);
    for (const run of applied) {
      const actions = run.report!.changes.map((c) => `${c.action} ${c.type}`);
      expect(actions, run.base).toEqual(
        expect.arrayContaining([
          'add AWS::SageMaker::InferenceComponent',
          'add AWS::SageMaker::Endpoint',
          'remove AWS::SageMaker::Endpoint',
          'add AWS::ApplicationAutoScaling::ScalableTarget',
        ]),
      );
    }
  });

  it.each(['weights', 'scaling-bounds', 'instance-type'])('%s keeps every endpoint name', (change) => {
    for (const run of runs.filter((r) => r.change === change && r.report)) {
      expect(endpointChanges(run).every((c) => c.action === 'update'), run.base).toBe(true);
    }
  });
});
