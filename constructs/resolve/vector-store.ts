/** The vector store: OpenSearch Serverless and Vector Search (managed), or Aurora and AlloyDB (pgvector). */
import { vectorSearchShard } from '../catalog/vector-search-shards';
import { AWS_NAMING, fitName, gcpVectorStoreNames } from '../naming';
import type { ParityNote } from '../parity';
import { pgvectorCompute } from '../pgvector-compute';
import type { ResolvedVectorStore } from '../resolved-topology';
import type { VectorStoreSpec } from '../spec/topology-schema';
import { DEFAULT_VECTOR_STORE_REPLICAS } from '../spec/unset-defaults';
import type { TopologyNames } from './topology-names';

export function resolveVectorStore(v: VectorStoreSpec, names: TopologyNames, production: boolean, parity: ParityNote[]): ResolvedVectorStore {
  const replicas = v.replicas ?? { ...(production ? DEFAULT_VECTOR_STORE_REPLICAS.production : DEFAULT_VECTOR_STORE_REPLICAS.otherwise) };
  if (v.engine === 'managed') {
    parity.push({
      path: 'vectorStore.index',
      cloud: 'gcp',
      realisedAs: `tree-AH with leafNodeEmbeddingCount ${v.index.leafNodeEmbeddingCount}, leafNodesToSearchPercent ${v.index.leafNodesToSearchPercent}`,
      reason: 'Vertex AI Vector Search uses ScaNN tree-AH, not HNSW: m, efConstruction and efSearch have no counterpart',
    });
    parity.push({
      path: 'vectorStore.replicas',
      cloud: 'aws',
      realisedAs: replicas.min >= 2 ? 'standby replicas enabled; OCUs scale automatically' : 'standby replicas disabled; OCUs scale automatically',
      reason: 'OpenSearch Serverless takes no replica count, only standby replicas on or off; capacity is in OCUs',
    });
  }
  const spaceType = v.metric === 'cosine' ? 'cosinesimil' : v.metric === 'dot-product' ? 'innerproduct' : 'l2';
  const shard = vectorSearchShard(v);
  // Aurora's point-in-time window is its backup retention; AlloyDB's is set to match.
  const backupDays = production ? 15 : 7;
  const { database: databaseNames, ...gcpNames } = gcpVectorStoreNames(names.topology, names.environment);
  const compute = pgvectorCompute(production);
  if (v.engine === 'pgvector') {
    parity.push({
      path: 'vectorStore.engine',
      cloud: 'both',
      realisedAs:
        `Aurora Serverless v2 scaling ${compute.aws.minCapacityAcu}–${compute.aws.maxCapacityAcu} ACU (up to ${compute.memoryGiB} GiB), billed by the ACU-hour used; ` +
        `AlloyDB with ${compute.gcp.cpuCount} vCPUs (${compute.memoryGiB} GiB) provisioned, billed whether used or not`,
      reason: 'Aurora Serverless v2 sizes itself between a floor and a ceiling; AlloyDB instances have a fixed machine size',
    });
  }
  return {
    engine: v.engine,
    dimensions: v.dimensions,
    metric: v.metric,
    index: v.index,
    expectedVectors: v.expectedVectors,
    queriesPerSecond: v.queriesPerSecond,
    ...(v.slo && { slo: v.slo }),
    updateMode: v.updateMode,
    replicas,
    database:
      v.engine === 'pgvector'
        ? {
            backupRetentionDays: backupDays,
            pointInTimeRecoveryDays: backupDays,
            highAvailability: replicas.min >= 2,
            memoryGiB: compute.memoryGiB,
            aws: compute.aws,
            gcp: { ...compute.gcp, ...databaseNames },
          }
        : undefined,
    aws: {
      collectionName: fitName([names.topology, names.environment, 'vectors'], AWS_NAMING.opensearchCollection),
      indexName: 'embeddings',
      standbyReplicas: replicas.min >= 2,
      spaceType,
    },
    gcp: {
      ...gcpNames,
      // Vertex recommends dot product over unit-normalised vectors for cosine: the same ranking, faster.
      distanceMeasureType: v.metric === 'euclidean' ? 'SQUARED_L2_DISTANCE' : 'DOT_PRODUCT_DISTANCE',
      featureNormType: v.metric === 'cosine' ? 'UNIT_L2_NORM' : 'NONE',
      indexUpdateMethod: v.updateMode === 'streaming' ? 'STREAM_UPDATE' : 'BATCH_UPDATE',
      shardSize: shard.size,
      machineType: shard.machineType,
      shards: shard.shards,
    },
  };
}
