/**
 * The services `serving-stacks emulate` serves beside the model endpoints, from the topology:
 * one place that decides which local stand-ins a topology gets.
 */
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { createVectorIndex } from '../vector-store/create-vector-index';
import { vertexVectorSearchService } from '../vector-store/vertex/vertex-vector-search-service';
import { openSearchCollectionService } from '../vector-store/opensearch';
import { LocalQueues } from '../queues/local-queues';
import type { EmulatorService } from './emulator-service';
import { startPgvectorService } from './pgvector-service';

export interface LocalServicesOptions {
  /** Where stateful services keep their data across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Delay before a change to a local vector store is searchable. @default - each store's own (1 s) */
  readonly visibilityDelayMs?: number;
}

export async function localServices(resolved: ResolvedTopology, options: LocalServicesOptions = {}): Promise<EmulatorService[]> {
  const services: EmulatorService[] = [];
  if (resolved.vectorStore?.engine === 'pgvector') services.push(await startPgvectorService(resolved.vectorStore, options));
  if (resolved.vectorStore?.engine === 'managed') {
    // One topology, both clouds' stores: OpenSearch (HNSW) and Vector Search (the tree-AH stand-in).
    services.push(openSearchCollectionService(resolved, { indexFactory: createVectorIndex, ...options }));
    services.push(vertexVectorSearchService(resolved, { indexFactory: createVectorIndex, ...options }));
  }
  if (resolved.queues.length > 0) services.push(new LocalQueues(resolved, options));
  return services;
}
