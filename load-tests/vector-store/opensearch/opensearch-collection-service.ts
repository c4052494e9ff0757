/**
 * The local OpenSearch Serverless collection of a managed vector store, as `localServices` builds
 * it: the stack's index present from the start, changes kept under `<dataDir>/opensearch/`.
 */
import { join } from 'node:path';
import type { ResolvedTopology } from '../../../constructs';
import type { Clock } from '../../clock/clock';
import { realClock } from '../../clock/real-clock';
import type { EmulatorService } from '../../emulator/emulator-service';
import type { VectorIndexFactory } from '../vector-index';
import { OpenSearchService } from './opensearch-service';
import { topologyVectorIndex } from './topology-vector-index';

export interface OpenSearchCollectionServiceOptions {
  readonly indexFactory: VectorIndexFactory;
  /** @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
  /** Delay before a change is searchable. @default DEFAULT_SEARCHABLE_AFTER_MS (1 s) */
  readonly visibilityDelayMs?: number;
}

export function openSearchCollectionService(resolved: ResolvedTopology, options: OpenSearchCollectionServiceOptions): EmulatorService {
  const topologyIndex = topologyVectorIndex(resolved);
  if (!topologyIndex) throw new Error(`openSearchCollectionService: topology ${resolved.name} has no managed vector store`);
  return new OpenSearchService({
    factory: options.indexFactory,
    clock: options.clock ?? realClock,
    searchableAfterMs: options.visibilityDelayMs,
    logFile: options.dataDir === undefined ? undefined : join(options.dataDir, 'opensearch', 'mutations.jsonl'),
    topologyIndex,
  });
}
