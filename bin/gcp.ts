/**
 * The Pulumi program (Pulumi.yaml `main`): one ServingTopology per stack.
 *
 * Stack config (Pulumi.<env>.yaml; Pulumi.yaml declares each project key and its default):
 * - `ml-serving-stacks:environment` (required): the bundled preset (dev, staging, prod), or the
 *   environment of the topology file;
 * - `ml-serving-stacks:topologyFile`: a topology file instead, relative to the project root
 *   (its environment must agree with `environment`);
 * - `gcp:project` (required, `pulumi config set gcp:project <id>`); `gcp:region` may repeat the
 *   topology's regions.gcp, never contradict it (see gcpRegionFor);
 * - `ml-serving-stacks:projectNumber`: skips the organizations.getProject lookup;
 * - `ml-serving-stacks:vertexApiBaseUrl`: another Vertex API endpoint for the model deployments;
 * - `ml-serving-stacks:createConnectionPolicies`: with an existing network, create its service
 *   connection policies in the network's project;
 * - `ml-serving-stacks:loadgen` (default false): the load generator job for `loadtest --fleet gcp`,
 *   running `ml-serving-stacks:loadgenImage` (empty: a placeholder a preview shows and `pulumi up` refuses).
 *
 * An empty string is how Pulumi.yaml spells "not set" for an optional key.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { isTopologyError, resolveTopology, type ResolvedTopology } from '../constructs';
import { gcpRegionFor, ServingTopology } from '../gcp';
import { selectTopology } from './options/topology';
import { UsageError } from './options/usage-error';

function optional(config: pulumi.Config, key: string): string | undefined {
  return config.get(key) || undefined;
}

function resolvedFromConfig(config: pulumi.Config): ResolvedTopology {
  const file = optional(config, 'topologyFile');
  try {
    return resolveTopology(
      selectTopology({
        env: config.get('environment'),
        // Relative to the project root (Pulumi.yaml's directory, the parent of bin/), wherever Pulumi runs the program from.
        topology: file ? path.resolve(__dirname, '..', file) : undefined,
      }, { env: 'ml-serving-stacks:environment', topology: 'ml-serving-stacks:topologyFile' }),
    );
  } catch (e) {
    // A bad topology or stack config is the user's to fix: its message, without a stack trace.
    if (isTopologyError(e) || e instanceof UsageError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

const config = new pulumi.Config('ml-serving-stacks');
const gcpConfig = new pulumi.Config('gcp');
const resolved = resolvedFromConfig(config);
const project = gcpConfig.get('project');
if (!project) {
  throw new pulumi.RunError(
    `gcp:project is not set for stack ${pulumi.getStack()}: run \`pulumi config set gcp:project <your-project-id>\` (the project to deploy to)`,
  );
}
let region: string;
try {
  region = gcpRegionFor(resolved, gcpConfig.get('region'));
} catch (e) {
  throw new pulumi.RunError((e as Error).message);
}

const topology = new ServingTopology(resolved.name, {
  resolved,
  project,
  region,
  projectNumber: optional(config, 'projectNumber'),
  vertexApiBaseUrl: optional(config, 'vertexApiBaseUrl'),
  createConnectionPolicies: config.getBoolean('createConnectionPolicies'),
  loadGenerator: config.getBoolean('loadgen') ? { image: optional(config, 'loadgenImage') } : undefined,
});

// Stack outputs are a contract: load tests and users read them (`pulumi stack output --json`).
// The README lists each one; change them together.
export const environment = resolved.environment;
export { project, region };
export const enabledApis = Object.keys(topology.apis.services);
export const endpoints = Object.fromEntries(
  Object.entries(topology.endpoints).map(([name, e]) => [
    name,
    {
      endpoint: e.endpoint.id,
      endpointId: e.endpointId,
      privateEndpoint: e.privateEndpoint,
      deployedModels: e.deployment.deployed.apply((deployed) => Object.fromEntries(Object.entries(deployed ?? {}).map(([variant, d]) => [variant, d.deployedModelId]))),
      trafficSplit: e.deployment.trafficSplit,
      pendingWork: e.deployment.pending.apply((pending) => (pending ?? []).length),
      serviceAccount: e.serviceAccount.email,
      loggingDataset: e.loggingDataset?.datasetId,
    },
  ]),
);
export const featureCache = topology.featureCache && {
  instance: (topology.featureCache.valkey ?? topology.featureCache.redis)!.id,
  address: topology.featureCache.address,
  clientServiceAccount: topology.featureCache.clientServiceAccount?.email,
};
export const vectorStore = topology.vectorStore && {
  engine: resolved.vectorStore!.engine,
  indexEndpoint: topology.vectorStore.vectorSearch?.indexEndpoint.id,
  deployedIndexId: topology.vectorStore.vectorSearch?.deployedIndex.deployedIndexId,
  database: topology.vectorStore.database?.primary.id,
  address: topology.vectorStore.address,
  connectionStatus: topology.vectorStore.connectionStatus,
  clientServiceAccount: topology.vectorStore.database?.clientServiceAccount.email,
};
export const queues = Object.fromEntries(
  Object.entries(topology.queues).map(([name, q]) => [
    name,
    {
      topic: q.topic.id,
      subscription: q.subscription.id,
      deadLetterTopic: q.deadLetterTopic.id,
      deadLetterSubscription: q.deadLetterSubscription.id,
      consumerServiceAccount: q.consumerServiceAccount.email,
    },
  ]),
);
export const alertsTopic = topology.monitoring.alertsTopic.id;
export const loadGenerator = topology.loadGenerator && {
  job: topology.loadGenerator.job.name,
  region,
  bucket: topology.loadGenerator.bucket.name,
  serviceAccount: topology.loadGenerator.serviceAccount.email,
  placeholderImage: topology.loadGenerator.placeholderImage,
};
export const parityNotes = resolved.parity.filter((n) => n.cloud !== 'aws').map((n) => `${n.path}: ${n.realisedAs} (${n.reason})`);
