import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FIELD_TABLE_END, FIELD_TABLE_START, topologyFieldTable, topologyJsonSchema, withTopologyFieldTable } from '../../constructs';
import { UsageError } from '../options/usage-error';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the topology spec (for editor completion)')
    .option(
      '--markdown [file]',
      `print the topology's field reference as a Markdown table instead; with a file, replace the table between its ${FIELD_TABLE_START} and ${FIELD_TABLE_END} lines`,
    )
    .action((opts: { markdown?: string | true }) => {
      if (opts.markdown === undefined) {
        process.stdout.write(`${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
      } else if (opts.markdown === true) {
        process.stdout.write(topologyFieldTable());
      } else {
        updateFieldTable(opts.markdown);
      }
    });
}

function updateFieldTable(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const updated = withTopologyFieldTable(text);
  if (updated === undefined) {
    throw new UsageError(`${file} has no field table to replace: add a line ${FIELD_TABLE_START} and, after it, a line ${FIELD_TABLE_END}`);
  }
  writeFileSync(file, updated);
  process.stdout.write(`${file}: field table ${updated === text ? 'already up to date' : 'updated'}\n`);
}
