/**
 * What Vertex AI puts in a deployment resource pool (shared resources), decided once from its
 * documentation, "Share resources across deployments"
 * (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting):
 *
 * - only TensorFlow and PyTorch models served by Vertex's prebuilt prediction containers
 *   (https://cloud.google.com/vertex-ai/docs/predictions/pre-built-containers); "Custom containers
 *   aren't supported", and neither are prebuilt containers of other frameworks;
 * - every model of one pool has the same container image, framework version included;
 * - the pool's DedicatedResources own the replicas and their autoscaling, with min_replica_count
 *   "greater than or equal to 1": a model deployed to a pool has no replica bounds of its own and
 *   cannot scale to zero (DeployedModel.prediction_resources is a oneof: dedicated_resources, which
 *   holds v1beta1's scale_to_zero_spec, or shared_resources, the pool's name;
 *   google/cloud/aiplatform/v1/endpoint.proto in @google-cloud/aiplatform);
 * - an empty pool uses no quota: its replicas start with the first model and stop with the last;
 * - at most 20 concurrent deployments to one pool; the endpoint and its pool have the same
 *   EncryptionSpec (DeploymentResourcePool.encryption_spec, deployment_resource_pool.proto).
 */

/** A Vertex prebuilt prediction container for TensorFlow or PyTorch, e.g. us-docker.pkg.dev/vertex-ai/prediction/pytorch-gpu.2-4:latest. */
export const VERTEX_POOLABLE_IMAGE = /^(us|europe|asia)-docker\.pkg\.dev\/vertex-ai\/prediction\/(tf2?|pytorch)-(cpu|gpu)\.\d+-\d+(:[\w.-]+)?$/;

/** DeploymentResourcePool id: `/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/` (CreateDeploymentResourcePoolRequest.deployment_resource_pool_id). */
export const DEPLOYMENT_RESOURCE_POOL_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why these images cannot share a Vertex deployment resource pool; undefined when they can. */
export function vertexPoolImageProblem(images: readonly string[]): string | undefined {
  const custom = images.filter((i) => !VERTEX_POOLABLE_IMAGE.test(i));
  if (custom.length > 0) {
    return `custom containers aren't supported in a Vertex AI deployment resource pool, only Vertex's prebuilt TensorFlow and PyTorch prediction containers (${[...new Set(custom)].join(', ')})`;
  }
  if (new Set(images).size > 1) return `the models of one Vertex AI deployment resource pool have the same container image; got ${[...new Set(images)].join(', ')}`;
  return undefined;
}
