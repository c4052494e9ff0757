/**
 * URNs are state: a resource whose name, type or parent changed is, to Pulumi, a new resource,
 * and `pulumi up` replaces it unless an alias names its former URN. Every URN a stack of
 * 7208bb5 (the last layout before gcp/ was reorganised; test/gcp/fixtures/urns-at-7208bb5.json,
 * from `planGcp` on that commit) holds must still be a resource's URN or one of its aliases, on
 * a resource of the same type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTopologyFile, preset, resolveTopology, type Topology } from '../../constructs';
import { planGcp, type PlannedResource } from '../../gcp/plan';

const HISTORY = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'urns-at-7208bb5.json'), 'utf8')) as Record<string, string[]>;

function topologyOf(id: string): { topology: Topology; createConnectionPolicies: boolean } {
  const createConnectionPolicies = id.endsWith(' createConnectionPolicies');
  const source = id.replace(/ createConnectionPolicies$/, '');
  const topology = source.startsWith('preset ') ? preset(source.slice('preset '.length) as 'dev') : loadTopologyFile(join('test', 'fixtures', source));
  return { topology, createConnectionPolicies };
}

const typeOf = (urn: string) => {
  const qualified = urn.split('::')[2];
  return qualified.slice(qualified.lastIndexOf('$') + 1);
};

/** The former URNs no resource answers for, with what claims them. */
function unanswered(former: readonly string[], plan: readonly PlannedResource[]): string[] {
  const current = new Set(plan.map((r) => r.urn));
  const claimedBy = new Map<string, PlannedResource>();
  for (const r of plan) for (const alias of r.aliases) claimedBy.set(alias, r);
  return former.filter((urn) => !current.has(urn) && claimedBy.get(urn)?.type !== typeOf(urn));
}

describe.each(Object.keys(HISTORY))('%s', (id) => {
  it('keeps every URN of 7208bb5, or aliases it from a resource of the same type', async () => {
    const { topology, createConnectionPolicies } = topologyOf(id);
    const plan = await planGcp(resolveTopology(topology), { createConnectionPolicies });
    expect(unanswered(HISTORY[id], plan)).toEqual([]);
    // An alias that is also a live URN would make two resources one.
    const live = new Set(plan.map((r) => r.urn));
    expect(plan.flatMap((r) => r.aliases.filter((alias) => live.has(alias)))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds a former URN that nothing answers for, or that a resource of another type claims', async () => {
    const plan = await planGcp(resolveTopology(preset('dev')));
    const index = plan.find((r) => r.type === 'gcp:vertex/aiIndex:AiIndex')!;
    const former = index.aliases[0];
    expect(unanswered([former], plan)).toEqual([]);
    expect(unanswered([former], plan.map((r) => (r === index ? { ...r, aliases: [] } : r)))).toEqual([former]);
    expect(unanswered([former], plan.map((r) => (r === index ? { ...r, type: 'gcp:vertex/aiIndexEndpoint:AiIndexEndpoint' } : r)))).toEqual([former]);
  });
});
