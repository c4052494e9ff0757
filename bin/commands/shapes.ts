import type { Command } from 'commander';
import { INSTANCE_SHAPES, shapeRealisation } from '../../constructs';
import { formatTable } from '../format-table';

export function registerShapes(program: Command): void {
  program
    .command('shapes')
    .description('list the instance-shape catalog: each neutral shape with its SageMaker and Vertex realisation')
    .option('--json', 'print the catalog as JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        process.stdout.write(`${JSON.stringify(INSTANCE_SHAPES, null, 2)}\n`);
        return;
      }
      const rows = INSTANCE_SHAPES.map((s) => [
        s.id,
        `${s.vcpus}`,
        `${s.memoryGiB}`,
        s.accelerator.type === 'none' ? '-' : `${s.accelerator.count} × ${s.accelerator.type}`,
        shapeRealisation(s, 'aws'),
        shapeRealisation(s, 'gcp'),
        s.gap ? `${s.gap.cloud}: ${s.gap.reason}` : '',
      ]);
      process.stdout.write(`${formatTable(['shape', 'vCPUs', 'GiB', 'accelerator', 'SageMaker', 'Vertex', 'gap'], rows)}\n`);
    });
}
