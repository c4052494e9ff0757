/**
 * `VertexModelDeployment`: a Pulumi dynamic resource that uploads each variant's model to
 * Vertex AI, deploys it to an endpoint on dedicated resources, sets the traffic split and rolls
 * changes out in steps. @pulumi/gcp has no resource for this (gcp-gaps.md §1).
 *
 * Dynamic providers are serialized as closures and run in a separate host process, so the
 * provider methods capture no module-level imports: they `require()` the plain engine module
 * (vertex-deployment-engine.ts, tested directly) at call time (gotchas.md, Pulumi).
 */
import * as pulumi from '@pulumi/pulumi';
import type { DeployedVariant, DeploymentInputs, DeploymentState, EngineDeps } from './vertex-deployment-engine';

/**
 * The engine, relative to the project root. Paths are resolved at run time, not captured: a
 * stack's state embeds this provider and must keep working from another checkout. Pulumi runs
 * the program in its directory (bin/) and the dynamic-provider host wherever the CLI started, so
 * the root is found by walking up from the working directory.
 */
const ENGINE_MODULE = 'gcp/vertex-deployment-engine.ts';

type Engine = typeof import('./vertex-deployment-engine');

function loadEngine(): Engine {
  const path: typeof import('node:path') = require('node:path');
  const fs: typeof import('node:fs') = require('node:fs');
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, ENGINE_MODULE))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`VertexModelDeployment: cannot find ${ENGINE_MODULE} above ${process.cwd()}; run pulumi from the ml-serving-stacks checkout`);
    dir = up;
  }
  // The provider host is plain Node: teach it TypeScript unless a loader already did (tsx, vitest).
  if (!require.extensions['.ts']) require('tsx/cjs');
  return require(path.join(dir, ENGINE_MODULE)) as Engine;
}

/** Resource id: the endpoint the models are deployed to. */
function deploymentId(d: Pick<DeploymentInputs, 'project' | 'region' | 'endpointId'>): string {
  return `projects/${d.project}/locations/${d.region}/endpoints/${d.endpointId}/deployments`;
}

/**
 * The provider. `deps` lets tests pass an auth client holding a dummy token and fast polling;
 * deployed stacks use application-default credentials.
 */
export function vertexDeploymentProvider(deps: EngineDeps = {}): pulumi.dynamic.ResourceProvider<DeploymentInputs, DeploymentState> {
  return {
    async check(_olds: DeploymentInputs, news: DeploymentInputs): Promise<pulumi.dynamic.CheckResult<DeploymentInputs>> {
      const { __provider: _serialized, ...raw } = news as DeploymentInputs & { __provider?: string };
      const { inputs, failures } = loadEngine().checkDeploymentInputs(raw);
      return inputs ? { inputs } : { failures };
    },

    async diff(_id: string, olds: DeploymentState, news: DeploymentInputs): Promise<pulumi.dynamic.DiffResult> {
      const { changes, replaces } = loadEngine().diffDeployment(olds, news);
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs: DeploymentInputs): Promise<pulumi.dynamic.CreateResult<DeploymentState>> {
      const outs = await loadEngine().createDeployment(inputs, deps);
      return { id: deploymentId(inputs), outs };
    },

    async read(id: string, props?: DeploymentState): Promise<pulumi.dynamic.ReadResult<DeploymentState>> {
      if (!props) throw new Error('VertexModelDeployment cannot be imported: it holds the models this program uploaded; create it instead');
      const outs = await loadEngine().readDeployment(props, deps);
      // No id: the deployment is gone, and Pulumi drops it from the state.
      return outs ? { id, props: outs } : {};
    },

    async update(_id: string, olds: DeploymentState, news: DeploymentInputs): Promise<pulumi.dynamic.UpdateResult<DeploymentState>> {
      return { outs: await loadEngine().updateDeployment(olds, news, deps) };
    },

    async delete(_id: string, olds: DeploymentState): Promise<void> {
      await loadEngine().deleteDeployment(olds, deps);
    },
  };
}

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

export interface VertexModelDeploymentArgs {
  readonly project: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  /** Numeric endpoint id, the AiEndpoint's `name`. */
  readonly endpointId: pulumi.Input<string>;
  /** @default https://{region}-aiplatform.googleapis.com */
  readonly apiBaseUrl?: pulumi.Input<string>;
  /** Identity the serving containers run as. */
  readonly serviceAccount?: pulumi.Input<string>;
  /** CMEK for the uploaded models. */
  readonly encryptionKmsKeyName?: pulumi.Input<string>;
  readonly labels: pulumi.Input<Record<string, string>>;
  readonly autoscalingMetricSpecs: DeploymentInputs['autoscalingMetricSpecs'];
  readonly rollout: DeploymentInputs['rollout'];
  /** @default 3600 — a GPU deployment takes many minutes. */
  readonly operationTimeoutSeconds?: number;
  readonly variants: readonly Inputs<DeploymentInputs['variants'][number]>[];
}

export class VertexModelDeployment extends pulumi.dynamic.Resource {
  /** Per variant: deployed-model id, model resource name and fingerprints. */
  declare readonly deployed: pulumi.Output<Record<string, DeployedVariant>>;
  /** The endpoint's traffic split after the last update, keyed by deployed-model id. */
  declare readonly trafficSplit: pulumi.Output<Record<string, number>>;

  constructor(name: string, args: VertexModelDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vertexDeploymentProvider(),
      name,
      { ...args, operationTimeoutSeconds: args.operationTimeoutSeconds ?? 3600, deployed: undefined, trafficSplit: undefined },
      opts,
      'mlserve',
      'VertexModelDeployment',
    );
  }
}
