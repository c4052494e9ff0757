import { z } from 'zod';
import { topologySchema } from './topology-schema';

/**
 * The JSON Schema of what a user may write (zod's input side: defaults make fields optional).
 * Point an editor at it with `$schema` in the topology file, or a yaml-language-server comment.
 */
export function topologyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(topologySchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/ml-serving-stacks/ml-serving-stacks/topology.schema.json',
    title: 'ml-serving-stacks topology',
  };
}
