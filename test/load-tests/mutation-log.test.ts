import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMutationLog } from '../../load-tests/local-state/mutation-log';

describe('mutation log', () => {
  it('replays what was appended before a restart, in order', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-')), 'nested', 'store.jsonl');
    const first = openMutationLog<{ op: string; id: number }>(file);
    expect(first.replay).toEqual([]);
    first.append({ op: 'put', id: 1 });
    first.append({ op: 'delete', id: 1 });
    first.close();
    const second = openMutationLog<{ op: string; id: number }>(file);
    expect(second.replay).toEqual([{ op: 'put', id: 1 }, { op: 'delete', id: 1 }]);
    second.append({ op: 'put', id: 2 });
    second.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('drops a torn last line (a crash mid-write) but refuses damage in the middle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, '{"id":1}\n{"id":2}\n');
    appendFileSync(torn, '{"id":');
    expect(openMutationLog(torn).replay).toEqual([{ id: 1 }, { id: 2 }]);
    const damaged = join(dir, 'damaged.jsonl');
    writeFileSync(damaged, '{"id":1}\nnot json\n{"id":3}\n');
    expect(() => openMutationLog(damaged)).toThrow(/damaged\.jsonl: line 2 is not JSON/);
  });

  it('keeps nothing without a directory', () => {
    const log = openMutationLog<number>(undefined);
    log.append(1);
    expect(log.replay).toEqual([]);
  });
});
