/**
 * A synthesized CloudFormation template as `check-update` reads it: resources, the references between
 * them (`Ref`, `Fn::GetAtt`, `Fn::Sub`), and string values rendered where they are literal.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DependsOn?: string | readonly string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

/** Whether `value` is a template: an object with a `Resources` map. */
export function isCfnTemplate(value: unknown): value is CfnTemplate {
  const resources = (value as { Resources?: unknown } | null)?.Resources;
  return typeof resources === 'object' && resources !== null && !Array.isArray(resources);
}

/** Logical ids a property value refers to, through `Ref`, `Fn::GetAtt` or `${…}` in `Fn::Sub`. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && !inner.startsWith('AWS::')) into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) {
          if (!match[1].startsWith('AWS')) into.add(match[1]);
        }
        if (Array.isArray(inner)) referencedIds(inner[1], into);
      } else referencedIds(inner, into);
    }
  }
  return into;
}

/**
 * A string property rendered as far as the template allows: literals as they are, `Fn::Join` joined,
 * and `Fn::GetAtt` of a resource's name attribute replaced by that resource's literal name property
 * (`EndpointName` of an endpoint). Undefined when any part is not known before deployment.
 */
export function renderString(value: unknown, template: CfnTemplate): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) {
    const parts = join[1].map((part) => renderString(part, template));
    return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) {
    const literal = template.Resources[getAtt[0]]?.Properties?.[getAtt[1]];
    return typeof literal === 'string' ? literal : undefined;
  }
  return undefined;
}

/** The logical ids a resource waits for with `DependsOn`. */
export function dependsOn(resource: CfnResource): string[] {
  if (resource.DependsOn === undefined) return [];
  return typeof resource.DependsOn === 'string' ? [resource.DependsOn] : [...resource.DependsOn];
}
