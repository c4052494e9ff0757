/**
 * The services `serving-stacks emulate` serves beside the model endpoints, from the topology:
 * one place that decides which local stand-ins a topology gets.
 */
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { LocalQueues } from '../queues/local-queues';
import type { EmulatorService } from './emulator-service';

export interface LocalServicesOptions {
  /** Where stateful services keep their data across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
}

export async function localServices(resolved: ResolvedTopology, options: LocalServicesOptions = {}): Promise<EmulatorService[]> {
  const services: EmulatorService[] = [];
  if (resolved.queues.length > 0) services.push(new LocalQueues(resolved, options));
  return services;
}
