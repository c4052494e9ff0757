/**
 * `endpoints[].sharing` on Vertex AI: a deployment resource pool when every member runs the same
 * Vertex prebuilt TensorFlow or PyTorch container, dedicated replicas (a parity note naming why)
 * otherwise; a pooled model does not scale to zero there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology } from '../../constructs';

const PYTORCH = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest';

/** The quiet fixture (embedder and reranker on one L4 pool, the reranker at zero), with these GCP images. */
function quiet(embedderImage: string, rerankerImage: string) {
  const input = parse(readFileSync(join(__dirname, '..', 'fixtures', 'scale-to-zero.yaml'), 'utf8')) as { endpoints: { model: { image: { gcp: string } } }[] };
  input.endpoints[0].model.image.gcp = embedderImage;
  input.endpoints[1].model.image.gcp = rerankerImage;
  return resolveTopology(parseTopology(input));
}

describe('sharing on Vertex AI', () => {
  it('deploys both members to one deployment resource pool, with one CMEK key, when both run the same prebuilt PyTorch container', () => {
    const resolved = quiet(PYTORCH, PYTORCH);
    const [embedder, reranker] = resolved.endpoints;
    expect(embedder.gcp.deploymentResourcePool).toEqual(reranker.gcp.deploymentResourcePool);
    expect(embedder.gcp.deploymentResourcePool).toMatchObject({ pool: 'gpu', poolId: expect.stringMatching(/^quiet-dev-gpu-[0-9a-f]{6}$/), minReplicaCount: 1 });
    expect(reranker.gcp.keyName).toBe(embedder.gcp.keyName);
    // The pool keeps a replica: the reranker at min 0 does not scale to zero on Vertex, and says so.
    expect(reranker.gcp.scaleToZero).toBeUndefined();
    const notes = resolved.parity.filter((n) => n.cloud === 'gcp' && n.path.startsWith('endpoints[1]'));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'endpoints[1].sharing', realisedAs: expect.stringContaining('deployment resource pool quiet-dev-gpu-') }),
        expect.objectContaining({ path: 'endpoints[1].scaling.min', realisedAs: expect.stringContaining('no scale to zero') }),
      ]),
    );
  });

  it('keeps dedicated replicas, and a parity note naming the image, for a custom container or two different images', () => {
    const custom = quiet(PYTORCH, 'us-docker.pkg.dev/news-serving/models/reranker:0.9.3');
    expect(custom.endpoints.map((e) => e.gcp.deploymentResourcePool)).toEqual([undefined, undefined]);
    expect(custom.endpoints[1].gcp.scaleToZero).toMatchObject({ idleScaledownPeriodSeconds: 900 });
    expect(custom.parity.find((n) => n.path === 'endpoints[0].sharing')?.reason).toContain("custom containers aren't supported");
    const two = quiet(PYTORCH, 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-3:latest');
    expect(two.parity.find((n) => n.path === 'endpoints[1].sharing')?.reason).toContain('the same container image');
  });
});
