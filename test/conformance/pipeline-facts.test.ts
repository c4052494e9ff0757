/**
 * Positive controls for the pipeline's facts: change the worker, its trigger, its grants or its
 * alarms in one cloud's output (a copy of pipeline-managed.yaml's template or plan) and the
 * comparison must report exactly that at its spec path; break its encryption or its egress and it
 * must be a departure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsFacts } from './aws-facts';
import { at, planWith, templateWith, type Mutable } from './changed-output';
import { compareFacts, type Difference } from './compare-facts';
import { conformanceTopology } from './conformance-topologies';
import { gcpFacts } from './gcp-facts';
import { coveringNote } from './parity-coverage';
import { realise, type Realisation } from './realise-topology';
import { unrealised } from './realised-spec';
import { securityDepartures } from './security-departures';
import type { ServingFacts } from './serving-facts';

let r: Realisation;
let baseline: string[];

beforeAll(async () => {
  r = await realise(conformanceTopology('pipeline-managed.yaml').topology);
  baseline = compareFacts(r.spec, r.aws, r.gcp).map((d) => JSON.stringify(d));
});

const awsWith = (path: string, change: Parameters<typeof templateWith>[2]): ServingFacts => awsFacts(templateWith(r, path, change), r.scope);
const gcpWith = (name: string, change: (inputs: Mutable) => void): ServingFacts => gcpFacts(planWith(r, name, change), r.scope);

/** Differences the change introduced. */
function newDifferences(aws: ServingFacts, gcp: ServingFacts): Difference[] {
  return compareFacts(r.spec, aws, gcp).filter((d) => !baseline.includes(JSON.stringify(d)));
}

const pipeline = 'pipelines.embeddingRefresh';

describe('the baseline', () => {
  it('differs in batch size only, and the batch-size note covers it', () => {
    const differences = compareFacts(r.spec, r.aws, r.gcp).filter((d) => d.path.startsWith(pipeline) || d.fact.startsWith(pipeline));
    expect(differences).toEqual([{ path: `${pipeline}.batchSize`, fact: 'embeddingRefresh: messages per invocation', aws: 4, gcp: 1 }]);
    expect(coveringNote(differences[0].path, r.resolved.parity)?.cloud).toBe('gcp');
  });
});

describe('a changed pipeline fact is reported at its spec path', () => {
  it('instances at most: reserved concurrency, the mapping’s maximum concurrency, max instances', () => {
    const expected = (aws: number, gcp: number) => [{ path: `${pipeline}.concurrency`, fact: 'embeddingRefresh: worker instances at most', aws, gcp }];
    expect(newDifferences(awsWith('EmbeddingRefreshFunction', (p) => (p.ReservedConcurrentExecutions = 2)), r.gcp)).toEqual(expected(2, 3));
    expect(newDifferences(awsWith('EmbeddingRefreshSource', (p) => (at(p, 'ScalingConfig').MaximumConcurrency = 2)), r.gcp)).toEqual(expected(2, 3));
    expect(newDifferences(r.aws, gcpWith('wire-embedding-refresh-function', (i) => (at(i, 'serviceConfig').maxInstanceCount = 7)))).toEqual(expected(3, 7));
  });

  it('messages per instance: the mapping’s batch size ⇔ requests per function instance', () => {
    const gcp = gcpWith('wire-embedding-refresh-function', (i) => (at(i, 'serviceConfig').maxInstanceRequestConcurrency = 1));
    expect(newDifferences(r.aws, gcp)).toEqual([{ path: `${pipeline}.batchSize`, fact: 'embeddingRefresh: messages per worker instance at once', aws: 4, gcp: 1 }]);
  });

  it('timeout and memory', () => {
    expect(newDifferences(awsWith('EmbeddingRefreshFunction', (p) => (p.Timeout = 30)), r.gcp)).toEqual([
      { path: `${pipeline}.timeoutSeconds`, fact: 'embeddingRefresh: timeout (s)', aws: 30, gcp: 25 },
    ]);
    expect(newDifferences(r.aws, gcpWith('wire-embedding-refresh-function', (i) => (at(i, 'serviceConfig').availableMemory = '1G')))).toEqual([
      { path: `${pipeline}.memoryMiB`, fact: 'embeddingRefresh: memory (MiB)', aws: 1024, gcp: 953.67 },
    ]);
  });

  it('ordering: a standard queue ⇔ a subscription without message ordering', () => {
    const expected = (aws: boolean, gcp: boolean) => [{ path: `${pipeline}.sourceQueue`, fact: 'embeddingRefresh: one message per key at a time, in order', aws, gcp }];
    expect(newDifferences(r.aws, gcpWith('wire-article-updates-sub', (i) => delete i.enableMessageOrdering))).toEqual(expected(true, false));
    expect(newDifferences(awsWith('ArticleUpdatesQueue', (p) => delete p.FifoQueue), r.gcp)).toEqual(expected(false, true));
  });

  it('triggers: a second queue mapped to the function, a service allowed to invoke it, a push from another subscription', () => {
    const secondQueue = awsWith('EmbeddingRefreshSource', (p, template) => {
      template.Resources.TaggingSource = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { ...p, EventSourceArn: { 'Fn::GetAtt': [tagging(template), 'Arn'] } } };
    });
    expect(newDifferences(secondQueue, r.gcp).map((d) => [d.path, d.aws])).toContainEqual([`${pipeline}.sourceQueue`, ['queue:article-updates', 'queue:tagging']]);
    const s3 = awsWith('EmbeddingRefreshFunction', (_, template) => {
      template.Resources.S3Invoke = { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { Ref: functionId(template) }, Principal: 's3.amazonaws.com', Action: 'lambda:InvokeFunction' } };
    });
    expect(newDifferences(s3, r.gcp)).toEqual([
      { path: `${pipeline}.sourceQueue`, fact: 'embeddingRefresh: what invokes the worker', aws: ['principal s3.amazonaws.com', 'queue:article-updates'], gcp: ['queue:article-updates'] },
    ]);
    const push = gcpWith('wire-tagging-sub', (i) => (i.pushConfig = structuredClone(r.plan.find((x) => x.name === 'wire-article-updates-sub')?.inputs.pushConfig)));
    expect(push.pipelines.embeddingRefresh.triggers).toEqual(['queue:article-updates', 'queue:tagging']);
  });

  it('delivery attempts: the source queue’s redrive ⇔ the push subscription’s dead-letter policy', () => {
    const aws = awsWith('ArticleUpdatesQueue', (p) => (at(p, 'RedrivePolicy').maxReceiveCount = 9));
    expect(newDifferences(aws, r.gcp)).toContainEqual({ path: 'queues[0].maxDeliveryAttempts', fact: 'embeddingRefresh: deliveries to the worker before dead-lettering', aws: 9, gcp: 8 });
  });

  it('least privilege: the worker may invoke another endpoint, or holds a role beyond its own', () => {
    const anotherEndpoint = awsWith('EmbeddingRefreshPolicy', (p, template) => {
      const tagger = Object.keys(template.Resources).find((id) => /^TaggerEndpoint[0-9A-F]{8}$/.test(id));
      (at(p, 'PolicyDocument').Statement as unknown[]).push({ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: { 'Fn::GetAtt': [tagger, 'EndpointArn'] } });
    });
    expect(newDifferences(anotherEndpoint, r.gcp)).toEqual([
      {
        path: pipeline,
        fact: "embeddingRefresh: what the worker's identity may reach",
        aws: ['invoke endpoint:encoder', 'invoke endpoint:tagger', 'write vectorStore'],
        gcp: ['invoke endpoint:encoder', 'write vectorStore'],
      },
    ]);
    const worker = r.plan.find((x) => x.name === 'wire-embedding-refresh-index-writer-member');
    const broad = gcpFacts([...r.plan, { ...worker!, name: 'broad', urn: 'urn:broad', inputs: { ...worker!.inputs, role: 'roles/aiplatform.user' } }], r.scope);
    expect(broad.pipelines.embeddingRefresh.grants).toEqual([
      'invoke endpoint:encoder',
      'roles/aiplatform.user on gcp:projects/iAMMember:IAMMember broad',
      'write vectorStore',
    ]);
    const deleter = gcpWith('wire-embedding-refresh-index-writer', (i) => (i.permissions = [...(i.permissions as string[]), 'aiplatform.indexes.delete']));
    expect(deleter.pipelines.embeddingRefresh.grants).toContainEqual(expect.stringMatching(/aiplatform\.indexes\.delete/));
  });

  it('alarms: the age threshold is not the SLO, or the dead-letter alarm notifies nobody', () => {
    expect(newDifferences(r.aws, gcpWith('wire-embedding-refresh-freshness', (i) => (at(i, 'conditions', 0, 'conditionThreshold').thresholdValue = 300)))).toEqual([
      { path: `${pipeline}.maxLatencySeconds`, fact: 'embeddingRefresh: alarm on the age of the oldest message (s)', aws: 120, gcp: 300 },
    ]);
    expect(newDifferences(awsWith('ArticleUpdatesQueueDeadLetterAlarm', (p) => (p.AlarmActions = [])), r.gcp)).toEqual([
      { path: 'queues[0].maxDeliveryAttempts', fact: 'embeddingRefresh: alarm on dead letters (count)', aws: undefined, gcp: 0 },
    ]);
  });

  it('a worker missing on one cloud', () => {
    const noMapping = awsFacts(
      { Resources: Object.fromEntries(Object.entries(r.template.Resources).filter(([, x]) => x.Type !== 'AWS::Lambda::EventSourceMapping')) },
      r.scope,
    );
    expect(unrealised(r.spec, noMapping)).toEqual(['pipeline embeddingRefresh not found']);
    expect(newDifferences(noMapping, r.gcp)).toContainEqual({ path: pipeline, fact: 'pipeline "embeddingRefresh"', aws: 'absent', gcp: 'present' });
  });
});

describe('a broken pipeline guarantee is a departure', () => {
  const departures = (facts: ServingFacts) => securityDepartures(facts).map((d) => `${d.path} ${d.resource}`.replace(/[0-9A-F]{8}\b/, '#'));

  it('a source bucket without CMEK, a worker log group without a key', () => {
    expect(departures(gcpWith('wire-embedding-refresh-source', (i) => delete i.encryption))).toEqual(['encryption gcp:storage/bucket:Bucket wire-embedding-refresh-source']);
    expect(departures(awsWith('EmbeddingRefreshLogs', (p) => delete p.KmsKeyId))).toEqual(['encryption AWS::Logs::LogGroup EmbeddingRefreshLogs# /ml-serving-stacks/wire-dev-serving/embedding-refresh']);
  });

  it('egress of private ranges only, public ingress, a function outside the VPC', () => {
    const fn = 'network.private gcp:cloudfunctionsv2/function:Function wire-embedding-refresh-function';
    expect(departures(gcpWith('wire-embedding-refresh-function', (i) => (at(i, 'serviceConfig').directVpcEgress = 'VPC_EGRESS_PRIVATE_RANGES_ONLY')))).toEqual([fn]);
    expect(departures(gcpWith('wire-embedding-refresh-function', (i) => (at(i, 'serviceConfig').ingressSettings = 'ALLOW_ALL')))).toEqual([fn]);
    expect(departures(awsWith('EmbeddingRefreshFunction', (p) => delete p.VpcConfig))).toEqual(['network.private AWS::Lambda::Function EmbeddingRefreshFunction#']);
  });
});

function tagging(template: { Resources: Record<string, { Type: string }> }): string {
  const id = Object.keys(template.Resources).find((x) => /^TaggingQueue[0-9A-F]{8}$/.test(x));
  if (!id) throw new Error('no tagging queue in the template');
  return id;
}

function functionId(template: { Resources: Record<string, { Type: string }> }): string {
  const id = Object.keys(template.Resources).find((x) => /^EmbeddingRefreshFunction[0-9A-F]{8}$/.test(x));
  if (!id) throw new Error('no worker function in the template');
  return id;
}
