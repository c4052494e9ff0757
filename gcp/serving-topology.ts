/**
 * `ServingTopology`: a whole resolved topology on GCP. The APIs it calls and the service agents
 * it grants to first, then keys (each component encrypts with its own), the network, the
 * endpoints with their model deployments, the feature cache, the vector store, the queues and
 * the monitoring that watches them.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { fitName, GCP_NAMING, type ResolvedTopology } from '../constructs';
import { FeatureCache } from './feature-cache';
import type { ServiceAgent } from './gcp-names';
import { ModelEndpoint } from './model-endpoint';
import { requiredApis, ServingApis } from './serving-apis';
import { ServiceAgents } from './service-agents';
import { ServingKeys, type ServingKeySpec } from './serving-keys';
import { ServingMonitoring } from './serving-monitoring';
import { ServingNetwork } from './serving-network';
import { VectorStore } from './vector-store';
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
}

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

/** The key of each component, and the service agents that encrypt with it. */
export function servingKeyIds(resolved: ResolvedTopology): { id: string; agents: ServiceAgent[] }[] {
  const keys: { id: string; agents: ServiceAgent[] }[] = resolved.endpoints.map((e) => ({
    id: `endpoint-${e.name}`,
    agents: e.gcp.requestResponseLoggingRate > 0 ? ['vertex', 'bigquery'] : ['vertex'],
  }));
  if (resolved.featureCache) keys.push({ id: 'cache', agents: [resolved.featureCache.engine === 'valkey' ? 'memorystore' : 'redis'] });
  if (resolved.vectorStore) keys.push({ id: 'vectors', agents: [resolved.vectorStore.engine === 'managed' ? 'vertex' : 'alloydb'] });
  for (const q of resolved.queues) keys.push({ id: `queue-${q.name}`, agents: ['pubsub'] });
  keys.push({ id: 'monitoring', agents: ['pubsub'] });
  return keys;
}

export class ServingTopology extends pulumi.ComponentResource {
  readonly apis: ServingApis;
  readonly agents: ServiceAgents;
  readonly keys: ServingKeys;
  readonly network: ServingNetwork;
  readonly endpoints: Readonly<Record<string, ModelEndpoint>>;
  readonly featureCache?: FeatureCache;
  readonly vectorStore?: VectorStore;
  readonly queues: Readonly<Record<string, WorkQueue>>;
  readonly monitoring: ServingMonitoring;

  constructor(name: string, args: ServingTopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingTopology', name, {}, opts);
    const r = args.resolved;
    const project = args.project;
    const region = gcpRegionFor(r, args.region);
    const labels = { ...r.tags };

    this.apis = new ServingApis(`${name}-apis`, { project, apis: requiredApis(r) }, { parent: this });
    // Every component's resources wait for the APIs they call.
    const child = { parent: this, transformations: [this.apis.enabledFirst] };
    const projectNumber: pulumi.Input<string> =
      args.projectNumber ??
      gcp.organizations
        .getProjectOutput({ projectId: project }, { parent: this, dependsOn: this.apis.all })
        .apply((p) => String(p.number));

    const keyIds = servingKeyIds(r);
    const agents = [...new Set([...keyIds.flatMap((k) => k.agents), 'monitoring' as const])];
    this.agents = new ServiceAgents(`${name}-agents`, { project, projectNumber, agents, after: this.apis.all }, { parent: this });
    const keySpecs: ServingKeySpec[] = keyIds.map((k) => ({
      id: k.id,
      users: k.agents.map((agent) => ({ name: agent, member: this.agents.member(agent), after: this.agents.exists(agent) })),
    }));
    this.keys = new ServingKeys(`${name}-keys`, { project, region, keys: keySpecs, labels, retainData: r.retainData }, child);
    const keyFor = (id: string) => ({ kmsKeyName: this.keys.key(id).id, keyGrants: this.keys.grants[id] });

    this.network = new ServingNetwork(`${name}-network`, { network: r.network, project, region }, child);
    // A network this stack made has no policies yet; an existing one belongs to its owner, who made them (or lets us).
    const connectionPolicies = this.network.vpc !== undefined || args.createConnectionPolicies === true;
    const common = { topologyName: r.name, environment: r.environment, project, labels, retainData: r.retainData };

    const endpoints: Record<string, ModelEndpoint> = {};
    for (const e of r.endpoints) {
      endpoints[e.name] = new ModelEndpoint(
        `${name}-${e.name}`,
        { ...common, endpoint: e, region, network: this.network.networkId, vertexApiBaseUrl: args.vertexApiBaseUrl, ...keyFor(`endpoint-${e.name}`) },
        child,
      );
    }
    this.endpoints = endpoints;

    const networking = { region, network: this.network.networkId, subnetwork: this.network.subnetworkId, connectionPolicies };
    if (r.featureCache) {
      this.featureCache = new FeatureCache(
        `${name}-cache`,
        { ...common, ...networking, cache: r.featureCache, deletionProtection: r.deletionProtection, ...keyFor('cache') },
        child,
      );
    }
    if (r.vectorStore) {
      this.vectorStore = new VectorStore(
        `${name}-vectors`,
        { ...common, ...networking, store: r.vectorStore, projectNumber, production: r.production, deletionProtection: r.deletionProtection, ...keyFor('vectors') },
        child,
      );
    }
    const queues: Record<string, WorkQueue> = {};
    for (const q of r.queues) {
      queues[q.name] = new WorkQueue(
        `${name}-${q.name}`,
        { ...common, queue: q, pubsubServiceAgent: this.agents.member('pubsub'), pubsubServiceAgentExists: this.agents.exists('pubsub'), ...keyFor(`queue-${q.name}`) },
        child,
      );
    }
    this.queues = queues;

    this.monitoring = new ServingMonitoring(
      `${name}-monitoring`,
      {
        project,
        alertsTopicName: fitName([r.name, r.environment, 'alerts'], GCP_NAMING.pubsubName),
        endpoints: r.endpoints.map((e) => ({ name: e.name, displayName: e.gcp.displayName, endpointId: endpoints[e.name].endpointId, slo: e.slo })),
        queues: r.queues.map((q) => ({ name: q.name, deadLetterSubscriptionName: q.gcp.deadLetterSubscriptionName })),
        alarmEmails: r.monitoring.alarmEmails,
        monitoringServiceAgent: this.agents.member('monitoring'),
        monitoringServiceAgentExists: this.agents.exists('monitoring'),
        labels,
        retainData: r.retainData,
        ...keyFor('monitoring'),
      },
      child,
    );

    this.registerOutputs({
      region,
      endpoints: Object.fromEntries(Object.entries(endpoints).map(([n, e]) => [n, e.endpoint.id])),
      queues: Object.fromEntries(Object.entries(queues).map(([n, q]) => [n, q.topic.id])),
    });
  }
}
