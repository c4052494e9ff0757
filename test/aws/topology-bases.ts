/**
 * The topologies the AWS suites run over: the three presets and every fixture, as the user wrote
 * them (inputs, so a suite can change a copy before parsing).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { presetInput, type TopologyInput } from '../../constructs';

export const BASES = {
  dev: () => presetInput('dev'),
  staging: () => presetInput('staging'),
  prod: () => presetInput('prod'),
  'news.yaml': () => fixture('news.yaml'),
  'gcp-gaps.yaml': () => fixture('gcp-gaps.yaml'),
  'existing-network.yaml': () => fixture('conformance/existing-network.yaml'),
  'pgvector-redis.yaml': () => fixture('conformance/pgvector-redis.yaml'),
  'right-sized-variants.yaml': () => fixture('conformance/right-sized-variants.yaml'),
  't4-three-variants.yaml': () => fixture('conformance/t4-three-variants.yaml'),
} as const satisfies Record<string, () => TopologyInput>;

export type Base = keyof typeof BASES;

function fixture(path: string): TopologyInput {
  return parse(readFileSync(`test/fixtures/${path}`, 'utf8')) as TopologyInput;
}
