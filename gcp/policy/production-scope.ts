/**
 * Which stacks the production policies apply to: the stack's policy config (`production`), else
 * the `environment` label our resources carry. The counterpart of aws/policy/production-scope.ts.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { labelsOf, type Props } from './private/props';

/**
 * Policy config. Production is decided per stack: explicitly (`production`), or by the
 * `environment` label our resources carry.
 */
export interface GcpPolicyConfig {
  readonly production?: boolean;
  readonly productionEnvironments?: readonly string[];
}

export const POLICY_CONFIG_SCHEMA = {
  properties: {
    production: { type: 'boolean' as const, description: 'Apply the production rules to this stack.' },
    productionEnvironments: {
      type: 'array' as const,
      items: { type: 'string' as const },
      default: ['prod'],
      description: 'Values of the `environment` label that mark a production stack.',
    },
  },
};

/** Whether the stack is production: config first, else any resource's `environment` label. */
export function isProductionStack(resources: readonly Pick<PolicyResource, 'props'>[], config: GcpPolicyConfig): boolean {
  if (config.production !== undefined) return config.production;
  const environments = config.productionEnvironments ?? ['prod'];
  return resources.some((r) => environments.includes(labelsOf(r.props as Props).environment));
}

/** A mandatory stack policy that checks production stacks only. */
export function productionPolicy(name: string, description: string, check: (resources: PolicyResource[], report: ReportViolation) => void): StackValidationPolicy {
  return {
    name,
    description,
    configSchema: POLICY_CONFIG_SCHEMA,
    enforcementLevel: 'mandatory',
    validateStack: (args: StackValidationArgs, report: ReportViolation): void => {
      if (isProductionStack(args.resources, args.getConfig<GcpPolicyConfig>())) check(args.resources, report);
    },
  };
}
