/**
 * `VertexModelDeployment`: a Pulumi dynamic resource that uploads each variant's model to
 * Vertex AI, deploys it to an endpoint on dedicated resources, sets the traffic split and rolls
 * changes out in steps. @pulumi/gcp has no resource for this (terraform-provider-google #15303).
 *
 * Dynamic providers are serialized as closures and run in a separate host process, so the
 * provider methods capture no module-level imports: they `require()` the plain engine module
 * (gcp/vertex-deployment-engine.ts, tested directly) at call time: a module-level import would be
 * serialized into the state, and fails under vitest's module loader.
 */
import * as pulumi from '@pulumi/pulumi';
import type { DeployedVariant, DeploymentInputs, DeploymentState, EngineDeps, PendingWork } from '../vertex-deployment-engine';

/**
 * The engine, relative to the project root. Paths are resolved at run time, not captured: a
 * stack's state embeds this provider and must keep working from another checkout. Pulumi runs
 * the program in its directory (bin/) and the dynamic-provider host wherever the CLI started, so
 * the root is found by walking up from the working directory.
 */
const ENGINE_MODULE = 'gcp/vertex-deployment-engine.ts';

export type Engine = typeof import('../vertex-deployment-engine');

export function loadEngine(): Engine {
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

/** The serialized provider the dynamic-provider host hands every method inside the properties. */
function serializedProvider(props: DeploymentInputs | DeploymentState): unknown {
  return (props as { __provider?: unknown }).__provider;
}

/**
 * The provider. `deps` lets tests pass an auth client holding a dummy token and fast polling.
 * Deployed stacks authenticate as the gcp provider does: `configure` receives the stack's whole
 * config (the engine passes every key to a dynamic provider: pulumi/pulumi
 * pkg/resource/deploy/target.go `GetPackageConfig`), from which the `gcp:` credential keys are
 * read, the environment filling in what they leave unset.
 */
export function vertexDeploymentProvider(deps: EngineDeps = {}): pulumi.dynamic.ResourceProvider<DeploymentInputs, DeploymentState> {
  // Shared by the methods, which the host calls on one deserialized provider after `configure`.
  const configured: { deps: EngineDeps } = { deps };
  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const credentials = loadEngine().credentialSettings((key) => req.config.get(key), process.env);
      configured.deps = { ...deps, credentials };
    },

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
      const engine = loadEngine();
      const id = deploymentId(inputs);
      try {
        return { id, outs: await engine.createDeployment(inputs, configured.deps) };
      } catch (e) {
        throw engine.pulumiFailure(e, id, serializedProvider(inputs));
      }
    },

    async read(id: string, props?: DeploymentState): Promise<pulumi.dynamic.ReadResult<DeploymentState>> {
      if (!props) throw new Error('VertexModelDeployment cannot be imported: it holds the models this program uploaded; create it instead');
      const outs = await loadEngine().readDeployment(props, configured.deps);
      // No id: the deployment is gone, and Pulumi drops it from the state.
      return outs ? { id, props: outs } : {};
    },

    async update(id: string, olds: DeploymentState, news: DeploymentInputs): Promise<pulumi.dynamic.UpdateResult<DeploymentState>> {
      const engine = loadEngine();
      try {
        return { outs: await engine.updateDeployment(olds, news, configured.deps) };
      } catch (e) {
        throw engine.pulumiFailure(e, id, serializedProvider(news));
      }
    },

    async delete(_id: string, olds: DeploymentState): Promise<void> {
      await loadEngine().deleteDeployment(olds, configured.deps);
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
  /** Work a failed run left: finished or removed by the next update or destroy. */
  declare readonly pending: pulumi.Output<PendingWork[]>;

  constructor(name: string, args: VertexModelDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vertexDeploymentProvider(),
      name,
      { ...args, operationTimeoutSeconds: args.operationTimeoutSeconds ?? 3600, deployed: undefined, trafficSplit: undefined, pending: undefined },
      opts,
      'mlserve',
      'VertexModelDeployment',
    );
  }
}
