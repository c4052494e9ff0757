import { describe, expect, it } from 'vitest';
import { AWS_NAMING, fitName, GCP_NAMING, namingProblem } from '../../constructs';

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
