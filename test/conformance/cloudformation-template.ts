/** Reading a synthesized CloudFormation template: resources by type, and what their references point at. */
import { isObject, type JsonObject } from './json-values';

export interface CloudFormationTemplate {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: JsonObject }>>;
}

export class Template {
  constructor(private readonly template: CloudFormationTemplate) {}

  all(): [string, string, JsonObject][] {
    return Object.entries(this.template.Resources).map(([id, r]) => [id, r.Type, r.Properties ?? {}]);
  }

  ofType(type: string): [string, JsonObject][] {
    return this.all()
      .filter(([, t]) => t === type)
      .map(([id, , p]) => [id, p]);
  }

  type(id: string): string | undefined {
    return this.template.Resources[id]?.Type;
  }

  props(id: string): JsonObject {
    return this.template.Resources[id]?.Properties ?? {};
  }
}

/** The logical id a `Ref` or `Fn::GetAtt` points at. */
export function referencedId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** A string property with each reference written `@ref:<logical id>` (CDK renders ARNs in JSON documents as `Fn::Join`). */
export function rendered(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const id = referencedId(value);
  if (id) return `@ref:${id}`;
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => rendered(part) ?? '@unrenderable').join(join[0]);
  }
  return undefined;
}

/** Every logical id referenced anywhere inside `value`. */
export function referencesIn(value: unknown, into = new Set<string>()): Set<string> {
  const id = referencedId(value);
  if (id) into.add(id);
  else if (Array.isArray(value)) value.forEach((v) => referencesIn(v, into));
  else if (isObject(value)) Object.values(value).forEach((v) => referencesIn(v, into));
  return into;
}
