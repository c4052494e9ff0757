/**
 * Positive controls: change one fact in one cloud's output (a copy of the prod preset's template
 * or plan) and the comparison must report exactly that difference at its spec path; break one
 * security guarantee and it must be reported as a departure. Proves the conformance suite reads
 * what it claims to and can fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsFacts, type CloudFormationTemplate } from './aws-facts';
import { at, planWith, templateWith, type Mutable } from './changed-output';
import { compareFacts, type Difference } from './compare-facts';
import { conformanceTopology } from './conformance-topologies';
import { gcpFacts } from './gcp-facts';
import { coveringNote, uncovered } from './parity-coverage';
import { realise, type Realisation } from './realise-topology';
import { unrealised } from './realised-spec';
import { securityDepartures } from './security-departures';
import type { ServingFacts } from './serving-facts';

let prod: Realisation;
let baseline: string[];

beforeAll(async () => {
  prod = await realise(conformanceTopology('preset prod').topology);
  baseline = compareFacts(prod.spec, prod.aws, prod.gcp).map((d) => JSON.stringify(d));
});

function awsWith(path: string, change: (properties: Mutable) => void): ServingFacts {
  return awsFacts(templateWith(prod, path, change), prod.scope);
}

function gcpWith(name: string, change: (inputs: Mutable) => void): ServingFacts {
  return gcpFacts(planWith(prod, name, change), prod.scope);
}

function gcpWithout(name: string): ServingFacts {
  return gcpFacts(
    prod.plan.filter((r) => r.name !== name),
    prod.scope,
  );
}

/** Differences the change introduced. */
function newDifferences(aws: ServingFacts, gcp: ServingFacts): Difference[] {
  return compareFacts(prod.spec, aws, gcp).filter((d) => !baseline.includes(JSON.stringify(d)));
}

describe('the baseline', () => {
  it('prod differs only where parity notes say so', () => {
    expect(uncovered(compareFacts(prod.spec, prod.aws, prod.gcp), prod.resolved.parity)).toEqual([]);
  });
});

describe('a changed fact is reported at its spec path', () => {
  it('replica bounds: a scalable target MaxCapacity', () => {
    const aws = awsWith('EmbedderEndpointScalingCandidateG6Xlarge', (p) => (p.MaxCapacity = 12));
    expect(newDifferences(aws, prod.gcp)).toEqual([{ path: 'endpoints[1].scaling.max', fact: 'embedder/candidate: max replicas', aws: 12, gcp: 16 }]);
  });

  it('initial replicas: InitialInstanceCount ⇔ minReplicaCount', () => {
    const aws = awsWith('RankerEndpointConfig', (p) => (at(p, 'ProductionVariants', 0).InitialInstanceCount = 3));
    expect(newDifferences(aws, prod.gcp)).toEqual([{ path: 'endpoints[0].scaling.min', fact: 'ranker/primary: initial replicas', aws: 3, gcp: 2 }]);
  });

  it('traffic weights: the deployment’s variant weights; SageMaker weights are read as shares of their sum', () => {
    const gcp = gcpWith('news-embedder-deployment', (i) => {
      at(i, 'variants', 0).weight = 80;
      at(i, 'variants', 1).weight = 20;
    });
    expect(newDifferences(prod.aws, gcp).map((d) => [d.path, d.aws, d.gcp])).toEqual([
      ['endpoints[1].variants[1].weight', 10, 20],
      ['endpoints[1].variants[0].weight', 90, 80],
    ]);
    const relative = awsWith('EmbedderEndpointConfig', (p) => {
      at(p, 'ProductionVariants', 0).InitialVariantWeight = 9;
      at(p, 'ProductionVariants', 1).InitialVariantWeight = 1;
    });
    expect(newDifferences(relative, prod.gcp)).toEqual([]);
  });

  it('accelerators: an instance type through the shape catalog, uncovered by any note', () => {
    const aws = awsWith('RankerEndpointConfig', (p) => (at(p, 'ProductionVariants', 0).InstanceType = 'ml.g4dn.xlarge'));
    const differences = newDifferences(aws, prod.gcp);
    expect(differences.filter((d) => d.path === 'endpoints[0].compute.accelerator')).toEqual([
      { path: 'endpoints[0].compute.accelerator', fact: 'ranker/primary: accelerator', aws: { type: 't4', count: 1 }, gcp: { type: 'none', count: 0 } },
    ]);
    expect(coveringNote('endpoints[0].compute.accelerator', prod.resolved.parity)).toBeUndefined();
  });

  it('queues: delivery attempts, ack timeout and retention', () => {
    const attempts = gcpWith('news-embedding-refresh-sub', (i) => (at(i, 'deadLetterPolicy').maxDeliveryAttempts = 6));
    // The queue feeds the preset's pipeline, so its worker's deliveries differ too.
    expect(newDifferences(prod.aws, attempts)).toEqual([
      { path: 'queues[0].maxDeliveryAttempts', fact: 'embedding-refresh: deliveries before dead-lettering', aws: 5, gcp: 6 },
      { path: 'queues[0].maxDeliveryAttempts', fact: 'embeddingRefresh: deliveries to the worker before dead-lettering', aws: 5, gcp: 6 },
    ]);
    const ack = awsWith('AsyncInferenceQueue', (p) => (p.VisibilityTimeout = 30));
    expect(newDifferences(ack, prod.gcp)).toEqual([{ path: 'queues[1].ackTimeoutSeconds', fact: 'async-inference: ack timeout (s)', aws: 30, gcp: 120 }]);
    const retention = gcpWith('news-async-inference-sub', (i) => (i.messageRetentionDuration = '86400s'));
    expect(newDifferences(prod.aws, retention)).toEqual([{ path: 'queues[1].retentionHours', fact: 'async-inference: retention (h)', aws: 96, gcp: 24 }]);
  });

  it('dead letters: a dead-letter topic nobody subscribes to, or the service agent without its grant', () => {
    const unsubscribed = gcpWithout('news-embedding-refresh-dead-letter-sub');
    expect(unsubscribed.queues['embedding-refresh'].deadLetter).toEqual({ retained: false, permitted: true });
    expect(newDifferences(prod.aws, unsubscribed).map((d) => d.path)).toContain('queues[0].maxDeliveryAttempts');
    expect(gcpWithout('news-embedding-refresh-dead-letter-publisher').queues['embedding-refresh'].deadLetter).toEqual({ retained: true, permitted: false });
    const noRedrive = awsWith('EmbeddingRefreshQueue', (p) => delete p.RedrivePolicy);
    expect(noRedrive.queues['embedding-refresh']).toMatchObject({ maxDeliveryAttempts: undefined, deadLetter: undefined });
  });

  it('vectors: the OpenSearch mapping’s dimension and the AiIndex distance', () => {
    const aws = awsWith('VectorStoreIndex', (p) => {
      const body = JSON.parse(p.IndexBody as string);
      at(body, 'mappings', 'properties', 'embedding').dimension = 512;
      p.IndexBody = JSON.stringify(body);
    });
    expect(newDifferences(aws, prod.gcp)).toEqual([{ path: 'vectorStore.dimensions', fact: 'vector dimensions', aws: 512, gcp: 768 }]);
    const gcp = gcpWith('news-vectors-index', (i) => (at(i, 'metadata', 'config').featureNormType = 'NONE'));
    expect(newDifferences(prod.aws, gcp)).toEqual([{ path: 'vectorStore.metric', fact: 'vector distance metric', aws: 'cosine', gcp: 'dot-product' }]);
  });

  it('cache zones: Memorystore in one zone', () => {
    const gcp = gcpWith('news-cache-instance', (i) => (at(i, 'zoneDistributionConfig').mode = 'SINGLE_ZONE'));
    expect(newDifferences(prod.aws, gcp)).toEqual([{ path: 'featureCache.multiZone', fact: 'cache spans zones', aws: true, gcp: false }]);
  });

  it('an endpoint missing on one cloud', () => {
    const gcp = gcpWithout('news-reranker-endpoint');
    expect(unrealised(prod.spec, gcp)).toEqual(['endpoint reranker not found']);
    expect(newDifferences(prod.aws, gcp)).toContainEqual({ path: 'endpoints', fact: 'endpoint "reranker"', aws: 'present', gcp: 'absent' });
  });
});

describe('a broken guarantee is a departure', () => {
  /** Departures as `<path> <type> <logical id or name>`, CDK's hash written `#`. */
  const departures = (facts: ServingFacts) => securityDepartures(facts).map((d) => `${d.path} ${d.resource}`.replace(/[0-9A-F]{8}\b/, '#'));

  it('a queue without a key, a key without rotation, an endpoint config without a key on an instance that allows one', () => {
    expect(departures(awsWith('EmbeddingRefreshQueue', (p) => delete p.KmsMasterKeyId))).toEqual(['encryption AWS::SQS::Queue EmbeddingRefreshQueue#']);
    expect(departures(awsWith('MonitoringKey', (p) => (p.EnableKeyRotation = false)))).toEqual(['encryption AWS::SNS::Topic MonitoringAlarmTopic#']);
    expect(departures(awsWith('RankerEndpointConfig', (p) => delete p.KmsKeyId))).toEqual(['encryption AWS::SageMaker::EndpointConfig RankerEndpointConfig# (instance volumes)']);
    // The embedder's ml.g6 instances have local NVMe: no key is the only option there, and is not a departure.
    expect(prod.aws.dataAtRest.find((d) => d.resource.startsWith('AWS::SageMaker::EndpointConfig EmbedderEndpointConfig'))?.exemption).toMatch(/local NVMe/);
  });

  it('an index or a topic without CMEK on GCP', () => {
    expect(departures(gcpWith('news-vectors-index', (i) => delete i.encryptionSpec))).toEqual(['encryption gcp:vertex/aiIndex:AiIndex news-vectors-index']);
    expect(departures(gcpWith('news-async-inference-dead-letter', (i) => delete i.kmsKeyName))).toEqual(['encryption gcp:pubsub/topic:Topic news-async-inference-dead-letter']);
  });

  it('a public collection, a model outside the VPC, a public index endpoint, an endpoint without Private Service Connect', () => {
    const publicCollection = awsWith('VectorStoreNetworkPolicy', (p) => {
      const join = at(p, 'Policy')['Fn::Join'] as [string, unknown[]];
      join[1][0] = String(join[1][0]).replace('"AllowFromPublic":false', '"AllowFromPublic":true');
    });
    expect(departures(publicCollection)).toEqual(['network.private AWS::OpenSearchServerless::SecurityPolicy VectorStoreNetworkPolicy#']);
    expect(departures(awsWith('RankerEndpointModelPrimary', (p) => delete p.VpcConfig))).toEqual(['network.private AWS::SageMaker::Model RankerEndpointModelPrimary#']);
    expect(departures(gcpWith('news-vectors-endpoint', (i) => (i.publicEndpointEnabled = true)))).toEqual([
      'network.private gcp:vertex/aiIndexEndpoint:AiIndexEndpoint news-vectors-endpoint',
    ]);
    const noPsc = gcpWith('news-ranker-endpoint', (i) => delete i.privateServiceConnectConfig);
    expect(departures(noPsc)).toEqual(['network.private gcp:vertex/aiEndpoint:AiEndpoint news-ranker-endpoint']);
    expect(newDifferences(prod.aws, noPsc).map((d) => [d.path, d.fact])).toEqual([['network.private', 'endpoints[0] (ranker): reachability']]);
  });

  it('a resource type nobody classified', () => {
    const template = structuredClone(prod.template) as { Resources: Record<string, { Type: string; Properties?: Mutable }> };
    template.Resources.Gateway = { Type: 'AWS::EC2::InternetGateway' };
    expect(awsFacts(template as CloudFormationTemplate, prod.scope).unclassified).toEqual(['AWS::EC2::InternetGateway']);
    const firewall = { ...prod.plan[1], type: 'gcp:compute/firewall:Firewall', name: 'open', urn: 'urn:firewall', custom: true, inputs: {} };
    expect(gcpFacts([...prod.plan, firewall], prod.scope).unclassified).toEqual(['gcp:compute/firewall:Firewall']);
  });
});

describe('coveringNote', () => {
  const note = (path: string) => ({ path, cloud: 'gcp' as const, realisedAs: '', reason: '' });

  it('covers the path itself and what lies under it, nothing beside it', () => {
    const notes = [note('endpoints[1]'), note('featureCache.replicas')];
    expect(coveringNote('endpoints[1].compute.accelerator', notes)?.path).toBe('endpoints[1]');
    expect(coveringNote('endpoints[1]', notes)?.path).toBe('endpoints[1]');
    expect(coveringNote('featureCache.replicas', notes)?.path).toBe('featureCache.replicas');
    expect(coveringNote('endpoints[10].mode', notes)).toBeUndefined();
    expect(coveringNote('featureCache.replicasPerShard', notes)).toBeUndefined();
    expect(coveringNote('featureCache', notes)).toBeUndefined();
  });
});
