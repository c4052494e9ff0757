import { describe, expect, it } from 'vitest';
import { formatTable, setTableWidth } from '../../bin/format-table';

const header = ['setting', 'AWS', 'reason'];
const rows = [
  ['endpoints[].compute', 'ml.g6.xlarge', 'No A10G on Google Cloud (served on L4); A100 is 8-GPU only on SageMaker, so a request for one GPU gets eight'],
  ['featureCache', 'ElastiCache Serverless Valkey', 'none'],
];
const widest = (table: string) => Math.max(...table.split('\n').map((line) => line.length));

describe('formatTable', () => {
  it('keeps every row on one line at full width', () => {
    const table = formatTable(header, rows, Number.POSITIVE_INFINITY);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain(rows[0][2]);
  });

  it.each([100, 80, 60])('fits a %i-column terminal, wrapping the prose column first and keeping short words whole', (width) => {
    const table = formatTable(header, rows, width);
    expect(widest(table)).toBeLessThanOrEqual(width);
    expect(table).toContain('endpoints[].compute');
    expect(table).toContain('ElastiCache');
    expect(table).toContain('Serverless');
    expect(table.replace(/\s+/g, ' ')).toContain('No A10G on');
  });

  it('breaks a word only when a column is narrower than the word', () => {
    const table = formatTable(['a', 'b'], [['x', 'supercalifragilistic']], 12);
    expect(widest(table)).toBeLessThanOrEqual(12);
    expect(table.split('\n').slice(2).map((l) => l.slice(3).trim()).join('')).toBe('supercalifragilistic');
  });

  it('fits the terminal only when stdout is one and --wide is not given', () => {
    setTableWidth({}, { isTTY: true, columns: 50 });
    expect(widest(formatTable(header, rows))).toBeLessThanOrEqual(50);
    setTableWidth({ wide: true }, { isTTY: true, columns: 50 });
    expect(formatTable(header, rows).split('\n')).toHaveLength(4);
    setTableWidth({}, { isTTY: false, columns: 50 });
    expect(formatTable(header, rows).split('\n')).toHaveLength(4);
  });
});
