/**
 * The topologies the conformance suite feeds to both clouds: the three presets, the shared
 * fixtures, and fixtures that widen coverage (test/fixtures/conformance/*.yaml, each says what it
 * adds). Each comes with the `serving-stacks parity` arguments that select it.
 */
import { loadTopologyFile, preset, type PresetEnvironment, type Topology } from '../../constructs';

export interface ConformanceTopology {
  readonly id: string;
  readonly parityArgs: readonly string[];
  readonly topology: Topology;
}

const PRESETS: readonly PresetEnvironment[] = ['dev', 'staging', 'prod'];

const FILES = [
  'test/fixtures/news.yaml',
  'test/fixtures/gcp-gaps.yaml',
  'test/fixtures/conformance/t4-three-variants.yaml',
  'test/fixtures/conformance/pgvector-redis.yaml',
  'test/fixtures/conformance/existing-network.yaml',
  'test/fixtures/conformance/right-sized-variants.yaml',
  'test/fixtures/conformance/gpu-round-up.yaml',
  'test/fixtures/conformance/pipeline-managed.yaml',
  'test/fixtures/conformance/pipeline-pgvector.yaml',
];

export const CONFORMANCE_TOPOLOGIES: readonly ConformanceTopology[] = [
  ...PRESETS.map((env) => ({ id: `preset ${env}`, parityArgs: ['--env', env], topology: preset(env) })),
  ...FILES.map((file) => ({ id: file.slice(file.lastIndexOf('/') + 1), parityArgs: ['--topology', file], topology: loadTopologyFile(file) })),
];

export function conformanceTopology(id: string): ConformanceTopology {
  const found = CONFORMANCE_TOPOLOGIES.find((t) => t.id === id);
  if (!found) throw new Error(`no conformance topology "${id}"; there are ${CONFORMANCE_TOPOLOGIES.map((t) => t.id).join(', ')}`);
  return found;
}
