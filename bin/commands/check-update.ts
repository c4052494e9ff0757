/**
 * `serving-stacks check-update`: will moving a deployed stack from one topology to another deploy,
 * and what does it replace? Exit 0: every change deploys and nothing holding data is replaced; 1: a
 * change would be rejected or would replace a resource holding data; 2: bad input.
 */
import type { Command, CommanderError } from 'commander';
import { isPresetEnvironment, loadTopologyFile, preset, PRESET_ENVIRONMENTS, resolveTopology, type ResolvedTopology } from '../../constructs';
import type { UpdateReport } from '../../aws/check-update';
import { formatTable } from '../format-table';

export const CHECK_UPDATE_CLOUDS = ['aws', 'gcp'] as const;

/** Exit codes of check-update. */
const EXIT = { deployable: 0, notDeployable: 1, badInput: 2 } as const;

interface CheckUpdateOptions {
  readonly cloud?: string;
  readonly from?: string;
  readonly fromEnv?: string;
  readonly to?: string;
  readonly toEnv?: string;
  readonly json?: boolean;
}

/** Bad input: printed as is, exit 2. */
class CheckUpdateInputError extends Error {
  override readonly name = 'CheckUpdateInputError';
}

export function registerCheckUpdate(program: Command): void {
  program
    .command('check-update')
    .description('whether moving a stack from one topology to another deploys: each resource change (update in place, replacement, or rejected) with the reason and the remedy')
    .option('--cloud <cloud>', 'which cloud: aws (gcp is not covered yet)')
    .option('--from <file>', 'the deployed topology, as a file')
    .option('--from-env <name>', `the deployed topology, as a preset: ${PRESET_ENVIRONMENTS.join(', ')}`)
    .option('--to <file>', 'the topology to deploy, as a file')
    .option('--to-env <name>', `the topology to deploy, as a preset: ${PRESET_ENVIRONMENTS.join(', ')}`)
    .option('--json', 'print { changes: [{ logicalId, type, action, holdsData, reason, remedy }], deployable }')
    // Usage errors commander finds (an unknown option) are bad input too: exit 2, after its message.
    .exitOverride((e: CommanderError) => process.exit(e.exitCode === 0 ? 0 : EXIT.badInput))
    .action(async (options: CheckUpdateOptions) => {
      let from: ResolvedTopology;
      let to: ResolvedTopology;
      try {
        if (options.cloud === 'gcp') throw new CheckUpdateInputError('--cloud gcp: not covered yet; check-update knows CloudFormation, SageMaker and Application Auto Scaling rules only (use --cloud aws)');
        if (options.cloud !== 'aws') {
          throw new CheckUpdateInputError(options.cloud === undefined ? '--cloud is required: aws' : `--cloud: "${options.cloud}" is not a cloud; choose aws (gcp is not covered yet)`);
        }
        from = resolveTopology(selectOne('from', options.from, options.fromEnv));
        to = resolveTopology(selectOne('to', options.to, options.toEnv));
      } catch (e) {
        if (e instanceof Error && ['CheckUpdateInputError', 'TopologyError'].includes(e.name)) {
          process.stderr.write(`error: ${e.message}\n`);
          process.exitCode = EXIT.badInput;
          return;
        }
        throw e;
      }
      const { checkTopologyUpdate, StackMismatchError } = await import('../../aws/check-update');
      let report: UpdateReport;
      try {
        report = checkTopologyUpdate(from, to);
      } catch (e) {
        if (e instanceof StackMismatchError || (e instanceof Error && e.name === 'ServingPropsError')) {
          process.stderr.write(`error: ${e.message}\n`);
          process.exitCode = EXIT.badInput;
          return;
        }
        throw e;
      }
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(from, report)}\n`);
      process.exitCode = report.deployable ? EXIT.deployable : EXIT.notDeployable;
    });
}

/** Exactly one of `--<side> <file>` and `--<side>-env <name>`. */
function selectOne(side: 'from' | 'to', file: string | undefined, env: string | undefined) {
  if (file && env) throw new CheckUpdateInputError(`--${side} and --${side}-env: give one of them, not both`);
  if (file) return loadTopologyFile(file);
  if (!env) throw new CheckUpdateInputError(`--${side} <file> or --${side}-env <name> is required`);
  if (!isPresetEnvironment(env)) throw new CheckUpdateInputError(`--${side}-env: no preset "${env}"; presets are ${PRESET_ENVIRONMENTS.join(', ')} (or pass --${side} <file>)`);
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
