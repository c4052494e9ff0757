/**
 * A non-production stack can be deleted: CloudFormation cannot delete a bucket that still holds
 * objects (or, versioned, old versions and delete markers), so every bucket deleted with the stack
 * is emptied first by CDK's auto-delete custom resource. Production retains its buckets and data.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { newServingApp, ServingStack, servingStackId } from '../../aws';
import { ENVIRONMENTS, resolvedTopology, type EnvironmentName } from './support';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

function resources(env: EnvironmentName): Resources {
  const topology = resolvedTopology(env);
  const app = newServingApp({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  return Template.fromStack(new ServingStack(app, servingStackId(topology), { topology })).toJSON().Resources as Resources;
}

describe('stack deletion', () => {
  it.each(ENVIRONMENTS)('%s: every bucket deleted with the stack is emptied first; retained buckets keep their objects', (env) => {
    const all = resources(env);
    const emptied = new Set(
      Object.values(all)
        .filter((r) => r.Type === 'Custom::S3AutoDeleteObjects')
        .map((r) => (r.Properties!.BucketName as { Ref: string }).Ref),
    );
    const buckets = Object.entries(all).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    for (const [id, bucket] of buckets) {
      if (bucket.DeletionPolicy === 'Delete') expect(emptied.has(id), `${id} is deleted with the stack`).toBe(true);
      else expect(emptied.has(id), `${id} is retained`).toBe(false);
    }
    expect(emptied.size).toBe(buckets.filter(([, b]) => b.DeletionPolicy === 'Delete').length);
  });

  it('the environments cover both cases: staging buckets are deleted, production buckets retained', () => {
    const policies = (env: EnvironmentName) => Object.values(resources(env)).filter((r) => r.Type === 'AWS::S3::Bucket').map((r) => `${r.DeletionPolicy}/${r.UpdateReplacePolicy}`);
    expect(new Set(policies('gcp-gaps.yaml'))).toEqual(new Set(['Delete/Delete']));
    expect(policies('gcp-gaps.yaml').length).toBeGreaterThan(0);
    expect(new Set(policies('prod'))).toEqual(new Set(['Retain/Retain']));
  });
});
