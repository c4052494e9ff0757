/**
 * `serving-stacks check-update`: will moving a deployed stack from one topology to another deploy,
 * and what does it replace? Exit 0: every change deploys and nothing holding data is replaced; 1: a
 * change would be rejected or would replace a resource holding data; 2: bad input.
 */
import type { Command } from 'commander';
import { isPresetEnvironment, loadTopologyFile, preset, PRESET_ENVIRONMENTS, resolveTopology, type ResolvedTopology } from '../../constructs';
import { formatTable } from '../format-table';
import { choiceOption } from '../options/choice';
import { UsageError } from '../options/usage-error';
import type { UpdateReport } from '../../aws/check-update';

export const CHECK_UPDATE_CLOUDS = ['aws', 'gcp'] as const;

/** check-update's answer as its exit code; bad input exits 2 (bin/exit-codes.ts). */
const EXIT = { deployable: 0, notDeployable: 1 } as const;

interface CheckUpdateOptions {
  readonly cloud?: (typeof CHECK_UPDATE_CLOUDS)[number];
  readonly from?: string;
  readonly fromEnv?: string;
  readonly to?: string;
  readonly toEnv?: string;
  readonly json?: boolean;
}

export function registerCheckUpdate(program: Command): void {
  program
    .command('check-update')
    .description('whether moving a stack from one topology to another deploys: each resource change (update in place, replacement, or rejected) with the reason and the remedy')
    .addOption(choiceOption('--cloud <cloud>', 'which cloud: aws (gcp is not covered yet)', CHECK_UPDATE_CLOUDS))
    .option('--from <file>', 'the deployed topology, as a file')
    .option('--from-env <name>', `the deployed topology, as a preset: ${PRESET_ENVIRONMENTS.join(', ')}`)
    .option('--to <file>', 'the topology to deploy, as a file')
    .option('--to-env <name>', `the topology to deploy, as a preset: ${PRESET_ENVIRONMENTS.join(', ')}`)
    .option('--json', 'print { changes: [{ logicalId, type, action, holdsData, reason, remedy }], deployable }')
    .action(async (options: CheckUpdateOptions) => {
      if (options.cloud === 'gcp') throw new UsageError('--cloud gcp: not covered yet; check-update knows CloudFormation, SageMaker and Application Auto Scaling rules only (use --cloud aws)');
      if (options.cloud === undefined) throw new UsageError('--cloud is required: aws');
      const from = resolveTopology(selectOne('from', options.from, options.fromEnv));
      const to = resolveTopology(selectOne('to', options.to, options.toEnv));
      const { checkTopologyUpdate } = await import('../../aws/check-update');
      const report: UpdateReport = checkTopologyUpdate(from, to);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(from, report)}\n`);
      process.exitCode = report.deployable ? EXIT.deployable : EXIT.notDeployable;
    });
}

/** Exactly one of `--<side> <file>` and `--<side>-env <name>`. */
function selectOne(side: 'from' | 'to', file: string | undefined, env: string | undefined) {
  if (file && env) throw new UsageError(`--${side} and --${side}-env: give one of them, not both`);
  if (file) return loadTopologyFile(file);
  if (!env) throw new UsageError(`--${side} <file> or --${side}-env <name> is required`);
  if (!isPresetEnvironment(env)) throw new UsageError(`--${side}-env: no preset "${env}"; presets are ${PRESET_ENVIRONMENTS.join(', ')} (or pass --${side} <file>)`);
  return preset(env);
}

function formatReport(from: ResolvedTopology, report: UpdateReport): string {
  const stack = `${from.name}-${from.environment}-serving`;
  if (report.changes.length === 0) return `${stack}: no resource changes.`;
  const rows = report.changes.map((c) => [c.action, c.logicalId, c.type.replace(/^AWS::/, ''), c.holdsData ? 'yes' : '', c.remedy ? `${c.reason}. Remedy: ${c.remedy}` : c.reason]);
  const counts = ['add', 'update', 'replace', 'remove', 'rejected']
    .map((action) => [action, report.changes.filter((c) => c.action === action).length] as const)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} ${action}`)
    .join(', ');
  const verdict = report.deployable
    ? 'deploys: every change is accepted and nothing holding data is replaced'
    : 'does not deploy cleanly: a change is rejected or replaces a resource holding data (see the remedies)';
  return `${formatTable(['action', 'logical id', 'type', 'data', 'reason'], rows)}\n\n${stack}: ${counts}. The update ${verdict}.`;
}
