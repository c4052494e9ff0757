import type { Command } from 'commander';
import { loadTopologyFile, resolveTopology } from '../../constructs';
import { countNoun } from '../count-noun';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate a topology file; lists every problem with its path, the bad value and what is allowed')
    .argument('<file>', 'topology file (YAML or JSON)')
    .option('--json', 'print the resolved topology as JSON')
    .action((file: string, options: { json?: boolean }) => {
      const resolved = resolveTopology(loadTopologyFile(file));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
        return;
      }
      const variants = resolved.endpoints.reduce((n, e) => n + e.variants.length, 0);
      process.stdout.write(
        `${file}: valid. ${resolved.name}/${resolved.environment}${resolved.production ? ' (production)' : ''}: ` +
          `${countNoun(resolved.endpoints.length, 'endpoint')} (${countNoun(variants, 'variant')}), ${countNoun(resolved.queues.length, 'queue')}` +
          `${resolved.featureCache ? ', feature cache' : ''}${resolved.vectorStore ? ', vector store' : ''}; ` +
          `${countNoun(resolved.parity.length, 'parity note')} (serving-stacks parity --topology ${file})\n`,
      );
    });
}
