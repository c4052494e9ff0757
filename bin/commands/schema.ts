import type { Command } from 'commander';
import { topologyJsonSchema } from '../../constructs';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the topology spec (for editor completion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
    });
}
