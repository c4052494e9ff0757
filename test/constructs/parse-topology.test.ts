import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTopologyFile, parseTopology, parseTopologyText, presetInput, TopologyError } from '../../constructs';

function problemsOf(fn: () => unknown): TopologyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TopologyError) return e;
    throw e;
  }
  throw new Error('expected a TopologyError');
}

describe('parseTopology', () => {
  it('accepts the README topology file and applies static defaults', () => {
    const t = loadTopologyFile('test/fixtures/news.yaml');
    expect(t.endpoints.map((e) => e.name)).toEqual(['ranker', 'embedder']);
    expect(t.endpoints[0].mode).toBe('realtime');
    expect(t.endpoints[0].model.networkIsolation).toBe(true);
    expect(t.endpoints[1].variants?.map((v) => v.weight)).toEqual([90, 10]);
    expect(t.queues[0]).toMatchObject({ maxDeliveryAttempts: 5, retentionHours: 96, ackTimeoutSeconds: 60 });
    expect(t.network.private).toBe(true);
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify(presetInput('dev'));
    expect(parseTopologyText(json, 'dev.json').name).toBe('news');
  });

  it('fails with every problem, each with its path, value and what is allowed', () => {
    const error = problemsOf(() => loadTopologyFile('test/fixtures/invalid.yaml'));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[1].compute.accelerator.type', 'endpoints[1].scaling.min']);
    expect(error.message).toContain('endpoints[1].scaling.min: must be <= max (3), got 5');
    expect(error.message).toContain('endpoints[1].compute.accelerator.type: must be one of "none", "t4", "l4", "a10g", "a100", "h100", got "v100"');
  });

  it('fails when a field is misspelt, listing the allowed fields', () => {
    const input = { ...presetInput('dev'), featureCahce: { memoryGiB: 1 } };
    const error = problemsOf(() => parseTopology(input, 'typo'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].message).toMatch(/unknown field "featureCahce"; allowed: name, environment, .*featureCache/);
  });

  it('fails when a required field is missing', () => {
    const { regions: _omitted, ...input } = presetInput('dev');
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems).toEqual([{ path: 'regions', message: 'required (object)' }]);
  });

  it('fails when variant weights do not sum to 100 and names repeat', () => {
    const input = presetInput('prod');
    const embedder = input.endpoints[1];
    embedder.variants = [
      { name: 'a', weight: 50 },
      { name: 'a', weight: 30 },
    ];
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'endpoints[1].variants: variant weights must sum to 100, got 80',
      'endpoints[1].variants[1].name: duplicate variant name',
    ]);
  });

  it('fails when a production endpoint could run on one instance or roll out all at once', () => {
    const input = presetInput('prod');
    input.endpoints[0].scaling = { min: 1, max: 4 };
    input.endpoints[2].rollout = { strategy: 'all-at-once' };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[0].scaling.min', 'endpoints[2].rollout.strategy']);
    expect(error.problems[0].message).toContain('SRV-01');
  });

  it('fails when a production endpoint rolls out blue/green all at once', () => {
    const input = presetInput('prod');
    input.endpoints[0].rollout = { strategy: 'blue-green' };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[0].rollout.strategy']);
    expect(error.problems[0].message).toContain('canary or linear');
  });

  it('fails when a serverless endpoint asks for data capture or several variants', () => {
    const input = presetInput('dev');
    input.endpoints[0] = {
      ...input.endpoints[0],
      mode: 'serverless',
      serverless: { memoryGiB: 2, maxConcurrency: 10 },
      dataCapture: { samplingPercent: 10 },
      variants: [
        { name: 'a', weight: 50 },
        { name: 'b', weight: 50 },
      ],
    };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'endpoints[0].variants: serverless endpoints take one variant, got 2',
      'endpoints[0].dataCapture: serverless endpoints do not support data capture; remove it or use mode realtime',
    ]);
  });

  it('fails when a pgvector store exceeds the HNSW limits', () => {
    const input = presetInput('dev');
    input.vectorStore = { engine: 'pgvector', dimensions: 3072, index: { efSearch: 2000 } };
    const error = problemsOf(() => parseTopology(input));
    expect(error.message.split('\n').slice(1)).toEqual([
      '  vectorStore.dimensions: pgvector HNSW indexes take at most 2000, got 3072',
      '  vectorStore.index.efSearch: pgvector hnsw.ef_search is at most 1000, got 2000',
    ]);
  });

  it('fails when an async endpoint has no async-inference queue to carry its requests', () => {
    const input = presetInput('dev');
    input.endpoints[2].mode = 'async';
    input.queues = [{ name: 'embedding-refresh', purpose: 'embedding-refresh', ackTimeoutSeconds: 300 }];
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[2].mode']);
    expect(error.problems[0].message).toContain('needs a queue with purpose async-inference');
  });

  it.each([0, -1])('reports a linear step of %s at its path and stops (the step count must not loop forever)', (stepPercent) => {
    const input = presetInput('prod');
    input.endpoints[1].rollout = { strategy: 'linear', stepPercent };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toContain('endpoints[1].rollout.stepPercent');
  });

  it('fails when a rollout is one SageMaker rejects: step sizes, one-instance steps, waits beyond its execution timeout', () => {
    const input = presetInput('prod');
    input.endpoints[0].rollout = { strategy: 'canary', stepPercent: 60 };
    input.endpoints[1].rollout = { strategy: 'linear', stepPercent: 5 };
    input.endpoints[2].rollout = { strategy: 'linear', stepPercent: 10, bakeSeconds: 3600 };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "endpoints[0].rollout.stepPercent: a canary moves at most 50 % of the variant's instances (SageMaker TrafficRoutingConfig CanarySize): must be <= 50",
      "endpoints[1].rollout.stepPercent: a linear step moves 10–50 % of the variant's instances (SageMaker TrafficRoutingConfig LinearStepSize): must be between 10 and 50",
      "endpoints[2].rollout.bakeSeconds: 10 step(s) × 3600 s bake + 3600 s termination wait + 1800 s to provision = 41400 s, above SageMaker's longest blue/green execution timeout (MaximumExecutionTimeoutInSeconds <= 28800); lower bakeSeconds to <= 2454 or take fewer steps",
    ]);
    expect(error.message).toContain('endpoints[0].rollout.stepPercent: a canary moves at most 50 %');
    expect(error.message).toContain(', got 60');

    // The suggested bake is the longest that fits: one second more does not.
    const withBake = (bakeSeconds: number) => {
      const t = presetInput('prod');
      t.endpoints[2].rollout = { strategy: 'linear', stepPercent: 10, bakeSeconds };
      return () => parseTopology(t);
    };
    expect(withBake(2454)).not.toThrow();
    expect(problemsOf(withBake(2455)).problems.map((p) => p.path)).toEqual(['endpoints[2].rollout.bakeSeconds']);
  });

  it('fails when a topology asks for a canary or linear rollout of variants that may run on one instance', () => {
    const input = presetInput('staging');
    input.endpoints[0].rollout = { strategy: 'canary' };
    input.endpoints[1].rollout = { strategy: 'linear', stepPercent: 20 };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[0].rollout.strategy', 'endpoints[1].rollout.strategy']);
    expect(error.problems[0].message).toContain('set scaling.min >= 2, or strategy blue-green');
    // Staging's defaulted canary on one instance is not the user's request: it falls back (a parity note).
    expect(() => parseTopology(presetInput('staging'))).not.toThrow();
  });

  it('fails when an async endpoint scales on invocations or passes more concurrent invocations than SageMaker takes', () => {
    const input = presetInput('dev');
    input.endpoints[2].mode = 'async';
    input.endpoints[2].scaling = { min: 1, max: 2, target: { metric: 'invocations', value: 600 } };
    input.endpoints[2].performance = { serviceTimeMs: 60, concurrencyPerReplica: 1024 };
    input.endpoints[2].compute = { accelerator: { type: 'l4', count: 4 } };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'endpoints[2].scaling.target.metric: async endpoints publish no Invocations metric to scale on: use concurrency (queued requests per instance, SageMaker ApproximateBacklogSizePerInstance) or cpu/gpu',
      "endpoints[2].performance.concurrencyPerReplica: an async endpoint passes it to SageMaker as MaxConcurrentInvocationsPerInstance (1–1000), scaled to each variant's shape, and on ml.g6.12xlarge it becomes 4096: must be <= 250",
    ]);
  });

  it('fails when variants of one endpoint mix CPU and GPU hardware', () => {
    const input = presetInput('dev');
    input.endpoints[1].scaling = { min: 1, max: 2, target: { metric: 'gpu', value: 60 } };
    input.endpoints[1].variants = [
      { name: 'gpu', weight: 50 },
      { name: 'cpu', weight: 50, compute: { cpus: 4, memoryGiB: 16 } },
    ];
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['endpoints[1].variants[1].compute.accelerator.type']);
    expect(error.problems[0].message).toContain('same kind of hardware as the endpoint (a GPU)');
  });

  it('fails when a utilisation or invocation target is not a whole number, or sums cores of an unknown instance type', () => {
    const input = presetInput('dev');
    input.endpoints[0].scaling = { min: 1, max: 2, target: { metric: 'cpu', value: 55.5 } };
    input.endpoints[2].scaling = { min: 1, max: 2, target: { metric: 'gpu', value: 70 } };
    input.endpoints[2].compute = { accelerator: { type: 'l4', count: 1 }, instanceType: { aws: 'ml.g6.2xlarge' } };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message.split(':')[0]}`)).toEqual([
      'endpoints[0].scaling.target.value: cpu targets are whole numbers (Vertex AutoscalingMetricSpec.target is an integer)',
      'endpoints[2].scaling.target.metric: gpu scaling cannot be combined with compute.instanceType.aws',
    ]);
  });

  it('fails when a queue would take a name another queue generates for its dead letters', () => {
    const { pipelines: _pipelines, ...input } = presetInput('dev');
    input.queues = [
      { name: 'events', purpose: 'events' },
      { name: 'events-dlq', purpose: 'events' },
      { name: 'events-dead-letter', purpose: 'events' },
    ];
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'queues[1].name: gives news-dev-events-dlq, a name queue "events" already uses for itself or its dead letters; pick another name',
      'queues[2].name: gives news-dev-events-dead-letter, a name queue "events" already uses for itself or its dead letters; pick another name',
    ]);
  });

  it('fails when an existing VPC has uneven subnets per zone or zones outside the region', () => {
    const input = presetInput('dev');
    input.network = {
      existing: {
        aws: {
          vpcId: 'vpc-0123456789abcdef0',
          availabilityZones: ['us-east-1a', 'eu-west-1b'],
          privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'],
        },
      },
    };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => p.path)).toEqual(['network.existing.aws.privateSubnetIds', 'network.existing.aws.availabilityZones[1]']);
    expect(error.message).toContain('network.existing.aws.availabilityZones[1]: must be a zone of regions.aws (us-east-1), got "eu-west-1b"');
  });

  it('fails when no catalog shape fits the compute request', () => {
    const input = presetInput('dev');
    input.endpoints[0].compute = { cpus: 64, memoryGiB: 512 };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems[0].path).toBe('endpoints[0].compute');
    expect(error.problems[0].message).toContain('no catalog shape has 64 vCPUs, 512 GiB and no accelerator');
  });

  it('fails when serverless settings and mode disagree', () => {
    const input = presetInput('dev');
    input.endpoints[0].mode = 'serverless';
    input.endpoints[1].serverless = { memoryGiB: 2, maxConcurrency: 5 };
    const error = problemsOf(() => parseTopology(input));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'endpoints[0].serverless: required when mode is serverless',
      'endpoints[1].serverless: only allowed when mode is serverless (mode is realtime)',
    ]);
  });

  it('fails on YAML syntax errors and duplicate keys with their position', () => {
    const error = problemsOf(() => parseTopologyText('name: a\nname: b\n', 'dup.yaml'));
    expect(error.problems[0].path).toBe('line 2, column 1');
    expect(error.problems[0].message).toContain('not valid YAML or JSON');
  });

  it('reports only the first syntax error, with its line and column', () => {
    // An unclosed flow mapping: the YAML parser reports one error per token that follows it.
    const text = ['name: news', 'endpoints:', '  - { name: ranker, compute: { cpus: 4 }', ...Array.from({ length: 40 }, (_, i) => `  key${i}: value`)].join('\n');
    const error = problemsOf(() => parseTopologyText(text, 'broken.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].path).toMatch(/^line \d+, column \d+$/);
    expect(error.message).toMatch(/^broken\.yaml: 1 problem\n {2}line \d+, column \d+: not valid YAML or JSON: /);
  });

  it('fails with a clear message when the file does not exist', () => {
    const error = problemsOf(() => loadTopologyFile('test/fixtures/nope.yaml'));
    expect(error.message).toBe('test/fixtures/nope.yaml: 1 problem\n  (document): cannot read the topology file: no such file');
  });

  it('round-trips the committed fixture text unchanged', () => {
    const text = readFileSync('test/fixtures/news.yaml', 'utf8');
    expect(parseTopologyText(text)).toEqual(loadTopologyFile('test/fixtures/news.yaml'));
  });
});
