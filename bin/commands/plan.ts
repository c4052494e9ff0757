import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { resolveTopology, shapeWarnings, type ResolvedTopology } from '../../constructs';
import { formatTable } from '../format-table';
import { choiceOption } from '../options/choice';
import { addPricesOption, pricingCatalog, type PricesFlag } from '../options/prices';
import { printWarnings } from '../print-warnings';
import { UsageError } from '../options/usage-error';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';
import type { PlanGcpOptions } from '../../gcp/plan';
import { readStackConfig } from '../pulumi-stack-config';

/** Where Pulumi.yaml and the stack files live: the project root. */
const PULUMI_ROOT = resolvePath(__dirname, '..', '..');
const CONFIG = 'ml-serving-stacks';

/**
 * What `pulumi preview --stack <name>` would hand the program: the stack's topology, project and
 * region, merged from Pulumi.yaml and Pulumi.<name>.yaml by the CLI's rules.
 */
function gcpStackPlan(cloud: PlanCloud, stack: string, selection: TopologySelection): { resolved: ResolvedTopology; options: PlanGcpOptions; note?: string } {
  if (cloud !== 'gcp') throw new UsageError(`--stack: a Pulumi stack is a GCP plan; for aws, pick the topology with --env or --topology`);
  if (selection.env || selection.topology) throw new UsageError(`--stack: the stack file picks the topology; drop --env and --topology`);
  let config: Map<string, unknown>;
  try {
    config = readStackConfig(PULUMI_ROOT, stack);
  } catch (e) {
    throw new UsageError(`--stack: ${(e as Error).message}`);
  }
  const text = (key: string) => (config.get(key) as string | undefined) || undefined;
  const file = text(`${CONFIG}:topologyFile`);
  const resolved = resolveTopology(
    selectTopology(
      { env: text(`${CONFIG}:environment`), topology: file ? resolvePath(PULUMI_ROOT, file) : undefined },
      { env: `${CONFIG}:environment (Pulumi.${stack}.yaml)`, topology: `${CONFIG}:topologyFile` },
    ),
  );
  const region = text('gcp:region');
  if (region && region !== resolved.regions.gcp) {
    throw new UsageError(`--stack: gcp:region in Pulumi.${stack}.yaml is ${region}, but the topology's regions.gcp is ${resolved.regions.gcp}; make them agree`);
  }
  const project = text('gcp:project');
  return {
    resolved,
    options: {
      project,
      projectNumber: text(`${CONFIG}:projectNumber`),
      createConnectionPolicies: config.get(`${CONFIG}:createConnectionPolicies`) === 'true',
      loadGenerator: String(config.get(`${CONFIG}:loadgen`)) === 'true' ? { image: text(`${CONFIG}:loadgenImage`) } : undefined,
    },
    note: project ? undefined : `gcp:project is not set in Pulumi.${stack}.yaml: planned in a placeholder project (pulumi config set gcp:project <your-project-id> --stack ${stack})`,
  };
}

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
  /** GCP: the resources it waits for (and a destroy removes it before them). */
  readonly dependsOn?: readonly string[];
  /** GCP: the resource options that guard data in production. */
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  /** GCP: the URNs it had before it moved, when it moved (`pulumi up` moves it instead of replacing it). */
  readonly aliases?: readonly string[];
}

/**
 * GCP: the Pulumi program under mocks (`planGcp`), cloud resources only (components are the
 * groups). AWS: the synthesized CloudFormation templates' Resources. Each back-end is imported
 * when asked for, so a GCP plan does not load CDK and an AWS plan does not load Pulumi.
 */
export interface PlanOptions {
  readonly gcp?: PlanGcpOptions;
  /** AWS: bundle the Lambda code as `cdk synth` does (a placeholder hash otherwise). @default true */
  readonly bundleAssets?: boolean;
}

export async function planRows(cloud: PlanCloud, resolved: ResolvedTopology, options: PlanOptions = {}): Promise<{ rows: PlanRow[]; raw: unknown }> {
  if (cloud === 'gcp') {
    const { planGcp } = await import('../../gcp/plan');
    const resources = await planGcp(resolved, options.gcp);
    const nameOf = (urn?: string) => (urn ? urn.slice(urn.lastIndexOf('::') + 2) : '');
    const rows = resources
      .filter((r) => r.custom)
      .map((r) => ({
        group: nameOf(r.parent),
        type: r.type,
        name: r.name,
        inputs: r.inputs,
        urn: r.urn,
        dependsOn: r.dependsOn,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        ...(r.aliases.length > 0 && { aliases: r.aliases }),
      }));
    return { rows, raw: resources };
  }
  const { synthesizeServingTemplates } = await import('../../aws/synthesize');
  const templates = synthesizeServingTemplates(resolved, { bundleAssets: options.bundleAssets });
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
    .addOption(choiceOption('--cloud <cloud>', `which cloud: ${PLAN_CLOUDS.join(' | ')}`, PLAN_CLOUDS).makeOptionMandatory())
    .option('--stack <name>', 'gcp: plan a Pulumi stack as `pulumi preview --stack <name>` would: its topology, gcp:project and gcp:region from Pulumi.<name>.yaml')
    .option('--loadgen', 'gcp: include the load generator job, as the stack config ml-serving-stacks:loadgen true (its image from ml-serving-stacks:loadgenImage with --stack, else a placeholder)')
    .option('--json', 'print the full plan as JSON: every resource with all its inputs, and the warnings as warnings[]')
    .action(async (options: TopologySelection & PricesFlag & { cloud: PlanCloud; stack?: string; json?: boolean; loadgen?: boolean }) => {
      const { cloud } = options;
      const stack = options.stack === undefined ? undefined : gcpStackPlan(cloud, options.stack, options);
      const resolved = stack?.resolved ?? resolveTopology(selectTopology(options));
      if (stack?.note) process.stderr.write(`note: ${stack.note}\n`);
      const warnings = shapeWarnings(resolved, pricingCatalog(options));
      printWarnings(warnings);
      if (options.loadgen && cloud !== 'gcp') throw new UsageError('--loadgen: a GCP plan option; for aws, synthesize with cdk synth -c loadgen=true');
      const loadGenerator = options.loadgen || stack?.options.loadGenerator ? { image: stack?.options.loadGenerator?.image } : undefined;
      if (loadGenerator && loadGenerator.image === undefined) {
        const { PLACEHOLDER_LOADGEN_IMAGE } = await import('../../gcp/load-generator-job');
        process.stderr.write(`note: no load generator image (ml-serving-stacks:loadgenImage): the job is planned with the placeholder ${PLACEHOLDER_LOADGEN_IMAGE}, which pulumi up refuses\n`);
      }
      const { rows } = await planRows(cloud, resolved, { gcp: { ...stack?.options, loadGenerator } });
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
