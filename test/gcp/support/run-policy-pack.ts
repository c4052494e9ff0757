/**
 * Runs policies the way `pulumi preview --policy-pack` would, over hand-built resources or the
 * resources of a mocked program run (the mocks bridge, security-rules.md §3). Resource options
 * are not known to mocks; they are reported as Pulumi's defaults.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { PlannedResource } from '../../../gcp/plan';
import type { GcpPolicyConfig } from '../../../gcp/policy/policies';

export interface Violation {
  readonly policy: string;
  readonly message: string;
  readonly urn?: string;
}

export interface ResourceLike {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  readonly urn?: string;
}

const DEFAULT_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function notApplicable(reason?: string): never {
  throw new Error(`not applicable: ${reason ?? ''}`);
}

export function resourceArgs(r: ResourceLike, config: GcpPolicyConfig = {}): ResourceValidationArgs {
  const name = r.name ?? 'test-resource';
  return {
    type: r.type,
    props: r.props,
    urn: r.urn ?? `urn:pulumi:test::ml-serving-stacks::${r.type}::${name}`,
    name,
    opts: DEFAULT_OPTIONS,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

function policyResource(r: ResourceLike): PolicyResource {
  const args = resourceArgs(r);
  return { ...args, dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined };
}

export function stackArgs(resources: readonly ResourceLike[], config: GcpPolicyConfig = {}): StackValidationArgs {
  return { resources: resources.map(policyResource), stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Every violation the policies report for these resources. */
export async function runPolicies(policies: readonly AnyPolicy[], resources: readonly ResourceLike[], config: GcpPolicyConfig = {}): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const policy of policies) {
    if ('validateStack' in policy) {
      await policy.validateStack(stackArgs(resources, config), (message, urn) => found.push({ policy: policy.name, message, urn }));
      continue;
    }
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    for (const r of resources) {
      for (const validate of validations) {
        await validate(resourceArgs(r, config), (message, urn) => found.push({ policy: policy.name, message, urn: urn ?? r.urn }));
      }
    }
  }
  return found;
}

/** The cloud resources of a plan, as the policy engine sees them. */
export function fromPlan(plan: readonly PlannedResource[]): ResourceLike[] {
  return plan.filter((r) => r.custom).map((r) => ({ type: r.type, props: { ...r.inputs }, name: r.name, urn: r.urn }));
}
