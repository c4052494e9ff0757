/**
 * The services `serving-stacks emulate` serves beside the model endpoints, from the topology:
 * one place that decides which local stand-ins a topology gets.
 */
import { join } from 'node:path';
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { realClock } from '../clock/real-clock';
import { ExactIndex, type VectorIndexFactory } from '../vector-store';
import { OpenSearchService, topologyVectorIndex } from '../vector-store/opensearch';
import type { EmulatorService } from './emulator-service';

export interface LocalServicesOptions {
  /** Where stateful services keep their data across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Delay before a change to the local OpenSearch collection is searchable. @default DEFAULT_SEARCHABLE_AFTER_MS (1 s) */
  readonly searchableAfterMs?: number;
}

/** The index behind the local vector stores: exact search until an approximate index replaces it here. */
const vectorIndexFactory: VectorIndexFactory = (settings) => new ExactIndex(settings.dimensions, settings.metric);

export async function localServices(resolved: ResolvedTopology, options: LocalServicesOptions = {}): Promise<EmulatorService[]> {
  const clock = options.clock ?? realClock;
  const services: EmulatorService[] = [];
  const opensearchIndex = topologyVectorIndex(resolved);
  if (opensearchIndex) {
    const logFile = options.dataDir === undefined ? undefined : join(options.dataDir, 'opensearch', 'mutations.jsonl');
    services.push(new OpenSearchService({ factory: vectorIndexFactory, clock, logFile, topologyIndex: opensearchIndex, searchableAfterMs: options.searchableAfterMs }));
  }
  return services;
}
