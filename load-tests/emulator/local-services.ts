/**
 * The services `serving-stacks emulate` serves beside the model endpoints, from the topology:
 * one place that decides which local stand-ins a topology gets.
 */
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { createVectorIndex } from '../vector-store/create-vector-index';
import { vertexVectorSearchService } from '../vector-store/vertex/vertex-vector-search-service';
import type { EmulatorService } from './emulator-service';
import { startPgvectorService } from './pgvector-service';

export interface LocalServicesOptions {
  /** Where stateful services keep their data across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
}

export async function localServices(resolved: ResolvedTopology, options: LocalServicesOptions = {}): Promise<EmulatorService[]> {
  const services: EmulatorService[] = [];
  if (resolved.vectorStore?.engine === 'pgvector') services.push(await startPgvectorService(resolved.vectorStore, options));
  if (resolved.vectorStore?.engine === 'managed') services.push(vertexVectorSearchService(resolved, { indexFactory: createVectorIndex, ...options }));
  return services;
}
