import { describe, expect, it } from 'vitest';
import { hasLocalNvme, INSTANCE_SHAPES, shapeById, smallestShapeFor } from '../../constructs';

describe('instance-shape catalog', () => {
  it.each([
    ['l4-1', 'ml.g6.xlarge', 'g2-standard-4', 'NVIDIA_L4'],
    ['t4-1', 'ml.g4dn.xlarge', 'n1-standard-4', 'NVIDIA_TESLA_T4'],
    ['cpu-4x16', 'ml.m5.xlarge', 'e2-standard-4', undefined],
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
    expect(smallestShapeFor({ accelerator: { type: 'l4', count: 2 } })?.id).toBe('l4-4');
    expect(smallestShapeFor({ cpus: 64, accelerator: { type: 'none', count: 0 } })).toBeUndefined();
  });

  it('gives both clouds at least the vCPUs and accelerators of the neutral shape, and explains any shortfall', () => {
    for (const s of INSTANCE_SHAPES) {
      expect(s.aws.vcpus).toBeGreaterThanOrEqual(s.vcpus);
      expect(s.gcp.vcpus).toBeGreaterThanOrEqual(s.vcpus);
      expect(s.gcp.acceleratorCount).toBe(s.accelerator.count);
      const short = s.aws.memoryGiB < s.memoryGiB || s.gcp.memoryGiB < s.memoryGiB || s.gcp.memoryGiB !== s.aws.memoryGiB;
      if (short || s.accelerator.type === 'a10g') expect(s.gap, s.id).toBeDefined();
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
