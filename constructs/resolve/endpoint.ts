/**
 * An endpoint: its scaling, rollout and variants, then the SageMaker and Vertex plans built from
 * them, and the parity notes for the modes Vertex has no counterpart for.
 */
import { ENDPOINT_ALARM_EVALUATION } from '../alarm-evaluation';
import type { ParityNote } from '../parity';
import type { ResolvedEndpoint } from '../resolved-topology';
import type { EndpointSpec } from '../spec/topology-schema';
import { awsEndpointPlan } from './aws-endpoint-plan';
import { gcpEndpointPlan } from './gcp-endpoint-plan';
import { resolveRollout } from './rollout';
import { gcpPoolDecision } from './gcp-deployment-pool';
import { resolveSharing } from './scale-to-zero';
import { resolveScaling } from './scaling';
import type { TopologyNames } from './topology-names';
import { resolveVariant } from './variant';

export function resolveEndpoint(
  e: EndpointSpec,
  path: string,
  names: TopologyNames,
  production: boolean,
  parity: ParityNote[],
  poolMembers: readonly EndpointSpec[] = [e],
): ResolvedEndpoint {
  const scaling = resolveScaling(e.scaling, production);
  const sharing = resolveSharing(e, poolMembers.map((m) => m.name));
  const rollout = resolveRollout(e.rollout, production, names.environment);
  const variantSpecs = e.variants ?? [{ name: 'primary', weight: 100, model: undefined, compute: undefined }];
  const variants = variantSpecs.map((v, i) =>
    resolveVariant(
      {
        name: v.name,
        weight: v.weight,
        model: v.model ?? e.model,
        compute: v.compute ?? e.compute,
        computePath: v.compute ? `${path}.variants[${i}].compute` : `${path}.compute`,
        performance: e.performance,
        scaling,
      },
      e.variants ? `${path}.variants[${i}]` : path,
      [names.topology, names.environment, e.name],
      parity,
    ),
  );
  const aws = awsEndpointPlan(e, scaling, rollout, variants, names, path, parity, sharing, { members: poolMembers, production });
  const poolInstances = aws.inferenceComponent?.poolInstances;
  const pool = sharing && poolInstances ? gcpPoolDecision(sharing, poolMembers, variants[0], poolInstances, names) : undefined;
  const gcp = gcpEndpointPlan(e, scaling, rollout, variants[0], names, path, parity, sharing, pool);
  if (e.mode === 'async') {
    parity.push({
      path: `${path}.mode`,
      cloud: 'gcp',
      realisedAs: 'a real-time Vertex endpoint; asynchronous requests and results go through the async-inference queue (Pub/Sub)',
      reason: 'Vertex AI has no asynchronous inference endpoint (https://cloud.google.com/vertex-ai/docs/predictions/choose-endpoint-type)',
    });
  }
  if (e.mode === 'serverless') {
    parity.push({
      path: 'network.private',
      cloud: 'aws',
      realisedAs: `endpoint ${e.name} (serverless) runs outside the VPC, without network isolation`,
      reason: 'SageMaker Serverless Inference supports neither VPC configuration nor network isolation; use mode realtime to keep the model private',
    });
    parity.push({
      path: `${path}.mode`,
      cloud: 'gcp',
      realisedAs: `dedicated replicas (min ${scaling.min}, max ${scaling.max}) on ${variants[0].gcp.machineType}`,
      reason: 'Vertex AI has no serverless custom-model endpoint; scale-to-zero is a v1beta1 preview that IaC cannot set (https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/DedicatedResources)',
    });
  }
  if (e.scaling.scaleInCooldownSeconds !== 300 || e.scaling.scaleOutCooldownSeconds !== 300) {
    parity.push({
      path: `${path}.scaling`,
      cloud: 'gcp',
      realisedAs: 'Vertex defaults: evaluation every 15 s, 5-minute scale-down stabilisation window',
      reason: 'Vertex AI autoscaling exposes no cooldowns (AutoscalingMetricSpec and DedicatedResources references); it scales down after its stabilisation window',
    });
  }
  return {
    name: e.name,
    mode: e.mode,
    slo: e.slo,
    dataCapture: e.dataCapture,
    traffic: e.traffic,
    scaling,
    rollout,
    variants,
    performance: variants[0].performance,
    serverless: e.serverless,
    ...(sharing && { sharing }),
    alarmEvaluation: ENDPOINT_ALARM_EVALUATION,
    aws,
    gcp,
  };
}
