/**
 * The S3 gateway endpoint reaches only the buckets serving uses: model artifacts (read) and the
 * endpoints' data buckets (read and write). Another bucket, or a write to an artifact bucket, is
 * refused by the endpoint policy, whatever the caller's own permissions.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { newServingApp, ServingStack, servingStackId } from '../../aws';
import { parseS3Uri } from '../../aws/private/s3-location';
import { evaluate, resolveIntrinsics } from './policy-evaluation';
import { resolvedTopology, type EnvironmentName } from './support';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const ACCOUNT = '111122223333';

function gatewayPolicy(env: EnvironmentName) {
  const topology = resolvedTopology(env);
  const app = newServingApp({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const raw = Template.fromStack(new ServingStack(app, servingStackId(topology), { topology })).toJSON().Resources as Resources;
  // Buckets stand in by their logical ids: `Fn::GetAtt [DataBucket, Arn]` is arn:aws:s3:::<logical id>.
  const resources = resolveIntrinsics(raw, { account: ACCOUNT, region: topology.regions.aws, ref: (id) => id, getAtt: (id) => `arn:aws:s3:::${id}` });
  const [endpoint] = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && String(r.Properties.ServiceName).endsWith('.s3'));
  const artifactBuckets = [...new Set(topology.endpoints.flatMap((e) => e.variants.map((v) => parseS3Uri(v.model.artifact!.aws!).bucket)))];
  const dataBuckets = Object.entries(raw)
    .filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && id.includes('DataBucket'))
    .map(([id]) => id);
  return { policy: endpoint.Properties.PolicyDocument as Parameters<typeof evaluate>[0], artifactBuckets, dataBuckets };
}

const request = (action: string, resource: string) => ({ principal: { aws: `arn:aws:iam::${ACCOUNT}:role/any` }, action, resource, context: {} });

describe('S3 gateway endpoint policy', () => {
  it.each(['prod', 'dev'] as EnvironmentName[])('%s: model artifacts are readable, data buckets readable and writable, nothing else', (env) => {
    const { policy, artifactBuckets, dataBuckets } = gatewayPolicy(env);
    expect(policy).toBeDefined();
    expect(artifactBuckets.length).toBeGreaterThan(0);
    for (const bucket of artifactBuckets) {
      expect(evaluate(policy, request('s3:GetObject', `arn:aws:s3:::${bucket}/ranker/1/model.tar.gz`))).toBe('allow');
      expect(evaluate(policy, request('s3:PutObject', `arn:aws:s3:::${bucket}/ranker/1/model.tar.gz`))).not.toBe('allow');
    }
    for (const bucket of dataBuckets) {
      expect(evaluate(policy, request('s3:PutObject', `arn:aws:s3:::${bucket}/data-capture/x.jsonl`))).toBe('allow');
      expect(evaluate(policy, request('s3:GetObject', `arn:aws:s3:::${bucket}/async-input/x.json`))).toBe('allow');
    }
    expect(evaluate(policy, request('s3:GetObject', 'arn:aws:s3:::someone-elses-bucket/secret'))).not.toBe('allow');
    expect(evaluate(policy, request('s3:PutObject', 'arn:aws:s3:::exfiltration-bucket/dump'))).not.toBe('allow');
  });

  it('prod has data buckets to allow (the case is exercised)', () => {
    expect(gatewayPolicy('prod').dataBuckets.length).toBeGreaterThan(0);
  });
});
