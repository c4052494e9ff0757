/**
 * The Pulumi program (Pulumi.yaml `main`): one ServingTopology per stack.
 *
 * Stack config (Pulumi.<env>.yaml):
 * - `ml-serving-stacks:environment`: the bundled preset (dev, staging, prod);
 * - `ml-serving-stacks:topologyFile`: a topology file instead, relative to the project root
 *   (its environment must agree with `environment` when both are set);
 * - `gcp:project` (required); `gcp:region` may repeat the topology's regions.gcp, never
 *   contradict it (see gcpRegionFor);
 * - `ml-serving-stacks:projectNumber`: skips the organizations.getProject lookup;
 * - `ml-serving-stacks:vertexApiBaseUrl`: another Vertex API endpoint for the model deployments.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { isTopologyError, resolveTopology, type ResolvedTopology } from '../constructs';
import { gcpRegionFor, ServingTopology } from '../gcp';
import { selectTopology } from './topology-option';
import { UsageError } from './run-cli';

function resolvedFromConfig(config: pulumi.Config): ResolvedTopology {
  const file = config.get('topologyFile');
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
const project = gcpConfig.require('project');
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
  projectNumber: config.get('projectNumber'),
  vertexApiBaseUrl: config.get('vertexApiBaseUrl'),
});

export const environment = resolved.environment;
export const endpoints = Object.fromEntries(
  Object.entries(topology.endpoints).map(([name, e]) => [name, { endpoint: e.endpoint.id, trafficSplit: e.deployment.trafficSplit }]),
);
export const queues = Object.fromEntries(Object.entries(topology.queues).map(([name, q]) => [name, q.topic.id]));
export const parityNotes = resolved.parity.filter((n) => n.cloud !== 'aws').map((n) => `${n.path}: ${n.realisedAs} (${n.reason})`);
