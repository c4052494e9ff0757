/**
 * What a cloud's total rests on, beside its lines: the price list it came from, how the cache and
 * the vector store were sized (vector count, OCUs, shards) and the charges made once. Parts not
 * priced are the total's `unpriced`.
 */
import { CATALOG_COMPILED_ON, PRICING_CATALOG, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import type { Cloud } from '../../constructs';

export interface PriceListBasis {
  readonly region: string;
  /** Where the prices come from: the shipped catalog, the user's price file merged over it, both, or nothing. */
  readonly from: 'catalog' | 'price file' | 'catalog and price file' | 'none';
  readonly catalogCompiledOn: string;
  readonly priceFile?: string;
}

export interface CacheBasis {
  readonly engine: string;
  readonly deployment: string;
  /** The data the topology asks the cache to hold. */
  readonly memoryGiB: number;
  readonly nodeType?: string;
  readonly shards?: number;
  readonly nodes?: number;
  /** Data one node holds once the cloud's reserved share is set aside (cache-shapes.ts). */
  readonly usableGiBPerNode?: number;
  /** Data billed by a serverless cache, after its minimum. */
  readonly billedGB?: number;
}

export interface OpenSearchBasis {
  readonly engine: 'OpenSearch Serverless';
  readonly vectors: number;
  readonly dimensions: number;
  readonly hnswM: number;
  /** One copy of the HNSW graph: 1.1 × (4 × dimensions + 8 × m) bytes per vector. */
  readonly graphGiB: number;
  readonly standbyReplicas: boolean;
  readonly indexingOcus: number;
  readonly searchOcus: number;
  /** Search OCUs at the ends of the graph-memory share's range (vector-store-sizing.ts). */
  readonly searchOcusRange: { readonly low: number; readonly high: number };
}

export interface VectorSearchBasis {
  readonly engine: 'Vertex AI Vector Search';
  readonly vectors: number;
  readonly dimensions: number;
  /** float32 embeddings, 4 bytes per dimension. */
  readonly indexGiB: number;
  readonly shards: number;
  readonly shardSize: string;
  readonly machineType: string;
  readonly replicas: number;
}

/** The pgvector database as each cloud bills it, from the memory the resolved topology decided (pgvector-compute.ts). */
export interface PgvectorBasis {
  readonly engine: 'Aurora PostgreSQL with pgvector' | 'AlloyDB with pgvector';
  readonly vectors: number;
  readonly dimensions: number;
  /** Writer memory at its largest. */
  readonly memoryGiB: number;
  /** Billed instances: Aurora's writer and readers, AlloyDB's primary and its standby. */
  readonly instances: number;
  /** Per instance: Aurora's ACU floor and ceiling, or AlloyDB's vCPUs. */
  readonly capacity: { readonly unit: 'ACU'; readonly min: number; readonly max: number } | { readonly unit: 'vCPU'; readonly count: number };
}

export interface OneOffCharge {
  readonly item: string;
  readonly usd: number;
  readonly basis: string;
}

export interface CostBasis {
  readonly endpoints: string;
  readonly priceList: PriceListBasis;
  readonly cache?: CacheBasis;
  readonly vectorStore?: OpenSearchBasis | VectorSearchBasis | PgvectorBasis;
  readonly oneOffCharges: readonly OneOffCharge[];
}

export const ENDPOINTS_AT_MINIMUM = 'each endpoint at its minimum replicas; autoscaling adds replicas under load (the simulated cost prices them)';

/** Where a cloud's prices for a region come from, given the catalog the cost model was handed. */
export function priceListBasis(cloud: Cloud, region: string, catalog: PricingCatalog): PriceListBasis {
  const shipped = PRICING_CATALOG[cloud].some((l) => l.region === region);
  const listed = catalog[cloud].some((l) => l.region === region);
  const fromFile = !!catalog.priceFile?.regions[cloud].includes(region);
  const from = fromFile ? (shipped ? 'catalog and price file' : 'price file') : listed ? 'catalog' : 'none';
  return { region, from, catalogCompiledOn: CATALOG_COMPILED_ON, ...(catalog.priceFile && { priceFile: catalog.priceFile.path }) };
}
