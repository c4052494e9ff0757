/**
 * The Vertex model-deployment engine, by the path the `VertexModelDeployment` provider loads it
 * from at run time (gcp/vertex-model-deployment.ts). Stacks deployed with an earlier version of
 * this project carry that provider in their state, so the path stays; the code lives in
 * gcp/vertex-deployment/.
 */
export * from './vertex-deployment/deployment-engine';
export * from './vertex-deployment/deployment-inputs';
export * from './vertex-deployment/gcp-credentials';
export * from './vertex-deployment/partial-failure';
export * from './vertex-deployment/traffic-split';
export * from './vertex-deployment/vertex-api';
