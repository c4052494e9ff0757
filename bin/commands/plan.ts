import type { Command } from 'commander';
import { resolveTopology, shapeWarnings, type ResolvedTopology } from '../../constructs';
import { formatTable } from '../format-table';
import { addPricesOption, pricingCatalog, type PricesFlag } from '../prices-option';
import { printWarnings } from '../print-warnings';
import { UsageError } from '../run-cli';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../topology-option';

export const PLAN_CLOUDS = ['gcp', 'aws'] as const;
export type PlanCloud = (typeof PLAN_CLOUDS)[number];

/** One resource of either cloud's offline plan, in the shape both views share. */
export interface PlanRow {
  /** GCP: the Pulumi parent component's name; AWS: the CloudFormation stack. */
  readonly group: string;
  /** Pulumi type token or CloudFormation resource type. */
  readonly type: string;
  /** Pulumi resource name or CloudFormation logical id. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** GCP: the resource's URN in a stack named after the environment. */
  readonly urn?: string;
}

/**
 * GCP: the Pulumi program under mocks (`planGcp`), cloud resources only (components are the
 * groups). AWS: the synthesized CloudFormation templates' Resources. Each back-end is imported
 * when asked for, so a GCP plan does not load CDK and an AWS plan does not load Pulumi.
 */
export async function planRows(cloud: PlanCloud, resolved: ResolvedTopology): Promise<{ rows: PlanRow[]; raw: unknown }> {
  if (cloud === 'gcp') {
    const { planGcp } = await import('../../gcp/plan');
    const resources = await planGcp(resolved);
    const nameOf = (urn?: string) => (urn ? urn.slice(urn.lastIndexOf('::') + 2) : '');
    const rows = resources.filter((r) => r.custom).map((r) => ({ group: nameOf(r.parent), type: r.type, name: r.name, inputs: r.inputs, urn: r.urn }));
    return { rows, raw: resources };
  }
  const { synthesizeServingTemplates } = await import('../../aws/synthesize');
  const templates = synthesizeServingTemplates(resolved);
  const rows: PlanRow[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    const resources = (template as { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }).Resources ?? {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      rows.push({ group: stack, type: resource.Type, name: logicalId, inputs: resource.Properties ?? {} });
    }
  }
  return { rows, raw: templates };
}

/** A one-line digest of a resource's inputs for the table: scalars as key=value, the rest as compact JSON. */
export function summarizeInputs(inputs: Readonly<Record<string, unknown>>, maxLength = 160): string {
  const parts = Object.entries(inputs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  const text = parts.join(' ');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export function registerPlan(program: Command): void {
  const plan = addTopologyOptions(
    program
      .command('plan')
      .description('list every resource a cloud would create for the topology, offline: Pulumi under mocks (gcp) or the CDK synth (aws)'),
  )
    .requiredOption('--cloud <cloud>', `which cloud: ${PLAN_CLOUDS.join(' | ')}`)
    .option('--json', 'print the full plan as JSON: every resource with all its inputs, and the warnings as warnings[]')
    .action(async (options: TopologySelection & PricesFlag & { cloud: string; json?: boolean }) => {
      if (!(PLAN_CLOUDS as readonly string[]).includes(options.cloud)) {
        throw new UsageError(`--cloud: "${options.cloud}" is not a cloud; choose ${PLAN_CLOUDS.join(' or ')}`);
      }
      const cloud = options.cloud as PlanCloud;
      const resolved = resolveTopology(selectTopology(options));
      const warnings = shapeWarnings(resolved, pricingCatalog(options));
      printWarnings(warnings);
      const { rows } = await planRows(cloud, resolved);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ cloud, topology: resolved.name, environment: resolved.environment, warnings, resources: rows }, null, 2)}\n`);
        return;
      }
      const table = formatTable(
        ['group', 'type', 'name', 'inputs'],
        rows.map((r) => [r.group, r.type, r.name, summarizeInputs(r.inputs)]),
      );
      process.stdout.write(
        `${cloud.toUpperCase()} plan for ${resolved.name}/${resolved.environment}: ${rows.length} resources ` +
          `(offline; ${cloud === 'gcp' ? 'Pulumi program under mocks' : 'CDK synth'})\n\n${table}\n`,
      );
    });
  addPricesOption(plan);
}
