/**
 * Usage the topology does not state but request-priced services bill for. Scenario defaults,
 * printed with every cost so nobody mistakes them for measurements; override per run.
 */
export interface CostAssumptions {
  /** Messages per second through each queue (published once, delivered once). */
  readonly queueMessagesPerSecond: number;
  readonly messageBytes: number;
  /** Feature-cache reads and writes per second, and the size of one item. */
  readonly cacheRequestsPerSecond: number;
  readonly cacheItemKiB: number;
}

/** [U] Scenario: 10 messages/s of 1 KiB per queue, 100 cache requests/s of 1 KiB. */
export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  queueMessagesPerSecond: 10,
  messageBytes: 1024,
  cacheRequestsPerSecond: 100,
  cacheItemKiB: 1,
};

export function describeAssumptions(a: CostAssumptions): string {
  return `${a.queueMessagesPerSecond} messages/s of ${a.messageBytes} B per queue; ${a.cacheRequestsPerSecond} cache requests/s of ${a.cacheItemKiB} KiB`;
}
