/** The pipeline's queue and workers on a virtual clock: batching, slots, document groups, backlog. */
import { describe, expect, it } from 'vitest';
import { runPipelineQueue, type PipelineWorkers } from '../../load-tests/simulator/pipeline-queue';

const at = (...seconds: number[]) => Float64Array.from(seconds);
const workers = (over: Partial<PipelineWorkers> = {}): PipelineWorkers => ({
  instances: 1,
  slotsPerInstance: 1,
  messagesPerHandling: 1,
  handlingSeconds: () => 1,
  ...over,
});

describe('runPipelineQueue', () => {
  it('hands a waiting burst to one worker in batches of up to messagesPerHandling, oldest first', () => {
    const sizes: number[] = [];
    const run = runPipelineQueue(at(0, 0, 0, 0, 0), workers({ messagesPerHandling: 3, handlingSeconds: (n) => (sizes.push(n), 2) }));
    // The first arrival starts alone (no batching window); the other four wait, then go 3 + 1.
    expect(sizes).toEqual([1, 3, 1]);
    expect([...run.searchableAt]).toEqual([2, 4, 4, 4, 6]);
    expect(run.handlings).toBe(3);
    expect(run.peakBacklog).toBe(4);
  });

  it('runs slotsPerInstance handlings at once on one instance and bills the instance once while any runs', () => {
    const run = runPipelineQueue(at(0, 0, 0.5), workers({ slotsPerInstance: 3, handlingSeconds: () => 1 }));
    expect([...run.searchableAt]).toEqual([1, 1, 1.5]);
    expect(run.handlingSeconds).toBe(3);
    expect(run.instanceBusySeconds).toBe(1.5);
  });

  it('holds a message back while its document group has one in flight', () => {
    const grouped = runPipelineQueue(at(0, 0.1), workers({ instances: 2 }), [7, 7]);
    expect([...grouped.searchableAt]).toEqual([1, 2]);
    const distinct = runPipelineQueue(at(0, 0.1), workers({ instances: 2 }), [7, 8]);
    expect([...distinct.searchableAt]).toEqual([1, 1.1]);
  });

  it('more instances drain the same burst sooner', () => {
    const burst = at(...Array.from({ length: 40 }, () => 0));
    const last = (instances: number) => Math.max(...runPipelineQueue(burst, workers({ instances, messagesPerHandling: 2 })).searchableAt);
    // Each idle worker takes the first arrivals one by one as they come; the rest go two at a time.
    expect(last(2)).toBe(1 + 19 / 2 + 0.5);
    expect(last(4)).toBe(1 + Math.ceil(36 / 2 / 4));
  });

  it('fails on workers that cannot run, naming the field', () => {
    expect(() => runPipelineQueue(at(0), workers({ instances: 0 }))).toThrow('pipeline workers: instances must be a whole number >= 1, got 0');
  });
});
