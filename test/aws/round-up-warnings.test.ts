/** `cdk synth` warns on the endpoint a cloud serves on more GPUs than asked, in the words every command uses. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { newServingApp, ServingStack, servingStackId } from '../../aws';
import { loadTopologyFile, preset, resolveTopology, shapeWarnings, type ResolvedTopology } from '../../constructs';

/** [construct path, message] of every round-up warning on the topology's stack. */
function roundUpAnnotations(topology: ResolvedTopology): [string, string][] {
  const stack = new ServingStack(newServingApp(), servingStackId(topology), { topology });
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('\\[ack: mlserve:accelerator-rounded-up\\]$'))
    .map((m) => [m.id, String(m.entry.data)]);
}

describe('ServingStack round-up warnings', () => {
  it('annotates each endpoint whose GPUs a cloud rounds up, with the warning line and an id to acknowledge it by', () => {
    const topology = resolveTopology(loadTopologyFile('test/fixtures/conformance/gpu-round-up.yaml'));
    const endpointPath = { generator: 'GeneratorEndpoint', reranker: 'RerankerEndpoint', embedder: 'EmbedderEndpoint' } as Record<string, string>;
    expect(roundUpAnnotations(topology)).toEqual(
      shapeWarnings(topology).map((w) => [`/genai-dev-serving/${endpointPath[w.endpoint]}`, `${w.path}: ${w.message} [ack: mlserve:accelerator-rounded-up]`]),
    );
    expect(shapeWarnings(topology)).toHaveLength(3);
  });

  it('warns of nothing for the dev preset', () => {
    expect(roundUpAnnotations(resolveTopology(preset('dev')))).toEqual([]);
  });
});
