import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consecutiveBreachSeconds,
  loadTopologyFile,
  namingProblem,
  PARITY_MATRIX,
  parseTopology,
  preset,
  presetInput,
  PRESET_ENVIRONMENTS,
  resolvedNames,
  resolveTopology,
  rolloutSteps,
  TopologyError,
  requestsPerSecondAtConcurrency,
  VERTEX_METRICS,
  type ResolvedTopology,
} from '../../constructs';

const resolved = Object.fromEntries(PRESET_ENVIRONMENTS.map((env) => [env, resolveTopology(preset(env))])) as Record<
  (typeof PRESET_ENVIRONMENTS)[number],
  ResolvedTopology
>;

describe('resolveTopology: environment presets', () => {
  it('bundles ranker (CPU), embedder and reranker (L4) with cache, 768-d cosine vectors and two queues', () => {
    for (const r of Object.values(resolved)) {
      expect(r.endpoints.map((e) => [e.name, e.variants[0].shape.accelerator.type])).toEqual([
        ['ranker', 'none'],
        ['embedder', 'l4'],
        ['reranker', 'l4'],
      ]);
      expect(r.vectorStore).toMatchObject({ dimensions: 768, metric: 'cosine' });
      expect(r.queues.map((q) => q.purpose)).toEqual(['embedding-refresh', 'async-inference']);
      expect(r.featureCache).toBeDefined();
    }
  });

  it('gives prod at least two instances per variant, multi-zone cache, guarded rollouts and retained data', () => {
    const prod = resolved.prod;
    expect(prod.production).toBe(true);
    for (const e of prod.endpoints) {
      expect(e.scaling.min).toBeGreaterThanOrEqual(2);
      expect(['canary', 'linear', 'blue-green']).toContain(e.rollout.strategy);
      expect(e.aws.deployment?.autoRollback).toBe(true);
    }
    expect(prod.featureCache).toMatchObject({ multiZone: true, replicas: 1, gcp: { zoneMode: 'MULTI_ZONE' } });
    expect(prod.retainData).toBe(true);
    expect(prod.deletionProtection).toBe(true);
    expect(prod.network.zoneCount).toBe(3);
  });

  it('keeps dev small and disposable', () => {
    const dev = resolved.dev;
    expect(dev.production).toBe(false);
    expect(dev.endpoints.every((e) => e.scaling.min === 1 && e.rollout.strategy === 'all-at-once')).toBe(true);
    expect(dev.featureCache).toMatchObject({ multiZone: false, replicas: 0 });
    expect(dev.retainData).toBe(false);
    expect(dev.network.zoneCount).toBe(2);
  });

  it('tags every resource with app, environment and managed-by on top of the user tags', () => {
    expect(resolved.staging.tags).toEqual({
      team: 'ml-platform',
      'cost-center': 'news-ranking',
      app: 'news',
      environment: 'staging',
      'managed-by': 'ml-serving-stacks',
    });
  });
});

describe('resolveTopology: per-cloud decisions', () => {
  it('maps the L4 embedder to ml.g6.xlarge on AWS and g2-standard-4 + NVIDIA_L4 on GCP', () => {
    const embedder = resolved.prod.endpoints[1];
    expect(embedder.variants.map((v) => [v.name, v.weight, v.aws.instanceType, v.gcp.machineType, v.gcp.acceleratorType])).toEqual([
      ['current', 90, 'ml.g6.xlarge', 'g2-standard-4', 'NVIDIA_L4'],
      ['candidate', 10, 'ml.g6.xlarge', 'g2-standard-4', 'NVIDIA_L4'],
    ]);
    expect(embedder.variants[1].model.image.aws).toContain('embedder:2.2.0-rc1');
  });

  it('leaves the KMS key off the endpoint volume only where instances have local NVMe', () => {
    expect(resolved.prod.endpoints.map((e) => [e.name, e.aws.volumeKms])).toEqual([
      ['ranker', true],
      ['embedder', false],
      ['reranker', false],
    ]);
  });

  it('translates each scaling metric into both clouds', () => {
    const base = presetInput('dev');
    const withTarget = (metric: 'invocations' | 'concurrency' | 'cpu' | 'gpu', value: number, endpoint = 0, measuredRps?: number) => {
      const input = structuredClone(base);
      input.endpoints[endpoint].scaling = { min: 1, max: 2, target: { metric, value }, maxRequestsPerSecondPerReplica: measuredRps };
      return resolveTopology(parseTopology(input)).endpoints[endpoint];
    };
    const invocations = withTarget('invocations', 600);
    expect(invocations.aws.scalingMetric).toEqual({ kind: 'predefined', metric: 'SageMakerVariantInvocationsPerInstance' });
    expect(invocations.variants[0].aws.scalingTargetValue).toBe(600);
    expect(invocations.gcp.autoscalingMetricSpecs).toEqual([{ metricName: VERTEX_METRICS.requests, target: 600 }]);

    const cpu = withTarget('cpu', 50);
    // SageMaker CPUUtilization sums the 4 cores of ml.m5.xlarge.
    expect(cpu.aws.scalingMetric).toEqual({ kind: 'instance', metricName: 'CPUUtilization' });
    expect(cpu.variants[0].aws.scalingTargetValue).toBe(200);
    expect(cpu.gcp.autoscalingMetricSpecs).toEqual([{ metricName: VERTEX_METRICS.cpu, target: 50 }]);

    const gpu = withTarget('gpu', 70, 1);
    expect(gpu.aws.scalingMetric).toEqual({ kind: 'instance', metricName: 'GPUUtilization' });
    expect(gpu.variants[0].aws.scalingTargetValue).toBe(70);
    expect(gpu.gcp.autoscalingMetricSpecs).toEqual([{ metricName: VERTEX_METRICS.gpu, target: 70 }]);

    const concurrency = withTarget('concurrency', 4, 1, 160);
    expect(concurrency.aws.scalingMetric).toEqual({ kind: 'predefined', metric: 'SageMakerVariantConcurrentRequestsPerModelHighResolution' });
    expect(concurrency.variants[0].aws.scalingTargetValue).toBe(4);
    // Vertex has no in-flight metric: both clouds' targets come from one figure, the request rate at 4 in
    // flight. Dev's GPU service time is 30 ms median, e^(0.3²/2) × 30 = 31.37 ms mean: 127.5 req/s per replica.
    const perReplica = requestsPerSecondAtConcurrency(4, concurrency.variants[0].performance.serviceTimeMs);
    expect(perReplica).toBeCloseTo(127.5, 1);
    expect(concurrency.gcp.autoscalingMetricSpecs).toEqual([{ metricName: VERTEX_METRICS.requests, target: Math.round(perReplica * 60) }]);
    // A measured capacity does not change the target: the concurrency target is the figure.
    expect(withTarget('concurrency', 4, 1).gcp.autoscalingMetricSpecs).toEqual(concurrency.gcp.autoscalingMetricSpecs);
  });

  it('sums utilisation targets over each variant\'s own cores', () => {
    const input = presetInput('dev');
    input.endpoints[0].scaling = { min: 1, max: 2, target: { metric: 'cpu', value: 65 } };
    input.endpoints[0].variants = [
      { name: 'small', weight: 50 },
      { name: 'large', weight: 50, compute: { cpus: 8, memoryGiB: 32 } },
    ];
    const ranker = resolveTopology(parseTopology(input)).endpoints[0];
    expect(ranker.variants.map((v) => [v.aws.instanceType, v.aws.scalingTargetValue])).toEqual([
      ['ml.m5.xlarge', 260],
      ['ml.m5.2xlarge', 520],
    ]);
  });

  it('routes rollouts as SageMaker traffic shifting and Vertex traffic steps', () => {
    const ranker = resolved.prod.endpoints[0];
    expect(ranker.aws.deployment).toEqual({
      trafficRouting: 'CANARY',
      stepPercent: 10,
      waitIntervalSeconds: 600,
      maximumExecutionTimeoutSeconds: 3600,
      terminationWaitSeconds: 600,
      autoRollback: true,
    });
    expect(ranker.gcp.rollout).toEqual({ steps: [10, 100], bakeSeconds: 600 });
    expect(rolloutSteps({ strategy: 'linear', stepPercent: 30, bakeSeconds: 60, autoRollback: true })).toEqual([30, 60, 90, 100]);
    expect(rolloutSteps({ strategy: 'blue-green', stepPercent: 10, bakeSeconds: 60, autoRollback: true })).toEqual([100]);
  });

  it('rolls a one-instance variant out blue/green at once on AWS when the canary is only the default, and says so', () => {
    const staging = resolved.staging;
    expect(staging.endpoints[0].rollout.strategy).toBe('canary');
    expect(staging.endpoints[0].gcp.rollout.steps).toEqual([10, 100]);
    expect(staging.endpoints[0].aws.deployment).toMatchObject({ trafficRouting: 'ALL_AT_ONCE', waitIntervalSeconds: 600, terminationWaitSeconds: 600 });
    expect(staging.parity.find((n) => n.path === 'endpoints[0].rollout.strategy')).toMatchObject({
      cloud: 'aws',
      reason: expect.stringContaining('may run on 1 instance'),
    });
    // The execution timeout covers every bake and the termination wait, plus time to provision.
    expect(resolved.prod.endpoints[0].aws.deployment.maximumExecutionTimeoutSeconds).toBe(2 * 600 + 600 + 1800);
  });

  it('scales an async endpoint on its queue per instance, the metric async endpoints publish', () => {
    const gaps = resolveTopology(loadTopologyFile('test/fixtures/gcp-gaps.yaml'));
    const scorer = gaps.endpoints[0];
    expect(scorer.mode).toBe('async');
    expect(scorer.aws.scalingMetric).toEqual({ kind: 'async-backlog', metricName: 'ApproximateBacklogSizePerInstance' });
    expect(scorer.variants[0].aws.scalingTargetValue).toBe(2);
  });

  it('names an endpoint after its mode and variant names, so only changes SageMaker can apply in place keep the name', () => {
    const withEmbedder = (change: (e: ReturnType<typeof presetInput>['endpoints'][number]) => void) => {
      // Without the pipeline, whose embedder may not be async.
      const { pipelines: _pipelines, ...input } = presetInput('prod');
      change(input.endpoints[1]);
      return resolveTopology(parseTopology(input)).endpoints[1].aws.endpointName;
    };
    const current = withEmbedder(() => undefined);
    expect(current).toMatch(/^news-prod-embedder-[0-9a-f]{4}$/);
    // The plain real-time endpoint with its implicit variant keeps the bare name.
    expect(resolved.prod.endpoints[0].aws.endpointName).toBe('news-prod-ranker');
    // Same variant names: weights, models, instance types and scaling bounds keep the name.
    expect(
      withEmbedder((e) => {
        e.variants = [
          { name: 'candidate', weight: 50, compute: { accelerator: { type: 'l4', count: 4 } } },
          { name: 'current', weight: 50 },
        ];
        e.scaling = { ...e.scaling, min: 3, max: 20 };
      }),
    ).toBe(current);
    // A new variant set or a new mode is a new endpoint.
    const renamed = withEmbedder((e) => {
      e.variants = [{ name: 'current', weight: 100 }];
    });
    const asynchronous = withEmbedder((e) => {
      e.mode = 'async';
      e.scaling = { min: 2, max: 4, target: { metric: 'concurrency', value: 4 } };
    });
    expect(new Set([current, renamed, asynchronous]).size).toBe(3);
  });

  it('sizes Vector Search shards from the index size, and the machine that serves them', () => {
    expect([resolved.dev, resolved.prod].map((r) => r.vectorStore!.gcp)).toMatchObject([
      // 100,000 × 768 float32 ≈ 0.3 GiB; 20 M ≈ 57 GiB, which would take 29 SMALL shards.
      { shardSize: 'SHARD_SIZE_SMALL', machineType: 'e2-standard-2', shards: 1 },
      { shardSize: 'SHARD_SIZE_MEDIUM', machineType: 'e2-standard-16', shards: 3 },
    ]);
  });

  it('protects a pgvector database the same way on both clouds, more in production', () => {
    const database = (env: 'dev' | 'prod') => {
      const input = presetInput(env);
      input.vectorStore = { engine: 'pgvector', dimensions: 768 };
      return resolveTopology(parseTopology(input)).vectorStore!.database;
    };
    expect(database('dev')).toMatchObject({ backupRetentionDays: 7, pointInTimeRecoveryDays: 7, highAvailability: false });
    expect(database('prod')).toMatchObject({ backupRetentionDays: 15, pointInTimeRecoveryDays: 15, highAvailability: true });
    expect(resolved.prod.vectorStore!.database).toBeUndefined();
  });

  it('sizes the pgvector database once, in memory, and gives each cloud its unit of it', () => {
    const database = (env: 'dev' | 'prod') => {
      const input = presetInput(env);
      input.vectorStore = { engine: 'pgvector', dimensions: 768 };
      return resolveTopology(parseTopology(input)).vectorStore!.database!;
    };
    // Aurora: 2 GiB per ACU, scaling from 0.5 ACU; AlloyDB N2: 8 GB per vCPU, provisioned.
    expect(database('dev')).toMatchObject({ memoryGiB: 16, aws: { minCapacityAcu: 0.5, maxCapacityAcu: 8 }, gcp: { cpuCount: 2 } });
    expect(database('prod')).toMatchObject({ memoryGiB: 32, aws: { minCapacityAcu: 0.5, maxCapacityAcu: 16 }, gcp: { cpuCount: 4 } });
  });

  it('decides when alarms fire once for both clouds: endpoints 2 of 3 minutes, dead letters the first minute', () => {
    for (const e of resolved.prod.endpoints) expect(e.alarmEvaluation).toEqual({ periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 });
    for (const q of resolved.prod.queues) expect(q.deadLetterAlarmEvaluation).toEqual({ periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(consecutiveBreachSeconds(resolved.prod.endpoints[0].alarmEvaluation)).toBe(120);
    const slo = PARITY_MATRIX.find((row) => row.setting === 'endpoints[].slo')!;
    expect([slo.aws, slo.gcp, slo.gap]).toEqual([
      expect.stringContaining('2 of 3 60-second datapoints'),
      expect.stringContaining('duration 120 s'),
      expect.stringContaining('no M-of-N rule'),
    ]);
  });

  it('lists the AWS services the VPC reaches privately: SQS only with queues, SNS only with async endpoints', () => {
    expect(resolved.dev.network.aws.interfaceEndpoints).toEqual(['sagemaker.runtime', 'sts', 'kms', 'logs', 'monitoring', 'sqs']);
    const { pipelines: _pipelines, ...input } = presetInput('dev');
    input.queues = [];
    expect(resolveTopology(parseTopology(input)).network.aws.interfaceEndpoints).not.toContain('sqs');
    const gaps = resolveTopology(loadTopologyFile('test/fixtures/gcp-gaps.yaml'));
    expect(gaps.network.aws.interfaceEndpoints).toEqual(expect.arrayContaining(['sqs', 'sns']));
  });

  it('names every resource within each cloud naming rule', () => {
    for (const r of Object.values(resolved)) {
      const names = resolvedNames(r);
      expect(names.length).toBeGreaterThan(30);
      expect(names.map(({ name, rule }) => namingProblem(name, rule)).filter(Boolean)).toEqual([]);
    }
  });

  it('carries the GCP names the back-end used to build: service accounts, key names, dataset, policies, AlloyDB ids, alerts topic', () => {
    const prod = resolved.prod;
    const ranker = prod.endpoints.find((e) => e.name === 'ranker')!;
    expect(ranker.gcp).toMatchObject({ serviceAccountId: 'news-prod-ep-ranker', keyName: 'endpoint-ranker', loggingDatasetId: 'news_prod_ranker_predictions' });
    expect(prod.endpoints.find((e) => e.name === 'embedder')!.gcp.loggingDatasetId).toBeUndefined();
    expect(prod.featureCache!.gcp).toMatchObject({ connectionPolicyName: 'news-prod-features-psc', clientServiceAccountId: 'news-prod-cache', keyName: 'cache' });
    expect(prod.queues[0].gcp).toMatchObject({ consumerServiceAccountId: 'news-prod-q-embedding-refresh', keyName: 'queue-embedding-refresh' });
    expect(prod.monitoring.gcp).toEqual({ alertsTopicName: 'news-prod-alerts', keyName: 'monitoring' });
    const input = presetInput('prod');
    input.vectorStore = { engine: 'pgvector', dimensions: 768 };
    expect(resolveTopology(parseTopology(input)).vectorStore!.database!.gcp).toMatchObject({
      clusterId: 'news-prod-vectors',
      primaryInstanceId: 'news-prod-vectors-primary',
      connectionPolicyName: 'news-prod-vectors-psc',
      clientServiceAccountId: 'news-prod-vectors',
    });
  });

  it('names every resource within each cloud naming rule, whatever names the schema lets through', () => {
    const name = fc.stringMatching(/^[a-z](?:-?[a-z0-9]){0,15}$/);
    fc.assert(
      fc.property(name.filter((n) => n.length <= 16), fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), name, name, (topologyName, environment, endpoint, queue) => {
        const input = presetInput('prod');
        const t = parseTopology({
          ...input,
          name: topologyName,
          environment,
          production: true,
          endpoints: [{ ...input.endpoints[0], name: endpoint }],
          queues: [{ name: queue, purpose: 'events' }],
          vectorStore: { engine: 'pgvector', dimensions: 768 },
          pipelines: {},
        });
        const r = resolveTopology(t);
        expect(resolvedNames(r).map(({ name: n, rule }) => namingProblem(n, rule)).filter(Boolean)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('fails with one error naming each generated name a cloud would reject, for a topology that skipped the parser', () => {
    const t = parseTopology(presetInput('dev'));
    let error: unknown;
    try {
      resolveTopology({ ...t, name: 'News_Room' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyError);
    const problems = (error as TopologyError).problems;
    expect(problems).toContainEqual({
      path: 'featureCache',
      message: expect.stringMatching(/^gives "News_Room-dev-features" is not a valid Memorystore instance id: lowercase letters.*; Memorystore for Valkey, Instance instance_id$/),
    });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['endpoints[0]', 'queues[0]', 'vectorStore', 'tags.app']));
  });
});

describe('resolveTopology: parity notes', () => {
  const notes = resolveTopology(loadTopologyFile('test/fixtures/gcp-gaps.yaml')).parity;
  const at = (path: string) => notes.filter((n) => n.path === path);

  it('notes every setting GCP cannot express, with the reason', () => {
    expect(at('endpoints[0].mode')[0]).toMatchObject({ cloud: 'gcp', reason: expect.stringContaining('no asynchronous inference endpoint') });
    expect(at('endpoints[0].scaling.target')[0]).toMatchObject({ cloud: 'gcp', realisedAs: 'cpu/utilization target 60' });
    expect(at('endpoints[0].scaling')[0].reason).toContain('no cooldowns');
    expect(at('endpoints[1].mode')[0].realisedAs).toBe('dedicated replicas (min 1, max 2) on e2-standard-2');
    expect(at('endpoints[2].compute')[0]).toMatchObject({ cloud: 'gcp', realisedAs: 'g2-standard-4 + 1 × NVIDIA_L4' });
    expect(at('endpoints[2].rollout.autoRollback')[0].realisedAs).toContain('25 → 50 → 75 → 100 %');
  });

  it('notes what AWS cannot express too', () => {
    expect(at('endpoints[1].rollout.strategy')[0]).toMatchObject({ cloud: 'aws', reason: expect.stringContaining('serverless') });
    expect(at('network.private')[0]).toMatchObject({ cloud: 'aws', realisedAs: 'endpoint tagger (serverless) runs outside the VPC, without network isolation' });
  });

  it('notes an unsharded Memorystore Redis against a clustered AWS cache', () => {
    expect(at('featureCache.engine')[0]).toMatchObject({ cloud: 'gcp', realisedAs: 'Memorystore for Redis: one unsharded primary' });
  });

  it('has no notes for settings both clouds realise as written', () => {
    expect(notes.some((n) => n.path.startsWith('queues'))).toBe(false);
    expect(notes.filter((n) => n.path.startsWith('vectorStore')).map((n) => n.path)).toEqual(['vectorStore.engine']);
  });

  it('notes how each cloud sizes and bills the pgvector database', () => {
    expect(at('vectorStore.engine')[0]).toEqual({
      path: 'vectorStore.engine',
      cloud: 'both',
      realisedAs:
        'Aurora Serverless v2 scaling 0.5–8 ACU (up to 16 GiB), billed by the ACU-hour used; AlloyDB with 2 vCPUs (16 GiB) provisioned, billed whether used or not',
      reason: 'Aurora Serverless v2 sizes itself between a floor and a ceiling; AlloyDB instances have a fixed machine size',
    });
  });
});
