/**
 * The assumption register: every modelling number the comparison rests on that is not a price
 * (prices live in the price lists, with the same V/S/U tags). `serving-stacks assumptions` prints it.
 * Where no source distinguishes the clouds, one entry with cloud `both` gives both the same value.
 */
import type { Assumption } from './assumption';

export const ASSUMPTIONS: readonly Assumption[] = [
  {
    name: 'replica.queue-limit',
    cloud: 'both',
    value: 100,
    unit: 'requests per replica',
    source: 'https://pytorch.org/serve/configuration.html',
    tag: 'S',
    low: 100,
    high: 100,
    favourableEnd: 'higher',
    description:
      "Requests one replica holds waiting beyond those in service before refusing more: TorchServe's default job_queue_size (answers 503 when full, pytorch/serve#1528). Neither cloud publishes its own admission limit.",
  },
];
