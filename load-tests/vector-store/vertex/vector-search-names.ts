/**
 * The resource names the local Vector Search answers to. In the cloud, Vertex gives an index and an
 * index endpoint numeric ids when they are created (gcp/vector-store/vector-search-store.ts sets
 * none); locally they are derived the way the model endpoints' ids are (constructs/naming.ts
 * `vertexEndpointId`: nine digits hashed from project, region and name), keyed by the collection
 * so the index and its endpoint, which share a display name, get different ids. The deployed index
 * id is the resolved topology's own, as Pulumi deploys it.
 */
import { vertexEndpointId, type ResolvedVectorStore } from '../../../constructs';

export interface VectorSearchNames {
  /** `projects/{project}/locations/{region}/indexes/{id}` */
  readonly index: string;
  /** `projects/{project}/locations/{region}/indexEndpoints/{id}` */
  readonly indexEndpoint: string;
  readonly deployedIndexId: string;
  readonly indexId: string;
  readonly indexEndpointId: string;
}

export function vectorSearchNames(store: ResolvedVectorStore, project: string, region: string): VectorSearchNames {
  const indexId = vertexEndpointId(project, region, `indexes/${store.gcp.displayName}`);
  const indexEndpointId = vertexEndpointId(project, region, `indexEndpoints/${store.gcp.displayName}`);
  const location = `projects/${project}/locations/${region}`;
  return {
    index: `${location}/indexes/${indexId}`,
    indexEndpoint: `${location}/indexEndpoints/${indexEndpointId}`,
    deployedIndexId: store.gcp.deployedIndexId,
    indexId,
    indexEndpointId,
  };
}

/**
 * Whether a resource name from a request path is ours: the same location and id; any project, as
 * on the prediction routes (the project is stack configuration, not part of the topology).
 */
export function sameResource(requested: string, ours: string): boolean {
  const [, , ...rest] = requested.split('/');
  const [, , ...ourRest] = ours.split('/');
  return rest.join('/') === ourRest.join('/');
}
