/**
 * `ServingApis`: the Google APIs the program calls, enabled in the project before anything that
 * needs them (a fresh project has few enabled; a call to a disabled API fails with
 * SERVICE_DISABLED). `disableOnDestroy: false`: a destroy leaves them enabled, since other
 * workloads in the project may use them and disabling an API deletes its resources.
 *
 * Service Usage itself and Cloud Resource Manager must be enabled before the first `pulumi up`
 * (enabling an API goes through serviceusage.googleapis.com); they are listed here too so the
 * stack records that it relies on them.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../../constructs';

/** What each API is needed for, for the README and for reviewers. */
export const API_PURPOSES = {
  'serviceusage.googleapis.com': 'enabling the other APIs',
  'cloudresourcemanager.googleapis.com': 'the project number lookup (organizations.getProject)',
  'iam.googleapis.com': 'service accounts of the serving containers, queue consumers and cache or database clients',
  'cloudkms.googleapis.com': 'the key ring and the customer-managed keys',
  'compute.googleapis.com': 'the network, subnetwork and Private Service Connect endpoints',
  'aiplatform.googleapis.com': 'Vertex AI endpoints, models, and Vector Search',
  'pubsub.googleapis.com': 'queues, dead-letter topics and the alerts topic',
  'monitoring.googleapis.com': 'alert policies and notification channels',
  'bigquery.googleapis.com': 'request/response logging datasets',
  'memorystore.googleapis.com': 'Memorystore for Valkey',
  'redis.googleapis.com': 'Memorystore for Redis',
  'networkconnectivity.googleapis.com': 'service connection policies for Private Service Connect automation',
  'alloydb.googleapis.com': 'AlloyDB for PostgreSQL (pgvector)',
  'cloudfunctions.googleapis.com': 'the embedding-refresh worker (Cloud Functions 2nd gen)',
  'run.googleapis.com': 'the Cloud Run service a 2nd gen function runs as; the load generator job (Cloud Run jobs) when ml-serving-stacks:loadgen is on',
  'cloudbuild.googleapis.com': 'building the function from its source archive',
  'artifactregistry.googleapis.com': 'the image the function build produces',
  'storage.googleapis.com': "the function's source archive; the load generator results bucket when ml-serving-stacks:loadgen is on",
} as const;

export type GoogleApi = keyof typeof API_PURPOSES;

/** The APIs `ServingTopology` calls for this topology, sorted. */
export function requiredApis(r: ResolvedTopology, options: { readonly loadGenerator?: boolean } = {}): GoogleApi[] {
  const apis = new Set<GoogleApi>([
    'serviceusage.googleapis.com',
    'cloudresourcemanager.googleapis.com',
    'iam.googleapis.com',
    'cloudkms.googleapis.com',
    'compute.googleapis.com',
    'aiplatform.googleapis.com',
    'pubsub.googleapis.com',
    'monitoring.googleapis.com',
  ]);
  if (r.endpoints.some((e) => e.gcp.requestResponseLoggingRate > 0)) apis.add('bigquery.googleapis.com');
  if (r.featureCache?.engine === 'valkey') apis.add('memorystore.googleapis.com').add('networkconnectivity.googleapis.com');
  if (r.featureCache?.engine === 'redis') apis.add('redis.googleapis.com');
  if (r.vectorStore?.engine === 'pgvector') apis.add('alloydb.googleapis.com').add('networkconnectivity.googleapis.com');
  if (r.pipelines.embeddingRefresh) {
    for (const api of ['cloudfunctions.googleapis.com', 'run.googleapis.com', 'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'storage.googleapis.com'] as const) apis.add(api);
  }
  if (options.loadGenerator) apis.add('run.googleapis.com').add('storage.googleapis.com');
  return [...apis].sort();
}

export interface ServingApisArgs {
  readonly project: string;
  readonly apis: readonly GoogleApi[];
}

export class ServingApis extends pulumi.ComponentResource {
  readonly services: Readonly<Partial<Record<GoogleApi, gcp.projects.Service>>>;

  constructor(name: string, args: ServingApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingApis', name, {}, opts);
    const services: Partial<Record<GoogleApi, gcp.projects.Service>> = {};
    for (const api of args.apis) {
      services[api] = new gcp.projects.Service(
        `${name}-${api.slice(0, api.indexOf('.'))}`,
        { project: args.project, service: api, disableOnDestroy: false, disableDependentServices: false },
        { parent: this },
      );
    }
    this.services = services;
    this.registerOutputs({ services: args.apis });
  }

  /** Every enabled API, for a `dependsOn`. */
  get all(): pulumi.Resource[] {
    return Object.values(this.services);
  }

  /**
   * A transformation for a component's options: every resource under the component waits until
   * the APIs are enabled (a component's transformations apply to all its descendants).
   */
  get enabledFirst(): pulumi.ResourceTransformation {
    const services = this.all;
    return ({ props, opts }) => ({ props, opts: pulumi.mergeOptions(opts, { dependsOn: services }) });
  }
}
