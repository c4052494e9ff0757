import type { Command } from 'commander';
import { PARITY_MATRIX, readableParityPath, resolveTopology } from '../../constructs';
import { formatTable } from '../format-table';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';

export function registerParity(program: Command): void {
  addTopologyOptions(
    program
      .command('parity')
      .description('how each spec setting is realised on AWS and on GCP, and every gap this topology runs into, with its reason'),
  )
    .option('--json', 'print { matrix, notes } as JSON')
    .action((options: TopologySelection & { json?: boolean }) => {
      const resolved = resolveTopology(selectTopology(options));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ matrix: PARITY_MATRIX, notes: resolved.parity }, null, 2)}\n`);
        return;
      }
      const matrix = formatTable(
        ['setting', 'AWS (CDK)', 'GCP (Pulumi)', 'gap'],
        PARITY_MATRIX.map((r) => [r.setting, r.aws, r.gcp, r.gap ?? '']),
      );
      const notes = resolved.parity.length
        ? formatTable(
            ['path', 'cloud', 'deployed as', 'reason'],
            resolved.parity.map((n) => [readableParityPath(n), n.cloud, n.realisedAs, n.reason]),
          )
        : 'none: both clouds realise this topology as written.';
      process.stdout.write(
        `Parity matrix\n\n${matrix}\n\nGaps in ${resolved.name}/${resolved.environment} (${resolved.parity.length})\n\n${notes}\n`,
      );
    });
}
