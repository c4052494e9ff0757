/**
 * The ids cdk-nag gives wildcard findings (`AwsSolutions-IAM5[Resource::<flattened ARN>]`), so an
 * acknowledgment names exactly the resource it accepts and nothing else (SUP-01: no prefix match).
 * References are flattened the way cdk-nag does it: `Ref` → `<Id>`, `Fn::GetAtt` → `<Id.Attr>`,
 * `Fn::Join` joined, `${…}` → `<…>` (cdklabs/cdk-nag `src/utils/flatten-cfn-reference.ts`).
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(arn))}]`;
}

function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Fn::Sub' in record) return flattenReference(record['Fn::Sub']);
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if ('Fn::ImportValue' in record) return flattenReference(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flattenReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
