/** The SageMaker side of an endpoint: its name, the metric its variants scale on, and its deployment. */
import { createHash } from 'node:crypto';
import { AWS_NAMING, fitName } from '../naming';
import type { ParityNote } from '../parity';
import type { AwsEndpointPlan, ResolvedRollout, ResolvedScaling, ResolvedSharing, ResolvedVariant } from '../resolved-topology';
import type { EndpointSpec } from '../spec/topology-schema';
import { awsDeployment } from './rollout';
import { awsIdleParityNote, awsInferenceComponentPlan, hostedAsInferenceComponent, poolEndpointName } from './scale-to-zero';
import { awsScalingMetric } from './scaling';
import type { TopologyNames } from './topology-names';

export function awsEndpointPlan(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  rollout: ResolvedRollout,
  variants: readonly ResolvedVariant[],
  names: TopologyNames,
  path: string,
  parity: ParityNote[],
  sharing: ResolvedSharing | undefined,
  pool: { readonly members: readonly EndpointSpec[]; readonly production: boolean },
): AwsEndpointPlan {
  const scalingMetric = awsScalingMetric(e);
  const deployment = awsDeployment(e.mode, scaling, rollout, path, parity);
  const inferenceComponent = hostedAsInferenceComponent(e) ? awsInferenceComponentPlan(e, scaling, variants[0], sharing, names, pool) : undefined;
  const idleNote = awsIdleParityNote(scaling, path);
  if (idleNote) parity.push(idleNote);
  return {
    endpointName: inferenceComponent ? poolEndpointName(names, inferenceComponent.pool) : awsEndpointName(names, e, variants),
    scalingMetric,
    deployment,
    volumeKms: e.mode === 'serverless' || !variants.some((v) => v.aws.localNvme),
    ...(inferenceComponent && { inferenceComponent }),
  };
}

/**
 * The SageMaker endpoint's name. SageMaker updates an endpoint in place only while its variant names
 * stay the same (deployment guardrails need them) and its kind stays the same; a new set of variant
 * names, or a switch between real-time, serverless and async, is a new endpoint. So the name carries a
 * short hash of the mode and the variant names, except for the plain real-time endpoint with its one
 * implicit variant, which keeps `<topology>-<environment>-<endpoint>`. Right-sizing, new models,
 * weights and scaling bounds keep the name.
 */
function awsEndpointName(names: TopologyNames, e: EndpointSpec, variants: readonly ResolvedVariant[]): string {
  const base = [names.topology, names.environment, e.name];
  if (e.mode === 'realtime' && !e.variants) return fitName(base, AWS_NAMING.sagemakerEndpoint);
  const generation = `${e.mode}:${variants.map((v) => v.aws.variantName).sort().join(',')}`;
  return fitName([...base, createHash('sha256').update(generation).digest('hex').slice(0, ENDPOINT_GENERATION_HASH_LENGTH)], AWS_NAMING.sagemakerEndpoint);
}

/** Hex digits of the endpoint-generation hash: 65,536 generations per endpoint before two could share a name. */
const ENDPOINT_GENERATION_HASH_LENGTH = 4;
