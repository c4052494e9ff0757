import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GCP_NAMING, namingProblem, preset, resolveTopology } from '../../constructs';
import { bigQueryDatasetId, serviceAccountId, serviceAgentMember, vertexEndpointId } from '../../gcp/gcp-names';
import { gcpRegionFor, servingKeyIds } from '../../gcp/serving-topology';
import { isStatefulKind, STATEFUL_KINDS, statefulOptions } from '../../gcp/stateful-options';

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

describe('vertexEndpointId (CreateEndpointRequest.endpoint_id)', () => {
  // The rule as the API states it, read from the proto that ships in @google-cloud/aiplatform.
  const proto = readFileSync(require.resolve('@google-cloud/aiplatform/build/protos/google/cloud/aiplatform/v1/endpoint_service.proto'), 'utf8');
  const comment = proto.slice(proto.indexOf('message CreateEndpointRequest'), proto.indexOf('string endpoint_id = 4')).replace(/\s*\/\/\s*/g, ' ');

  it('follows the proto: a number of at most 9 digits with no leading zero, or a letter-first id of [a-z0-9-] up to 63', () => {
    expect(comment).toContain('If the first character is a number, this value may be up to 9 characters, and valid characters are `[0-9]` with no leading zeros.');
    expect(comment).toContain('If the first character is a letter, this value may be up to 63 characters, and valid characters are `[a-z0-9-]`. The last character must be a letter or number.');
    const rule = GCP_NAMING.vertexEndpointId;
    for (const ok of ['1', '123456789', 'a', 'news-prod-ranker', `a${'b'.repeat(62)}`]) expect(namingProblem(ok, rule)).toBeUndefined();
    for (const bad of ['1234567890', '0123', '12a', 'news-', 'News', `a${'b'.repeat(63)}`]) expect(namingProblem(bad, rule)).toBeDefined();
  });

  it('is nine digits, never starting with 0, and stable', () => {
    for (let i = 0; i < 500; i++) {
      const id = vertexEndpointId('news-serving-prod', 'us-central1', `endpoint-${i}`);
      expect(id).toMatch(/^[1-9]\d{8}$/);
    }
    expect(vertexEndpointId('p-123456', 'us-central1', 'news-prod-ranker')).toBe(vertexEndpointId('p-123456', 'us-central1', 'news-prod-ranker'));
  });

  it('differs between endpoints, projects and regions', () => {
    const ids = new Set([
      vertexEndpointId('p-123456', 'us-central1', 'news-prod-ranker'),
      vertexEndpointId('p-123456', 'us-central1', 'news-prod-embedder'),
      vertexEndpointId('p-654321', 'us-central1', 'news-prod-ranker'),
      vertexEndpointId('p-123456', 'europe-west4', 'news-prod-ranker'),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('names', () => {
  it('fits service-account ids into 6–30 lowercase characters', () => {
    expect(serviceAccountId(['news', 'prod', 'ranker'])).toBe('news-prod-ranker');
    const long = serviceAccountId(['newsroom-ranking', 'staging', 'embedding-refresh']);
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long).toMatch(/^[a-z](?:[a-z0-9-]*[a-z0-9])$/);
  });

  it('makes BigQuery dataset ids of letters, digits and underscores', () => {
    expect(bigQueryDatasetId(['news', 'prod', 'ranker', 'predictions'])).toBe('news_prod_ranker_predictions');
  });

  it('names service agents as Google documents them', () => {
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
    ]);
  });
});
