/**
 * What the vector-index custom resource receives from CloudFormation (through the CDK provider
 * framework, which sends the response) and what it answers. CloudFormation passes every property as
 * a string, so the index body travels as JSON text.
 */

export interface VectorIndexProperties {
  /** `https://<collection id>.<region>.aoss.amazonaws.com`. */
  readonly CollectionEndpoint: string;
  readonly IndexName: string;
  /** `{"settings":…,"mappings":…}` as JSON text. */
  readonly IndexBody: string;
}

export interface VectorIndexEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: VectorIndexProperties & { readonly ServiceToken?: string };
}

export interface VectorIndexResult {
  /** `<collection endpoint>/<index name>`: a new collection or a new index name is a new resource. */
  readonly PhysicalResourceId: string;
  readonly Data: { readonly IndexName: string };
}

export function physicalIdOf(properties: Pick<VectorIndexProperties, 'CollectionEndpoint' | 'IndexName'>): string {
  return `${properties.CollectionEndpoint.replace(/\/+$/, '')}/${properties.IndexName}`;
}

/** The endpoint and index a physical id names, or undefined for one this handler never issued (a failed create). */
export function parsePhysicalId(id: string | undefined): { endpoint: string; indexName: string } | undefined {
  const match = /^(https?:\/\/[^/]+)\/([^/]+)$/.exec(id ?? '');
  return match ? { endpoint: match[1], indexName: match[2] } : undefined;
}
