/**
 * The Vertex model-deployment engine, by the path the `VertexModelDeployment` provider loads it
 * from at run time (model-endpoint/vertex-model-deployment.ts). Stacks deployed with an earlier
 * version of this project carry that provider, with this path, in their state, so the path stays;
 * the code lives in model-endpoint/vertex-deployment/.
 */
export * from './model-endpoint/vertex-deployment/deployment-engine';
export * from './model-endpoint/vertex-deployment/deployment-inputs';
export * from './model-endpoint/vertex-deployment/gcp-credentials';
export * from './model-endpoint/vertex-deployment/partial-failure';
export * from './model-endpoint/vertex-deployment/resource-pool-engine';
export * from './model-endpoint/vertex-deployment/traffic-split';
export * from './model-endpoint/vertex-deployment/vertex-api';
