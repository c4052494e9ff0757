/**
 * The services `serving-stacks emulate` serves beside the model endpoints, from the topology:
 * one place that decides which local stand-ins a topology gets.
 */
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { ExactIndex, type VectorIndexFactory } from '../vector-store';
import { openSearchCollectionService } from '../vector-store/opensearch';
import type { EmulatorService } from './emulator-service';

export interface LocalServicesOptions {
  /** Where stateful services keep their data across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Delay before a change to a local vector store is searchable. @default - each store's own (1 s) */
  readonly visibilityDelayMs?: number;
}

/** Exact search, until an approximate index replaces it here. */
const exactIndexFactory: VectorIndexFactory = (settings) => new ExactIndex(settings.dimensions, settings.metric);

export async function localServices(resolved: ResolvedTopology, options: LocalServicesOptions = {}): Promise<EmulatorService[]> {
  const services: EmulatorService[] = [];
  if (resolved.vectorStore?.engine === 'managed') services.push(openSearchCollectionService(resolved, { indexFactory: exactIndexFactory, ...options }));
  return services;
}
