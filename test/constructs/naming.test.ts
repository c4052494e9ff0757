import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_NAMING, bigQueryDatasetId, fitName, gcpEndpointNames, GCP_NAMING, namingProblem, vertexEndpointId } from '../../constructs';

describe('naming rules', () => {
  it('keeps short names as written', () => {
    expect(fitName(['news', 'prod', 'ranker'], AWS_NAMING.sagemakerEndpoint)).toBe('news-prod-ranker');
  });

  it('fits long names with a stable hash, distinct for distinct inputs', () => {
    const a = fitName(['news', 'staging', 'embedding-refresh'], GCP_NAMING.serviceAccountId);
    const b = fitName(['news', 'staging', 'embedding-rebuild'], GCP_NAMING.serviceAccountId);
    expect(a).toHaveLength(30);
    expect(a).toBe(fitName(['news', 'staging', 'embedding-refresh'], GCP_NAMING.serviceAccountId));
    expect(a).not.toBe(b);
    expect(namingProblem(a, GCP_NAMING.serviceAccountId)).toBeUndefined();
  });

  it('says what is wrong with a name and what is allowed', () => {
    expect(namingProblem('Bad_Name', AWS_NAMING.opensearchCollection)).toBe(
      '"Bad_Name" is not a valid OpenSearch Serverless collection or policy name: lowercase letters, digits and hyphens, starting with a letter, 3 to 32 characters (8 characters)',
    );
    expect(namingProblem('goog-topic', GCP_NAMING.pubsubName)).toContain('not starting with "goog"');
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

describe('GCP names', () => {
  it('fits service-account ids into 6–30 lowercase characters', () => {
    expect(gcpEndpointNames('news', 'prod', 'ranker').serviceAccountId).toBe('news-prod-ep-ranker');
    const long = gcpEndpointNames('newsroom-ranking', 'staging', 'embedding-refresh').serviceAccountId;
    expect(long.length).toBeLessThanOrEqual(30);
    expect(namingProblem(long, GCP_NAMING.serviceAccountId)).toBeUndefined();
  });

  it('makes BigQuery dataset ids of letters, digits and underscores', () => {
    expect(bigQueryDatasetId(['news', 'prod', 'ranker', 'predictions'])).toBe('news_prod_ranker_predictions');
    expect(namingProblem('news-prod', GCP_NAMING.bigQueryDataset)).toBeDefined();
  });
});
