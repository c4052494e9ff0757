import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { serviceAgentMember } from '../../gcp/private/service-agents';
import { isStatefulKind, STATEFUL_KINDS, statefulOptions } from '../../gcp/private/stateful-options';
import { gcpRegionFor, servingKeyIds } from '../../gcp/serving-topology';

describe('statefulOptions (mocks never see options, so the decision is tested here)', () => {
  it('protects and retains every stateful kind when the topology retains data (prod)', () => {
    for (const kind of STATEFUL_KINDS) expect(statefulOptions(kind, true)).toEqual({ protect: true, retainOnDelete: true });
  });

  it('leaves them deletable when it does not (dev, staging)', () => {
    for (const kind of STATEFUL_KINDS) expect(statefulOptions(kind, false)).toEqual({});
  });

  it('never protects stateless resources', () => {
    expect(statefulOptions('stateless', true)).toEqual({});
  });

  it('covers the cache, index, keys, topics, dead letters and datasets, and follows the resolved topology', () => {
    for (const kind of ['cache', 'vector-index', 'kms-key-ring', 'kms-key', 'topic', 'dead-letter-topic', 'dead-letter-subscription', 'dataset']) {
      expect(isStatefulKind(kind)).toBe(true);
    }
    expect(isStatefulKind('endpoint')).toBe(false);
    expect(resolveTopology(preset('prod')).retainData).toBe(true);
    expect(resolveTopology(preset('staging')).retainData).toBe(false);
  });
});

describe('service agents', () => {
  it('are named as Google documents them', () => {
    expect(serviceAgentMember('pubsub', '42')).toBe('serviceAccount:service-42@gcp-sa-pubsub.iam.gserviceaccount.com');
    expect(serviceAgentMember('bigquery', '42')).toBe('serviceAccount:bq-42@bigquery-encryption.iam.gserviceaccount.com');
  });
});

describe('gcpRegionFor', () => {
  const resolved = resolveTopology(preset('prod'));

  it('takes the topology region, and accepts gcp:region when it repeats it', () => {
    expect(gcpRegionFor(resolved)).toBe('us-central1');
    expect(gcpRegionFor(resolved, 'us-central1')).toBe('us-central1');
  });

  it('fails when gcp:region contradicts the topology, naming both and the fix', () => {
    expect(() => gcpRegionFor(resolved, 'europe-west4')).toThrow(
      'gcp:region is "europe-west4" but topology news/prod deploys to regions.gcp "us-central1"; change regions.gcp in the topology file (or drop gcp:region from the stack config)',
    );
  });
});

describe('servingKeyIds', () => {
  it('gives each component its own key and names the agents that encrypt with it', () => {
    expect(servingKeyIds(resolveTopology(preset('dev')))).toEqual([
      { id: 'endpoint-ranker', agents: ['vertex'] },
      { id: 'endpoint-embedder', agents: ['vertex'] },
      { id: 'endpoint-reranker', agents: ['vertex'] },
      { id: 'cache', agents: ['memorystore'] },
      { id: 'vectors', agents: ['vertex'] },
      { id: 'queue-embedding-refresh', agents: ['pubsub'] },
      { id: 'queue-async-inference', agents: ['pubsub'] },
      { id: 'monitoring', agents: ['pubsub'] },
      { id: 'pipeline-embedding-refresh', agents: ['storage'] },
    ]);
  });
});
