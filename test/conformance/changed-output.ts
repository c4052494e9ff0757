/**
 * Copies of a realisation's outputs with one resource changed or added: the positive controls of
 * the fact tests change one cloud's output and expect the comparison to notice.
 */
import type { PlannedResource } from '../../gcp/plan';
import type { CloudFormationTemplate } from './cloudformation-template';
import { isObject } from './json-values';
import type { Realisation } from './realise-topology';

export type Mutable = Record<string, unknown>;
type MutableTemplate = { Resources: Record<string, { Type: string; Properties?: Mutable }> };

/**
 * A copy of the template with the properties of one resource changed: its logical id is `path`
 * and CDK's 8-digit hash. The change also gets the whole copy, to add resources beside it.
 */
export function templateWith(r: Realisation, path: string, change: (properties: Mutable, template: MutableTemplate) => void): CloudFormationTemplate {
  const template = structuredClone(r.template) as MutableTemplate;
  const ids = Object.keys(template.Resources).filter((id) => new RegExp(`^${path}[0-9A-F]{8}$`).test(id));
  if (ids.length !== 1) throw new Error(`${ids.length} resources have the logical id ${path}<hash>`);
  const resource = template.Resources[ids[0]];
  resource.Properties ??= {};
  change(resource.Properties, template);
  return template as CloudFormationTemplate;
}

/** A copy of the plan with the inputs of the named resource changed (only those are copied: an archive input holds promises). */
export function planWith(r: Realisation, name: string, change: (inputs: Mutable) => void): PlannedResource[] {
  if (!r.plan.some((x) => x.name === name)) throw new Error(`no planned resource ${name}`);
  return r.plan.map((x) => {
    if (x.name !== name) return x;
    const inputs = structuredClone(x.inputs) as Mutable;
    change(inputs);
    return { ...x, inputs };
  });
}

/** The object at a path of keys and indexes, or an error naming the path. */
export function at(value: unknown, ...keys: (string | number)[]): Mutable {
  const found = keys.reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined), value);
  if (!isObject(found)) throw new Error(`nothing at ${keys.join('.')}`);
  return found as Mutable;
}
