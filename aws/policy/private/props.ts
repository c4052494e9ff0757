/**
 * Reading L1 properties the way CloudFormation will see them: tokens resolved, references flattened
 * to `<LogicalId>` / `<LogicalId.Attribute>` (the notation cdk-nag uses in finding ids), and JSON
 * policy documents built with `Stack.toJsonString` parsed back into objects.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';

export function resolve(node: CfnResource, value: unknown): unknown {
  return Stack.of(node).resolve(value);
}

export function logicalIdOf(node: CfnResource): string {
  return String(Stack.of(node).resolve(node.logicalId));
}

/** A resolved value as one string; intrinsic functions become `<Id>` / `<Id.Attr>` placeholders. */
export function flatten(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(flatten).join(',');
  const record = value as Record<string, unknown>;
  if (Array.isArray(record['Fn::Join'])) {
    const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (Array.isArray(record['Fn::GetAtt'])) {
    const [id, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(id)}.${flatten(attribute)}>`;
  }
  if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  if ('Fn::Sub' in record) return flatten(record['Fn::Sub']).replace(/\$\{([^}]*)\}/g, '<$1>');
  return JSON.stringify(value);
}

/** Whether a flattened value refers to the resource with `logicalId` (any attribute). */
export function refersTo(flattened: string, logicalId: string): boolean {
  return flattened.includes(`<${logicalId}>`) || flattened.includes(`<${logicalId}.`);
}

/** A JSON document held in a string property; undefined when it is not parseable JSON. */
export function parseJsonProperty(node: CfnResource, value: unknown): unknown {
  const text = flatten(resolve(node, value));
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An L1 property read in either casing: CDK structs are camelCase, raw overrides PascalCase. */
export function field(record: unknown, name: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const r = record as Record<string, unknown>;
  return r[name] ?? r[name[0].toUpperCase() + name.slice(1)];
}
