/**
 * `resolveTopology`: a validated topology in, every per-cloud decision out, with a parity note
 * wherever the two clouds cannot realise the spec the same way. Each component is resolved in its
 * own module; this one fixes the order they run in, which is the order of the parity notes.
 */
import { gcpMonitoringNames } from '../naming';
import { withEndpointName, type ParityNote } from '../parity';
import { checkResolvedNames } from '../resolved-names';
import type { ResolvedTopology } from '../resolved-topology';
import type { Topology } from '../spec/topology-schema';
import { resolveEndpoint } from './endpoint';
import { resolveFeatureCache } from './feature-cache';
import { resolveNetwork } from './network';
import { resolvePipelines } from './pipelines';
import { resolveQueue } from './queue';
import { resolveVectorStore } from './vector-store';

export function isProduction(topology: Pick<Topology, 'environment' | 'production'>): boolean {
  return topology.production ?? topology.environment === 'prod';
}

export function resolveTopology(topology: Topology): ResolvedTopology {
  const production = isProduction(topology);
  const parity: ParityNote[] = [];
  const names = { topology: topology.name, environment: topology.environment };
  const poolMembers = (pool: string) => topology.endpoints.filter((m) => m.sharing?.pool === pool);
  const endpoints = topology.endpoints.map((e, i) => resolveEndpoint(e, `endpoints[${i}]`, names, production, parity, e.sharing ? poolMembers(e.sharing.pool) : [e]));
  const featureCache = topology.featureCache && resolveFeatureCache(topology.featureCache, names, production, parity);
  const vectorStore = topology.vectorStore && resolveVectorStore(topology.vectorStore, names, production, parity);
  return checkResolvedNames({
    name: topology.name,
    environment: topology.environment,
    production,
    regions: topology.regions,
    tags: { ...topology.tags, app: topology.name, environment: topology.environment, 'managed-by': 'ml-serving-stacks' },
    endpoints,
    featureCache,
    vectorStore,
    queues: topology.queues.map((q) => resolveQueue(q, names, q.name === topology.pipelines.embeddingRefresh?.sourceQueue)),
    pipelines: resolvePipelines(topology, names, parity),
    network: resolveNetwork(topology, production),
    monitoring: { alarmEmails: topology.monitoring.alarmEmails, gcp: gcpMonitoringNames(topology.name, topology.environment) },
    retainData: production,
    deletionProtection: production,
    parity: parity.map((note) => withEndpointName(note, topology.endpoints)),
  });
}
