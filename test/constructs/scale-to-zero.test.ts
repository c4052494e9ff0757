/**
 * Scale to zero (`scaling.min: 0`, `scaling.idleSeconds`) and shared instance pools (`sharing`): what
 * the schema accepts and rejects, and what each cloud's plan becomes.
 */
import { describe, expect, it } from 'vitest';
import { IDLE_SECONDS, parseTopology, presetInput, resolveTopology, TopologyError, type TopologyInput } from '../../constructs';

type EndpointInput = TopologyInput['endpoints'][number];

/** The dev preset with its endpoints changed by `edit` (by name). */
function devWith(edit: Partial<Record<string, (e: EndpointInput) => EndpointInput>>, overrides: Partial<TopologyInput> = {}): TopologyInput {
  const input = presetInput('dev');
  return { ...input, ...overrides, endpoints: input.endpoints.map((e) => edit[e.name]?.(e) ?? e) };
}

const atZero = (idleSeconds?: number) => (e: EndpointInput): EndpointInput => ({ ...e, scaling: { ...e.scaling, min: 0, ...(idleSeconds !== undefined && { idleSeconds }) } });

function problemsOf(input: TopologyInput): { path: string; message: string }[] {
  try {
    parseTopology(input);
  } catch (error) {
    if (error instanceof TopologyError) return error.problems.map((p) => ({ path: p.path, message: p.message }));
    throw error;
  }
  return [];
}

describe('scaling.min: 0', () => {
  it('is allowed outside production, with the idle period defaulting to one hour', () => {
    const resolved = resolveTopology(parseTopology(devWith({ reranker: atZero() })));
    const reranker = resolved.endpoints.find((e) => e.name === 'reranker')!;
    expect(reranker.scaling).toMatchObject({ min: 0, idleSeconds: IDLE_SECONDS.default });
    expect(resolved.endpoints.find((e) => e.name === 'ranker')!.scaling.idleSeconds).toBeUndefined();
  });

  it('fails in production, naming the field, the value and what production allows', () => {
    const input = presetInput('prod');
    input.endpoints[2] = { ...input.endpoints[2], scaling: { ...input.endpoints[2].scaling, min: 0 } };
    const problems = problemsOf(input);
    expect(problems).toEqual([{ path: 'endpoints[2].scaling.min', message: expect.stringMatching(/got 0: production .*allowed in production: 2 or more/) }]);
  });

  it('fails for async and serverless endpoints and for endpoints with several variants', () => {
    const asyncAtZero = devWith({ reranker: (e) => ({ ...atZero()(e), mode: 'async', scaling: { min: 0, target: { metric: 'concurrency', value: 4 } } }) });
    expect(problemsOf(asyncAtZero).map((p) => p.path)).toContain('endpoints[2].mode');
    const twoVariants = devWith({
      reranker: (e) => ({ ...atZero()(e), variants: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }] }),
    });
    expect(problemsOf(twoVariants)).toEqual([{ path: 'endpoints[2].variants', message: expect.stringContaining('got 2 variants') }]);
  });

  it('takes idleSeconds only at min 0, within Vertex\'s 300–28800 s', () => {
    expect(problemsOf(devWith({ reranker: (e) => ({ ...e, scaling: { ...e.scaling, idleSeconds: 600 } }) }))).toEqual([
      { path: 'endpoints[2].scaling.idleSeconds', message: expect.stringContaining('only applies when scaling.min is 0') },
    ]);
    expect(problemsOf(devWith({ reranker: atZero(299) })).map((p) => p.path)).toEqual(['endpoints[2].scaling.idleSeconds']);
    expect(problemsOf(devWith({ reranker: atZero(28_801) })).map((p) => p.path)).toEqual(['endpoints[2].scaling.idleSeconds']);
    expect(problemsOf(devWith({ reranker: atZero(900) }))).toEqual([]);
  });

  it('hosts the model as an inference component on SageMaker, starting with one copy, scalable down to none', () => {
    const reranker = resolveTopology(parseTopology(devWith({ reranker: atZero(900) }))).endpoints[2];
    expect(reranker.aws.inferenceComponent).toEqual({
      componentName: 'news-dev-reranker',
      pool: 'reranker',
      // A pool of its own: one copy takes the whole l4-1 shape.
      computeResourceRequirements: { numberOfCpuCoresRequired: reranker.variants[0].shape.vcpus, minMemoryRequiredInMb: reranker.variants[0].shape.memoryGiB * 1024, numberOfAcceleratorDevicesRequired: 1 },
      copyScalingMetric: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution',
      poolInstances: { instanceType: reranker.variants[0].aws.instanceType, min: 0, max: reranker.scaling.max },
      initialCopyCount: 1,
      minCopies: 0,
      maxCopies: reranker.scaling.max,
    });
    // A new endpoint name: a model variant cannot become a component host in place.
    expect(reranker.aws.endpointName).toMatch(/^news-dev-reranker-[0-9a-f]{4}$/);
  });

  it('asks Vertex for the v1beta1 scale-to-zero fields, with a parity note on each cloud', () => {
    const resolved = resolveTopology(parseTopology(devWith({ reranker: atZero(900) })));
    expect(resolved.endpoints[2].gcp.scaleToZero).toEqual({ initialReplicaCount: 1, minScaleupPeriodSeconds: 300, idleScaledownPeriodSeconds: 900 });
    const notes = resolved.parity.filter((n) => n.endpoint === 'reranker').map((n) => `${n.cloud} ${n.path}`);
    expect(notes).toEqual(expect.arrayContaining(['gcp endpoints[2].scaling.min', 'aws endpoints[2].scaling.idleSeconds']));
  });
});

describe('sharing: endpoints on one instance pool', () => {
  const pooled = (acceleratorCount: number, memoryGiB: number) => (e: EndpointInput): EndpointInput => ({
    ...e,
    sharing: { pool: 'gpu', compute: { acceleratorCount, memoryGiB, cpus: 2 } },
  });

  it('places the embedder and reranker on one SageMaker endpoint and one Vertex deployment resource pool', () => {
    const resolved = resolveTopology(parseTopology(devWith({ embedder: pooled(1, 8), reranker: pooled(1, 12) })));
    const [, embedder, reranker] = resolved.endpoints;
    expect(embedder.aws.endpointName).toBe(reranker.aws.endpointName);
    expect(embedder.aws.inferenceComponent?.componentName).not.toBe(reranker.aws.inferenceComponent?.componentName);
    expect(reranker.aws.inferenceComponent?.computeResourceRequirements).toEqual({ numberOfCpuCoresRequired: 2, minMemoryRequiredInMb: 12 * 1024, numberOfAcceleratorDevicesRequired: 1 });
    expect(reranker.sharing).toEqual({ pool: 'gpu', copy: { acceleratorCount: 1, memoryGiB: 12, cpus: 2 }, members: ['embedder', 'reranker'] });
    // Vertex runs each on dedicated replicas, and says so.
    expect(resolved.parity.filter((n) => n.cloud === 'gcp' && n.path.endsWith('.sharing')).map((n) => n.path)).toEqual(['endpoints[1].sharing', 'endpoints[2].sharing']);
    // Sharing alone does not scale to zero: both keep their floors.
    expect(reranker.aws.inferenceComponent?.minCopies).toBe(1);
    // One copy per l4-1 instance (one GPU each); dev keeps 1 and scales to 2 copies per model.
    expect(reranker.aws.inferenceComponent?.poolInstances).toMatchObject({ min: 1, max: 4 });
  });

  it('fails when a copy does not fit one instance, or a GPU pool member asks for no GPU', () => {
    const problems = problemsOf(devWith({ reranker: pooled(2, 1024) }));
    expect(problems.map((p) => p.path).sort()).toEqual(['endpoints[2].sharing.compute.acceleratorCount', 'endpoints[2].sharing.compute.memoryGiB']);
    expect(problemsOf(devWith({ reranker: pooled(0, 8) }))).toEqual([
      { path: 'endpoints[2].sharing.compute.acceleratorCount', message: expect.stringContaining('a copy needs at least 1 GPU, got 0') },
    ]);
  });

  it('fails when a pool member scales on utilisation, which copies cannot', () => {
    const problems = problemsOf(devWith({ reranker: (e) => ({ ...pooled(1, 8)(e), scaling: { ...e.scaling, target: { metric: 'gpu', value: 60 } } }) }));
    expect(problems).toEqual([{ path: 'endpoints[2].scaling.target.metric', message: expect.stringMatching(/invocations or concurrency per copy .*; got gpu$/) }]);
  });

  it('fails when pool members ask for different hardware', () => {
    const problems = problemsOf(devWith({ ranker: (e) => ({ ...e, sharing: { pool: 'gpu', compute: { memoryGiB: 4 } } }), reranker: pooled(1, 8) }));
    expect(problems).toEqual([{ path: 'endpoints[2].compute', message: expect.stringContaining('endpoints in pool "gpu" share instances') }]);
  });

  it('scales a pooled model at zero to zero on both clouds: a component\'s copies on SageMaker, its own replicas on Vertex', () => {
    const resolved = resolveTopology(parseTopology(devWith({ embedder: pooled(1, 8), reranker: (e) => atZero()(pooled(1, 8)(e)) })));
    const reranker = resolved.endpoints[2];
    expect(reranker.gcp.scaleToZero?.idleScaledownPeriodSeconds).toBe(3600);
    expect(reranker.aws.inferenceComponent?.minCopies).toBe(0);
  });
});
