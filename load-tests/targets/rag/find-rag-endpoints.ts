/**
 * Where a retrieval run's stores are. On this machine: the `vectorStore` entry of the local
 * endpoints' `GET /emulator` listing. Deployed: the stack outputs (`cdk deploy --outputs-file
 * cdk-outputs.json`; `pulumi stack output --json`), whose names the README lists. Deployed stores
 * are private (a VPC endpoint; a Private Service Connect address), so a deployed run must start
 * inside the VPC: from a machine there, or from the load fleet.
 */
import type { ResolvedTopology } from '../../../constructs';
import { modelKindFor } from '../../models/endpoint-model';
import type { RagEndpoints } from './rag-endpoints';
import { RagInputError } from './rag-input-error';


/** Vector Search serves findNeighbors over gRPC on port 10000 of a PSC address (https://cloud.google.com/vertex-ai/docs/vector-search/query-index-vpc). */
const VECTOR_SEARCH_PSC_PORT = 10_000;

interface EmulatorListing {
  readonly vectorStore?: {
    readonly opensearch?: { readonly url: string; readonly index: string; readonly field: string; readonly idField?: string };
    readonly vertex?: { readonly indexEndpoint: string; readonly deployedIndexId: string };
  };
}

export async function ragEndpointsFromEmulator(url: string, topology: ResolvedTopology): Promise<RagEndpoints> {
  let listing: EmulatorListing;
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/emulator`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    listing = (await response.json()) as EmulatorListing;
  } catch (e) {
    throw new RagInputError(`--endpoint-url: no local endpoints answer GET ${url}/emulator (${(e as Error).message}); start them with \`serving-stacks emulate\``);
  }
  const store = listing.vectorStore;
  const { embedder, reranker } = modelEndpoints(topology);
  const local = (name: string) => `projects/local/locations/${topology.regions.gcp}/endpoints/${name}`;
  return {
    ...(store?.opensearch
      ? { aws: { sagemakerUrl: url, opensearchUrl: store.opensearch.url, index: store.opensearch.index, vectorField: store.opensearch.field, idField: store.opensearch.idField ?? 'id' } }
      : {}),
    ...(store?.vertex
      ? {
          gcp: {
            apiUrl: url,
            embedderEndpoint: local(embedder),
            rerankerEndpoint: local(reranker),
            indexEndpoint: store.vertex.indexEndpoint,
            deployedIndexId: store.vertex.deployedIndexId,
          },
        }
      : {}),
  };
}

/** The outputs of `cdk deploy --outputs-file` (by stack) or of `pulumi stack output --json`. */
export function ragEndpointsFromOutputs(outputs: unknown, cloud: 'aws' | 'gcp', topology: ResolvedTopology, file: string): RagEndpoints {
  const record = asRecord(outputs);
  if (cloud === 'aws') {
    // cdk-outputs.json holds one object per stack: the serving stack is the one with the collection.
    const stack = Object.values(record).map(asRecord).find((s) => typeof s.VectorCollectionEndpoint === 'string');
    if (!stack) throw new RagInputError(`--stack-outputs ${file}: no stack with VectorCollectionEndpoint; write it with \`cdk deploy --outputs-file ${file}\` (managed vector store only)`);
    if (typeof stack.VectorIndexName !== 'string') throw new RagInputError(`--stack-outputs ${file}: VectorIndexName is missing beside VectorCollectionEndpoint`);
    return { aws: { opensearchUrl: stack.VectorCollectionEndpoint as string, index: stack.VectorIndexName, vectorField: 'embedding', idField: 'id' } };
  }
  const store = asRecord(record.vectorStore);
  const endpoints = asRecord(record.endpoints);
  const { embedder, reranker } = modelEndpoints(topology);
  const resource = (name: string) => {
    const id = asRecord(endpoints[name]).endpoint;
    if (typeof id !== 'string') throw new RagInputError(`--stack-outputs ${file}: endpoints.${name}.endpoint is missing; write it with \`pulumi stack output --json > ${file}\``);
    return id;
  };
  if (typeof store.indexEndpoint !== 'string' || typeof store.deployedIndexId !== 'string' || typeof store.address !== 'string') {
    throw new RagInputError(`--stack-outputs ${file}: vectorStore.indexEndpoint, .deployedIndexId and .address are needed (managed vector store); write them with \`pulumi stack output --json > ${file}\``);
  }
  return {
    gcp: {
      embedderEndpoint: resource(embedder),
      rerankerEndpoint: resource(reranker),
      indexEndpoint: store.indexEndpoint,
      deployedIndexId: store.deployedIndexId,
      matchUrl: `grpc://${store.address}:${VECTOR_SEARCH_PSC_PORT}`,
    },
  };
}

function modelEndpoints(topology: ResolvedTopology): { embedder: string; reranker: string } {
  const embedder = topology.endpoints.find((e) => modelKindFor(e) === 'embedder');
  const reranker = topology.endpoints.find((e) => modelKindFor(e) === 'reranker');
  if (!embedder || !reranker) throw new RagInputError(`--target rag: topology ${topology.name}/${topology.environment} needs an embedder and a reranker endpoint`);
  return { embedder: embedder.name, reranker: reranker.name };
}

function asRecord(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
