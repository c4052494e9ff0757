import { describe, expect, it } from 'vitest';
import {
  AWS_US_EAST_1,
  formatWarning,
  GCP_US_CENTRAL1,
  HOURS_PER_MONTH,
  loadTopologyFile,
  parseTopology,
  preset,
  PRICING_CATALOG,
  resolveTopology,
  shapeWarnings,
  vertexNodeKey,
  type ComputeSpec,
  type ParityNote,
  type PricingCatalog,
  type ResolvedTopology,
  type Topology,
} from '../../constructs';

/** The dev preset with its embedder on `compute` (and optionally other regions). */
function withEmbedder(compute: Partial<ComputeSpec>, regions?: Topology['regions']): ResolvedTopology {
  const topology = structuredClone(preset('dev'));
  const endpoints = topology.endpoints.map((e) => (e.name === 'embedder' ? { ...e, compute } : e));
  return resolveTopology(parseTopology({ ...topology, endpoints, ...(regions && { regions }) }));
}

const embedderIndex = preset('dev').endpoints.findIndex((e) => e.name === 'embedder');
const path = `endpoints[${embedderIndex}].compute.accelerator`;
const month = (hourly: number) => `$${(hourly * HOURS_PER_MONTH).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const sagemaker = (type: string) => AWS_US_EAST_1.sagemakerInstances[type].usd;
const vertex = (machine: string, accelerator: string, count: number) => GCP_US_CENTRAL1.vertexPredictionNodes[vertexNodeKey(machine, accelerator, count)].usd;
const computeNotes = (r: ResolvedTopology): ParityNote[] => r.parity.filter((n) => n.path === `endpoints[${embedderIndex}].compute`);

describe('shapeWarnings', () => {
  it('h100 × 1: ml.p5.4xlarge on AWS, the 8-GPU a3-highgpu-8g on GCP, which the warning and the parity note name', () => {
    const resolved = withEmbedder({ accelerator: { type: 'h100', count: 1 } });
    const [warning, ...others] = shapeWarnings(resolved);
    expect(others).toEqual([]);
    expect(resolved.endpoints[embedderIndex].variants[0]).toMatchObject({
      aws: { instanceType: 'ml.p5.4xlarge' },
      gcp: { machineType: 'a3-highgpu-8g', acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 8 },
    });
    expect(warning).toMatchObject({
      kind: 'accelerator-rounded-up',
      path,
      endpoint: 'embedder',
      requested: { accelerator: { type: 'h100', count: 1 } },
      delivered: {
        aws: { machine: 'ml.p5.4xlarge', accelerator: { type: 'h100', count: 1 }, region: 'us-east-1' },
        gcp: { machine: 'a3-highgpu-8g', accelerator: { type: 'h100', count: 8 }, vcpus: 208, memoryGiB: 1872, region: 'us-central1' },
      },
      roundedUp: ['gcp'],
    });
    expect(formatWarning(warning)).toBe(
      `warning: ${path}: asked for 1 × H100; GCP rounds up to 8. ` +
        `AWS: ml.p5.4xlarge (1 × H100, 16 vCPUs, 256 GiB), ${month(sagemaker('ml.p5.4xlarge'))}/month per replica in us-east-1. ` +
        `GCP: a3-highgpu-8g (8 × H100, 208 vCPUs, 1872 GiB), ${month(vertex('a3-highgpu-8g', 'NVIDIA_H100_80GB', 8))}/month per replica in us-central1.`,
    );
    expect(computeNotes(resolved)).toEqual([expect.objectContaining({ cloud: 'gcp', realisedAs: 'a3-highgpu-8g + 8 × NVIDIA_H100_80GB' })]);
  });

  it.each([
    {
      asked: { type: 'a100' as const, count: 1 },
      message: 'asked for 1 × A100; AWS rounds up to 8.',
      aws: ['ml.p4d.24xlarge', '8 × A100, 96 vCPUs, 1152 GiB'],
      gcp: ['a2-highgpu-1g', '1 × A100, 12 vCPUs, 85 GiB', 'NVIDIA_TESLA_A100', 1],
      note: 'ml.p4d.24xlarge (8 × A100)',
    },
    {
      asked: { type: 'l4' as const, count: 2 },
      message: 'asked for 2 × L4; AWS rounds up to 4.',
      aws: ['ml.g6.12xlarge', '4 × L4, 48 vCPUs, 192 GiB'],
      gcp: ['g2-standard-24', '2 × L4, 24 vCPUs, 96 GiB', 'NVIDIA_L4', 2],
      note: 'ml.g6.12xlarge (4 × L4)',
    },
  ] as const)('$asked.type × $asked.count: SageMaker runs more, Vertex exactly that; the warning and the note name AWS', ({ asked, message, aws, gcp, note }) => {
    const resolved = withEmbedder({ accelerator: asked });
    const [warning] = shapeWarnings(resolved);
    expect(warning.roundedUp).toEqual(['aws']);
    expect(warning.delivered.gcp.accelerator).toEqual({ type: asked.type, count: asked.count });
    expect(warning.delivered.aws.monthlyUsdPerReplica).toBeCloseTo(sagemaker(aws[0]) * 730, 2);
    expect(warning.message).toBe(
      `${message} AWS: ${aws[0]} (${aws[1]}), ${month(sagemaker(aws[0]))}/month per replica in us-east-1. ` +
        `GCP: ${gcp[0]} (${gcp[1]}), ${month(vertex(gcp[0], gcp[2], gcp[3]))}/month per replica in us-central1.`,
    );
    expect(computeNotes(resolved)).toEqual([expect.objectContaining({ cloud: 'aws', realisedAs: note })]);
  });

  it('h100 × 2: both clouds run eight, and say so once', () => {
    const [warning] = shapeWarnings(withEmbedder({ accelerator: { type: 'h100', count: 2 } }));
    expect(warning.roundedUp).toEqual(['aws', 'gcp']);
    expect(warning.message).toMatch(/^asked for 2 × H100; both clouds round up to 8\. AWS: ml\.p5\.48xlarge \(8 × H100, /);
  });

  it('names the vCPUs asked when they, not the GPUs, forced the larger machine', () => {
    const [warning] = shapeWarnings(withEmbedder({ cpus: 16, accelerator: { type: 'a100', count: 1 } }));
    expect(warning.roundedUp).toEqual(['aws', 'gcp']);
    expect(warning.message).toMatch(/^asked for 1 × A100, 16 vCPUs; AWS rounds up to 8, GCP to 2\. /);
  });

  it.each([
    ['l4 × 1', { accelerator: { type: 'l4' as const, count: 1 } }],
    ['l4 × 4', { accelerator: { type: 'l4' as const, count: 4 } }],
    ['a100 × 8', { accelerator: { type: 'a100' as const, count: 8 } }],
    ['a10g × 1 (an L4 on Vertex: a different GPU, not more of them)', { accelerator: { type: 'a10g' as const, count: 1 } }],
    ['5 vCPUs (8 on both clouds: CPU requests do not warn)', { cpus: 5, memoryGiB: 16 }],
    ['2 vCPUs and 17 GiB (32 GiB on both clouds)', { cpus: 2, memoryGiB: 17 }],
  ])('warns of nothing for %s', (_, compute) => {
    expect(shapeWarnings(withEmbedder(compute))).toEqual([]);
  });

  it('warns of nothing for the presets', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) expect(shapeWarnings(resolveTopology(preset(env))), env).toEqual([]);
  });

  it('warns once per compute field, listing the variants that share it, and once more for a variant with its own', () => {
    const topology = loadTopologyFile('test/fixtures/conformance/gpu-round-up.yaml');
    const withOwn = structuredClone(topology);
    withOwn.endpoints[2].variants![1] = { ...withOwn.endpoints[2].variants![1], compute: { accelerator: { type: 'a100', count: 2 } } };
    const warnings = shapeWarnings(resolveTopology(parseTopology(withOwn)));
    expect(warnings.map((w) => [w.path, w.variants, w.roundedUp])).toEqual([
      ['endpoints[0].compute.accelerator', ['primary'], ['gcp']],
      ['endpoints[1].compute.accelerator', ['primary'], ['aws']],
      ['endpoints[2].compute.accelerator', ['current'], ['aws']],
      ['endpoints[2].variants[1].compute.accelerator', ['candidate'], ['aws']],
    ]);
    expect(shapeWarnings(resolveTopology(topology)).find((w) => w.endpoint === 'embedder')?.variants).toEqual(['current', 'candidate']);
  });

  it('says the price is unavailable where the region has none, and uses a price file merged over the catalog', () => {
    const europe = shapeWarnings(withEmbedder({ accelerator: { type: 'h100', count: 1 } }, { aws: 'eu-west-1', gcp: 'europe-west4' }))[0];
    expect(europe.delivered.gcp.monthlyUsdPerReplica).toBeNull();
    expect(europe.message).toContain('GCP: a3-highgpu-8g (8 × H100, 208 vCPUs, 1872 GiB), price unavailable in europe-west4.');
    expect(europe.delivered.aws.monthlyUsdPerReplica).toBeGreaterThan(0);

    const negotiated: PricingCatalog = {
      ...PRICING_CATALOG,
      aws: [{ ...AWS_US_EAST_1, sagemakerInstances: { ...AWS_US_EAST_1.sagemakerInstances, 'ml.p4d.24xlarge': { ...AWS_US_EAST_1.sagemakerInstances['ml.p4d.24xlarge'], usd: 10 } } }],
    };
    const [warning] = shapeWarnings(withEmbedder({ accelerator: { type: 'a100', count: 1 } }), negotiated);
    expect(warning.message).toContain('ml.p4d.24xlarge (8 × A100, 96 vCPUs, 1152 GiB), $7,300/month per replica in us-east-1.');
  });

  it('counts only machines it knows: an explicit SageMaker instance outside the catalog is named, not guessed', () => {
    const [warning] = shapeWarnings(withEmbedder({ accelerator: { type: 'h100', count: 1 }, instanceType: { aws: 'ml.p5e.48xlarge' } }));
    expect(warning.roundedUp).toEqual(['gcp']);
    expect(warning.delivered.aws).toMatchObject({ machine: 'ml.p5e.48xlarge', monthlyUsdPerReplica: null });
    expect(warning.delivered.aws.accelerator).toBeUndefined();
    expect(warning.message).toContain('AWS: ml.p5e.48xlarge (not in the shape catalog), price unavailable in us-east-1.');
  });
});
