/**
 * Names for custom-named resources whose properties include create-only ones. CloudFormation
 * replaces a resource when a create-only property changes, and cannot replace a custom-named one in
 * place ("CloudFormation cannot update a stack when a custom-named resource requires replacing"),
 * so the name carries a short hash of those inputs: a change makes a new name, and the replacement
 * is created beside the old resource. The inputs are hashed as CloudFormation will see them (tokens
 * resolved to `Ref`/`Fn::GetAtt`, tags after every aspect), so the hash is computed at synthesis.
 */
import { Lazy, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { fitName, type NamingRule } from '../../constructs';
import { contentHash } from './content-hash';

const HASH_LENGTH = 6;

export interface CreateOnlyName {
  /** `<prefix>-<hash>`, resolved at synthesis. */
  readonly name: string;
  /** The part every generation shares: policies that must cover each generation match `<prefix>-*`. */
  readonly prefix: string;
}

/** `base` (shortened to leave room for the hash) and a hash of what `inputs()` returns at synthesis. */
export function createOnlyName(scope: IConstruct, base: string, rule: NamingRule, inputs: () => unknown): CreateOnlyName {
  const prefix = fitName([base], { ...rule, maxLength: rule.maxLength - HASH_LENGTH - 1 });
  const name = Lazy.string({ produce: () => `${prefix}-${contentHash(Stack.of(scope).resolve(inputs()), HASH_LENGTH)}` });
  return { name, prefix };
}
