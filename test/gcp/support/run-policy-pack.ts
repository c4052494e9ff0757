/**
 * Runs policies the way `pulumi preview --policy-pack` would, over hand-built resources or the
 * resources of a mocked program run (the mocks bridge). The offline plan records the options that
 * guard data (`protect`); the others are Pulumi's defaults. As in @pulumi/policy's server, the
 * props are wrapped in `unknownCheckingProxy`: a rule that reads a value unknown at preview stops
 * and is reported as an advisory "can't run" instead of a violation.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { unknownCheckingProxy, UnknownValueError } from '@pulumi/policy';
import type { PlannedResource } from '../../../gcp/plan';

export interface Violation {
  readonly policy: string;
  readonly message: string;
  readonly urn?: string;
  /** A rule that could not run during preview (a value not known yet): advisory, as the server reports it. */
  readonly advisory?: true;
}

export interface ResourceLike {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  readonly urn?: string;
  readonly opts?: Partial<PolicyResourceOptions>;
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

export function resourceArgs(r: ResourceLike, config: object = {}): ResourceValidationArgs {
  const name = r.name ?? 'test-resource';
  return {
    type: r.type,
    props: unknownCheckingProxy(r.props),
    urn: r.urn ?? `urn:pulumi:test::ml-serving-stacks::${r.type}::${name}`,
    name,
    opts: { ...DEFAULT_OPTIONS, ...r.opts },
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

export function stackArgs(resources: readonly ResourceLike[], config: object = {}): StackValidationArgs {
  return { resources: resources.map(policyResource), stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Every violation the policies report for these resources. */
export async function runPolicies(policies: readonly AnyPolicy[], resources: readonly ResourceLike[], config: object = {}): Promise<Violation[]> {
  const found: Violation[] = [];
  // As the server does (@pulumi/policy server.js): an unknown value stops the rule, reported as advisory.
  const run = async (policy: AnyPolicy, call: () => unknown, urn?: string) => {
    try {
      await call();
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
      found.push({ policy: policy.name, message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}`, urn, advisory: true });
    }
  };
  for (const policy of policies) {
    if ('validateStack' in policy) {
      await run(policy, () => policy.validateStack(stackArgs(resources, config), (message, urn) => found.push({ policy: policy.name, message, urn })));
      continue;
    }
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    for (const r of resources) {
      for (const validate of validations) {
        await run(policy, () => validate(resourceArgs(r, config), (message, urn) => found.push({ policy: policy.name, message, urn: urn ?? r.urn })), r.urn);
      }
    }
  }
  return found;
}

/** The cloud resources of a plan, as the policy engine sees them. */
export function fromPlan(plan: readonly PlannedResource[]): ResourceLike[] {
  return plan.filter((r) => r.custom).map((r) => ({ type: r.type, props: { ...r.inputs }, name: r.name, urn: r.urn, opts: { protect: r.protect } }));
}
