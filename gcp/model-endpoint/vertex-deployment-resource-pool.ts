/**
 * `VertexDeploymentResourcePool`: a Pulumi dynamic resource for a Vertex AI deployment resource
 * pool, the replicas that the models of several endpoints share
 * (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting). @pulumi/gcp 9.37 has
 * `vertex.AiDeploymentResourcePool`, but without `encryptionSpec` or `serviceAccount`: a pool
 * must have its endpoints' CMEK ("Endpoints and the DeploymentResourcePool they deploy in need to
 * have the same EncryptionSpec", deployment_resource_pool.proto), and its containers run as its
 * service account. So the pool goes through the same engine as the model deployment, tested
 * against the same strict fake. Members are deployed by each endpoint's `VertexModelDeployment`
 * with `sharedResources: poolName`, and depend on this resource, so a destroy undeploys them first.
 */
import * as pulumi from '@pulumi/pulumi';
import type { PoolInputs, PoolState, EngineDeps } from '../vertex-deployment-engine';
import { loadEngine } from './vertex-model-deployment';

/** The provider; `deps` as for `vertexDeploymentProvider`. */
export function vertexDeploymentResourcePoolProvider(deps: EngineDeps = {}): pulumi.dynamic.ResourceProvider<PoolInputs, PoolState> {
  const configured: { deps: EngineDeps } = { deps };
  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      configured.deps = { ...deps, credentials: loadEngine().credentialSettings((key) => req.config.get(key), process.env) };
    },
    async check(_olds: PoolInputs, news: PoolInputs): Promise<pulumi.dynamic.CheckResult<PoolInputs>> {
      const { __provider: _serialized, ...raw } = news as PoolInputs & { __provider?: string };
      const { inputs, failures } = loadEngine().checkPoolInputs(raw);
      return inputs ? { inputs } : { failures };
    },
    async diff(_id: string, olds: PoolState, news: PoolInputs): Promise<pulumi.dynamic.DiffResult> {
      // A new pool under a new id comes first; its members move onto it; the old pool goes last.
      return { ...loadEngine().diffPool(olds, news), deleteBeforeReplace: false };
    },
    async create(inputs: PoolInputs): Promise<pulumi.dynamic.CreateResult<PoolState>> {
      const outs = await loadEngine().createPool(inputs, configured.deps);
      return { id: outs.poolName, outs };
    },
    async read(id: string, props?: PoolState): Promise<pulumi.dynamic.ReadResult<PoolState>> {
      if (!props) throw new Error('VertexDeploymentResourcePool cannot be imported: create it instead');
      const outs = await loadEngine().readPool(props, configured.deps);
      return outs ? { id, props: outs } : {};
    },
    async update(_id: string, olds: PoolState, news: PoolInputs): Promise<pulumi.dynamic.UpdateResult<PoolState>> {
      return { outs: await loadEngine().updatePool(olds, news) };
    },
    async delete(_id: string, olds: PoolState): Promise<void> {
      await loadEngine().deletePool(olds, configured.deps);
    },
  };
}

export interface VertexDeploymentResourcePoolArgs {
  readonly project: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  /** Fixed at creation: a change of any setting below needs a new id (resolve puts a hash of the settings in it: constructs/resolve/gcp-deployment-pool.ts). */
  readonly poolId: pulumi.Input<string>;
  /** @default https://{region}-aiplatform.googleapis.com */
  readonly apiBaseUrl?: pulumi.Input<string>;
  readonly machineType: pulumi.Input<string>;
  readonly acceleratorType?: pulumi.Input<string>;
  readonly acceleratorCount: pulumi.Input<number>;
  /** At least 1: a pool never scales to zero. */
  readonly minReplicaCount: pulumi.Input<number>;
  readonly maxReplicaCount: pulumi.Input<number>;
  readonly autoscalingMetricSpecs: PoolInputs['autoscalingMetricSpecs'];
  /** The members' endpoints' CMEK. */
  readonly encryptionKmsKeyName?: pulumi.Input<string>;
  /** Identity the pool's containers run as. */
  readonly serviceAccount?: pulumi.Input<string>;
  /** @default 3600 */
  readonly operationTimeoutSeconds?: number;
}

export class VertexDeploymentResourcePool extends pulumi.dynamic.Resource {
  /** `projects/…/locations/…/deploymentResourcePools/…`: a member's `sharedResources`. */
  declare readonly poolName: pulumi.Output<string>;

  constructor(name: string, args: VertexDeploymentResourcePoolArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vertexDeploymentResourcePoolProvider(),
      name,
      { ...args, operationTimeoutSeconds: args.operationTimeoutSeconds ?? 3600, poolName: undefined },
      opts,
      'mlserve',
      'VertexDeploymentResourcePool',
    );
  }
}
