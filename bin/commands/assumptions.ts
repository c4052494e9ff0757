import type { Command } from 'commander';
import { ASSUMPTIONS, assumptionRecord } from '../../constructs';
import { formatTable } from '../format-table';

export function registerAssumptions(program: Command): void {
  program
    .command('assumptions')
    .description('list the assumption register: every modelling number the comparison rests on, with its source, tag and range')
    .option('--json', 'print the register as JSON: [{ name, cloud, value, unit, source, verified, tag, low?, high?, ... }]')
    .action((options: { json?: boolean }) => {
      const records = ASSUMPTIONS.map(assumptionRecord);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        return;
      }
      const rows = records.map((a) => [
        a.name,
        a.cloud,
        `${a.value} ${a.unit}`,
        `[${a.tag}]`,
        a.low === undefined || a.high === undefined ? '-' : `${a.low}–${a.high}${a.favourableEnd ? ` (${a.favourableEnd} favours)` : ''}`,
        a.source,
      ]);
      process.stdout.write(`${formatTable(['assumption', 'cloud', 'value', 'tag', 'range', 'source'], rows)}\n`);
      process.stdout.write('\n[V] a primary source says so; [S] a secondary source; [U] unverified or derived. Sensitivity runs move [S] and [U] values across their range.\n');
    });
}
