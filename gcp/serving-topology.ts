/**
 * `ServingTopology`: a whole resolved topology on GCP. The APIs it calls and the service agents
 * it grants to first, then keys (each component encrypts with its own), the network, where
 * alerts go, the endpoints with their model deployments, the feature cache, the vector store and
 * the queues (each with its own alerts), and the dashboard of those alerts.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../constructs';
import { EmbeddingRefreshPipeline } from './embedding-refresh-pipeline';
import { FeatureCache } from './feature-cache';
import { LoadGeneratorJob } from './load-generator-job';
import { ModelEndpoint } from './model-endpoint/model-endpoint';
import { VertexDeploymentResourcePool } from './model-endpoint/vertex-deployment-resource-pool';
import { ServiceAgents, type ServiceAgent } from './private/service-agents';
import { requiredApis, ServingApis } from './private/serving-apis';
import { ServingKeys, type ServingKeySpec } from './private/serving-keys';
import { servingContext } from './serving-context';
import { ServingMonitoring } from './serving-monitoring';
import { ServingNetwork } from './serving-network';
import { VectorStore } from './vector-store/vector-store';
import { WorkQueue } from './work-queue';

export interface ServingTopologyArgs {
  readonly resolved: ResolvedTopology;
  readonly project: string;
  /** @default resolved.regions.gcp; any other value is refused (see `gcpRegionFor`). */
  readonly region?: string;
  /** The project number, for service-agent identities. @default looked up with organizations.getProject */
  readonly projectNumber?: pulumi.Input<string>;
  /** @default https://{region}-aiplatform.googleapis.com */
  readonly vertexApiBaseUrl?: string;
  /**
   * With an existing network (network.existing.gcp): create the Private Service Connect service
   * connection policies in the network's project. Only one may exist per network, region and
   * service class, and they belong to the network's owner (the Shared VPC host project).
   * @default false: the network's owner made them; a stack that creates its network always creates them
   */
  readonly createConnectionPolicies?: boolean;
  /**
   * The load generator job (`LoadGeneratorJob`) for `loadtest --fleet gcp`, with its image.
   * @default - none
   */
  readonly loadGenerator?: { readonly image?: string };
}

/** Name of the load generator's key (its results bucket). */
export const LOADGEN_KEY_NAME = 'loadgen';
/** Name of the embedding-refresh worker's key (its source archive bucket). */
export const EMBEDDING_REFRESH_KEY_NAME = 'pipeline-embedding-refresh';

/**
 * The region to deploy to. The topology names it (regions.gcp) and the plan, the cost model and
 * the parity notes all assume it, so `gcp:region` may repeat it but not contradict it: a silent
 * override would deploy somewhere nothing else was computed for.
 */
export function gcpRegionFor(resolved: Pick<ResolvedTopology, 'regions' | 'name' | 'environment'>, configuredRegion?: string): string {
  if (configuredRegion && configuredRegion !== resolved.regions.gcp) {
    throw new Error(
      `gcp:region is "${configuredRegion}" but topology ${resolved.name}/${resolved.environment} deploys to regions.gcp ` +
        `"${resolved.regions.gcp}"; change regions.gcp in the topology file (or drop gcp:region from the stack config)`,
    );
  }
  return resolved.regions.gcp;
}

/** The key of each component (its name in the resolved topology), and the service agents that encrypt with it. */
export function servingKeyIds(resolved: ResolvedTopology, options: { readonly loadGenerator?: boolean } = {}): { id: string; agents: ServiceAgent[] }[] {
  const keys: { id: string; agents: ServiceAgent[] }[] = [];
  // Members of one deployment resource pool share its key: one key, the agents any of them needs.
  for (const e of resolved.endpoints) {
    const agents: ServiceAgent[] = e.gcp.loggingDatasetId ? ['vertex', 'bigquery'] : ['vertex'];
    const same = keys.find((k) => k.id === e.gcp.keyName);
    if (same) same.agents = [...new Set([...same.agents, ...agents])];
    else keys.push({ id: e.gcp.keyName, agents });
  }
  const cache = resolved.featureCache;
  if (cache) keys.push({ id: cache.gcp.keyName, agents: [cache.engine === 'valkey' ? 'memorystore' : 'redis'] });
  const vectors = resolved.vectorStore;
  if (vectors) keys.push({ id: vectors.gcp.keyName, agents: [vectors.engine === 'managed' ? 'vertex' : 'alloydb'] });
  for (const q of resolved.queues) keys.push({ id: q.gcp.keyName, agents: ['pubsub'] });
  keys.push({ id: resolved.monitoring.gcp.keyName, agents: ['pubsub'] });
  if (options.loadGenerator) keys.push({ id: LOADGEN_KEY_NAME, agents: ['storage'] });
  if (resolved.pipelines.embeddingRefresh) keys.push({ id: EMBEDDING_REFRESH_KEY_NAME, agents: ['storage'] });
  return keys;
}

export class ServingTopology extends pulumi.ComponentResource {
  readonly apis: ServingApis;
  readonly agents: ServiceAgents;
  readonly keys: ServingKeys;
  readonly network: ServingNetwork;
  readonly monitoring: ServingMonitoring;
  readonly endpoints: Readonly<Record<string, ModelEndpoint>>;
  /** Vertex deployment resource pools by `sharing.pool`, for the pools Vertex can host (constructs/deployment-pool-rules.ts). */
  readonly deploymentResourcePools: Readonly<Record<string, VertexDeploymentResourcePool>>;
  readonly featureCache?: FeatureCache;
  readonly vectorStore?: VectorStore;
  readonly queues: Readonly<Record<string, WorkQueue>>;
  readonly embeddingRefresh?: EmbeddingRefreshPipeline;
  readonly loadGenerator?: LoadGeneratorJob;

  constructor(name: string, args: ServingTopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingTopology', name, {}, opts);
    const r = args.resolved;
    const project = args.project;
    const context = servingContext(r, { project, region: gcpRegionFor(r, args.region) });

    this.apis = new ServingApis(`${name}-apis`, { project, apis: requiredApis(r, { loadGenerator: args.loadGenerator !== undefined }) }, { parent: this });
    // Every component's resources wait for the APIs they call.
    const child = { parent: this, transformations: [this.apis.enabledFirst] };
    const projectNumber: pulumi.Input<string> =
      args.projectNumber ??
      gcp.organizations
        .getProjectOutput({ projectId: project }, { parent: this, dependsOn: this.apis.all })
        .apply((p) => String(p.number));

    const keyIds = servingKeyIds(r, { loadGenerator: args.loadGenerator !== undefined });
    const agents = [...new Set([...keyIds.flatMap((k) => k.agents), 'monitoring' as const])];
    this.agents = new ServiceAgents(`${name}-agents`, { project, projectNumber, agents, after: this.apis.all }, { parent: this });
    const keySpecs: ServingKeySpec[] = keyIds.map((k) => ({ id: k.id, users: k.agents.map((agent) => ({ name: agent, ...this.agents.grantee(agent) })) }));
    this.keys = new ServingKeys(`${name}-keys`, { context, keys: keySpecs }, child);

    this.network = new ServingNetwork(`${name}-network`, { network: r.network, context }, child);
    const network = this.network.privateNetwork(args.createConnectionPolicies === true);

    this.monitoring = new ServingMonitoring(
      `${name}-monitoring`,
      { context, monitoring: r.monitoring, key: this.keys.forComponent(r.monitoring.gcp.keyName), notificationAgent: this.agents.grantee('monitoring') },
      child,
    );
    const alerts = this.monitoring;

    const pools: Record<string, VertexDeploymentResourcePool> = {};
    for (const e of r.endpoints) {
      const pool = e.gcp.deploymentResourcePool;
      if (!pool || pools[pool.pool]) continue;
      const v = e.variants[0];
      // Keyed by the pool's name: a new pool id (new settings) replaces it, members moving onto the new one first.
      pools[pool.pool] = new VertexDeploymentResourcePool(
        `${name}-pool-${pool.pool}`,
        {
          project: context.project,
          region: context.region,
          poolId: pool.poolId,
          apiBaseUrl: args.vertexApiBaseUrl,
          machineType: v.gcp.machineType,
          acceleratorType: v.gcp.acceleratorType,
          acceleratorCount: v.gcp.acceleratorCount,
          minReplicaCount: pool.minReplicaCount,
          maxReplicaCount: pool.maxReplicaCount,
          autoscalingMetricSpecs: [],
          encryptionKmsKeyName: this.keys.forComponent(pool.keyName).kmsKeyName,
        },
        { ...child, dependsOn: [...this.keys.forComponent(pool.keyName).grants] },
      );
    }
    this.deploymentResourcePools = pools;

    const endpoints: Record<string, ModelEndpoint> = {};
    for (const e of r.endpoints) {
      const pool = e.gcp.deploymentResourcePool && pools[e.gcp.deploymentResourcePool.pool];
      endpoints[e.name] = new ModelEndpoint(
        `${name}-${e.name}`,
        { endpoint: e, context, network: network.network, key: this.keys.forComponent(e.gcp.keyName), alerts, vertexApiBaseUrl: args.vertexApiBaseUrl, deploymentResourcePool: pool },
        child,
      );
    }
    this.endpoints = endpoints;

    if (r.featureCache) {
      this.featureCache = new FeatureCache(`${name}-cache`, { cache: r.featureCache, context, network, key: this.keys.forComponent(r.featureCache.gcp.keyName) }, child);
    }
    if (r.vectorStore) {
      this.vectorStore = new VectorStore(
        `${name}-vectors`,
        { store: r.vectorStore, context, network, key: this.keys.forComponent(r.vectorStore.gcp.keyName), projectNumber },
        child,
      );
    }
    // Before the queues: the pipeline's source subscription pushes to the function's URL.
    const refresh = r.pipelines.embeddingRefresh;
    const refreshQueue = refresh && r.queues.find((q) => q.name === refresh.sourceQueue);
    if (refresh && refreshQueue && this.vectorStore && r.vectorStore) {
      this.embeddingRefresh = new EmbeddingRefreshPipeline(
        `${name}-embedding-refresh`,
        {
          pipeline: refresh,
          queue: refreshQueue,
          embedder: endpoints[refresh.embedder],
          vectorStore: this.vectorStore,
          vectorStoreSpec: r.vectorStore,
          context,
          network,
          key: this.keys.forComponent(EMBEDDING_REFRESH_KEY_NAME),
          alerts,
          pubsubAgent: this.agents.grantee('pubsub'),
          vertexApiUrl: args.vertexApiBaseUrl,
        },
        child,
      );
    }
    const pipeline = this.embeddingRefresh;
    const queues: Record<string, WorkQueue> = {};
    for (const q of r.queues) {
      const push = pipeline && q.name === refresh?.sourceQueue ? { endpoint: pipeline.url, serviceAccountEmail: pipeline.pushServiceAccount.email } : undefined;
      queues[q.name] = new WorkQueue(
        `${name}-${q.name}`,
        { queue: q, context, key: this.keys.forComponent(q.gcp.keyName), pubsubAgent: this.agents.grantee('pubsub'), alerts, push },
        child,
      );
    }
    this.queues = queues;

    if (args.loadGenerator) {
      this.loadGenerator = new LoadGeneratorJob(
        `${name}-loadgen`,
        {
          context,
          endpoints: Object.fromEntries(Object.entries(endpoints).map(([n, e]) => [n, e.endpoint.id])),
          network,
          key: this.keys.forComponent(LOADGEN_KEY_NAME),
          image: args.loadGenerator.image,
        },
        child,
      );
    }

    this.monitoring.addDashboard([
      ...Object.values(endpoints).flatMap((e) => [e.alertPolicies.latency, e.alertPolicies.errorRate]),
      ...Object.values(queues).map((q) => q.deadLetterAlert),
      ...(pipeline ? [pipeline.latencyAlert] : []),
    ]);

    this.registerOutputs({
      region: context.region,
      endpoints: Object.fromEntries(Object.entries(endpoints).map(([n, e]) => [n, e.endpoint.id])),
      queues: Object.fromEntries(Object.entries(queues).map(([n, q]) => [n, q.topic.id])),
    });
  }
}
