import { describe, expect, it } from 'vitest';
import { ACCELERATOR_TYPES, hasLocalNvme, INSTANCE_SHAPES, shapeById, smallestShapeFor, type AcceleratorType } from '../../constructs';

describe('instance-shape catalog', () => {
  it.each([
    ['l4-1', 'ml.g6.xlarge', 'g2-standard-4', 'NVIDIA_L4'],
    ['t4-1', 'ml.g4dn.xlarge', 'n1-standard-4', 'NVIDIA_TESLA_T4'],
    ['cpu-4x16', 'ml.m5.xlarge', 'e2-standard-4', undefined],
    ['l4-2', 'ml.g6.12xlarge', 'g2-standard-24', 'NVIDIA_L4'],
    ['a100-1', 'ml.p4d.24xlarge', 'a2-highgpu-1g', 'NVIDIA_TESLA_A100'],
    ['h100-1', 'ml.p5.4xlarge', 'a3-highgpu-8g', 'NVIDIA_H100_80GB'],
  ])('maps %s to %s on SageMaker and %s + %s on Vertex', (id, aws, machineType, acceleratorType) => {
    const shape = shapeById(id)!;
    expect(shape.aws.instanceType).toBe(aws);
    expect(shape.gcp.machineType).toBe(machineType);
    expect(shape.gcp.acceleratorType).toBe(acceleratorType);
  });

  it('picks the smallest shape that meets the request', () => {
    expect(smallestShapeFor({ cpus: 3, memoryGiB: 10, accelerator: { type: 'none', count: 0 } })?.id).toBe('cpu-4x16');
    expect(smallestShapeFor({ accelerator: { type: 'l4', count: 1 } })?.id).toBe('l4-1');
    expect(smallestShapeFor({ memoryGiB: 20, accelerator: { type: 'l4', count: 1 } })?.id).toBe('l4-1x8');
    expect(smallestShapeFor({ accelerator: { type: 'l4', count: 2 } })?.id).toBe('l4-2');
    expect(smallestShapeFor({ accelerator: { type: 'l4', count: 3 } })?.id).toBe('l4-4');
    expect(smallestShapeFor({ accelerator: { type: 'a100', count: 1 } })?.id).toBe('a100-1');
    expect(smallestShapeFor({ cpus: 16, accelerator: { type: 'a100', count: 1 } })?.id).toBe('a100-2');
    expect(smallestShapeFor({ accelerator: { type: 'h100', count: 1 } })?.id).toBe('h100-1');
    expect(smallestShapeFor({ cpus: 64, accelerator: { type: 'none', count: 0 } })).toBeUndefined();
  });

  it('gives both clouds at least the vCPUs and accelerators of the neutral shape, and names the cloud that departs from it', () => {
    for (const s of INSTANCE_SHAPES) {
      expect(s.aws.vcpus).toBeGreaterThanOrEqual(s.vcpus);
      expect(s.gcp.vcpus).toBeGreaterThanOrEqual(s.vcpus);
      expect(s.aws.acceleratorCount).toBeGreaterThanOrEqual(s.accelerator.count);
      expect(s.gcp.acceleratorCount).toBeGreaterThanOrEqual(s.accelerator.count);
      const awsMore = s.aws.acceleratorCount > s.accelerator.count;
      const gcpMore = s.gcp.acceleratorCount > s.accelerator.count;
      if (awsMore || gcpMore) expect(s.gap?.cloud, s.id).toBe(awsMore && gcpMore ? 'both' : awsMore ? 'aws' : 'gcp');
      const short = s.aws.memoryGiB < s.memoryGiB || s.gcp.memoryGiB < s.memoryGiB || s.gcp.memoryGiB !== s.aws.memoryGiB;
      if (short || s.accelerator.type === 'a10g') expect(s.gap, s.id).toBeDefined();
    }
  });

  it('describes each machine the same way in every shape that uses it', () => {
    for (const a of INSTANCE_SHAPES) {
      for (const b of INSTANCE_SHAPES) {
        if (a.aws.instanceType === b.aws.instanceType) expect(b.aws, `${a.id} / ${b.id}`).toEqual(a.aws);
        if (a.gcp.machineType === b.gcp.machineType) expect(b.gcp, `${a.id} / ${b.id}`).toEqual(a.gcp);
      }
    }
  });

  it('is the smallest fit for its own neutral hardware, so a shape chosen by size comes back as itself', () => {
    for (const s of INSTANCE_SHAPES) {
      expect(smallestShapeFor({ cpus: s.vcpus, memoryGiB: s.memoryGiB, accelerator: s.accelerator })?.id).toBe(s.id);
    }
  });

  // The catalog pairs one SageMaker instance with one Vertex machine per shape; choosing a pair
  // must not force a cloud past its own smallest machine that fits (a100 × 1 once became 8 A100s on both).
  it.each(ACCELERATOR_TYPES.filter((t) => t !== 'none'))('gives each cloud its own smallest %s machine for every count and vCPU request', (type) => {
    const fewest = (counts: number[]) => Math.min(...counts);
    for (let count = 1; count <= 8; count++) {
      for (const cpus of [undefined, 8, 16, 24, 64, 128]) {
        const shape = smallestShapeFor({ cpus, accelerator: { type, count } });
        const family = INSTANCE_SHAPES.filter((s) => s.accelerator.type === (type as AcceleratorType));
        const awsFits = family.filter((s) => s.aws.acceleratorCount >= count && s.aws.vcpus >= (cpus ?? 0)).map((s) => s.aws.acceleratorCount);
        const gcpFits = family.filter((s) => s.gcp.acceleratorCount >= count && s.gcp.vcpus >= (cpus ?? 0)).map((s) => s.gcp.acceleratorCount);
        const request = `${count} × ${type}, ${cpus ?? 'any'} vCPUs`;
        if (!shape) {
          expect(awsFits.length === 0 || gcpFits.length === 0, request).toBe(true);
          continue;
        }
        expect(shape.aws.acceleratorCount, `${request}: AWS`).toBe(fewest(awsFits));
        expect(shape.gcp.acceleratorCount, `${request}: GCP`).toBe(fewest(gcpFits));
      }
    }
  });

  it('knows which SageMaker instances carry local NVMe storage', () => {
    for (const s of INSTANCE_SHAPES) expect(hasLocalNvme(s.aws.instanceType), s.aws.instanceType).toBe(s.aws.localNvme);
    expect(hasLocalNvme('ml.m5d.xlarge')).toBe(true);
    expect(hasLocalNvme('ml.c5.xlarge')).toBe(false);
    expect(hasLocalNvme('ml.g4ad.xlarge')).toBe(true);
    expect(hasLocalNvme('ml.c6id.2xlarge')).toBe(true);
    // Hyphenated families are families too; Inferentia 2 is EBS-only.
    expect(hasLocalNvme('ml.p6-b200.48xlarge')).toBe(true);
    expect(hasLocalNvme('ml.p6e-gb200.36xlarge')).toBe(true);
    expect(hasLocalNvme('ml.inf2.xlarge')).toBe(false);
    expect(hasLocalNvme('ml.inf1.xlarge')).toBe(false);
    expect(hasLocalNvme('m5.xlarge')).toBe(false);
  });
});
