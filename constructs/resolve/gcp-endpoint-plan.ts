/** The Vertex side of an endpoint: its names, autoscaling metric specs, staged rollout and request logging. */
import { gcpEndpointNames } from '../naming';
import type { ParityNote } from '../parity';
import type { GcpEndpointPlan, ResolvedRollout, ResolvedScaling, ResolvedSharing, ResolvedVariant } from '../resolved-topology';
import type { EndpointSpec } from '../spec/topology-schema';
import type { GcpPoolDecision } from './gcp-deployment-pool';
import { gcpRollout } from './rollout';
import { gcpScaleToZeroPlan } from './scale-to-zero';
import { gcpAutoscalingMetricSpecs } from './scaling';
import type { TopologyNames } from './topology-names';

export function gcpEndpointPlan(
  e: EndpointSpec,
  scaling: ResolvedScaling,
  rollout: ResolvedRollout,
  firstVariant: ResolvedVariant,
  names: TopologyNames,
  path: string,
  parity: ParityNote[],
  sharing?: ResolvedSharing,
  pool?: GcpPoolDecision,
): GcpEndpointPlan {
  const autoscalingMetricSpecs = gcpAutoscalingMetricSpecs(e, scaling, firstVariant, path, parity);
  const stagedRollout = gcpRollout(rollout, path, parity);
  const { loggingDatasetId, ...gcpNames } = gcpEndpointNames(names.topology, names.environment, e.name);
  return {
    ...gcpNames,
    // A pool and the endpoints deployed to it have the same CMEK key.
    ...(pool && 'pool' in pool && { keyName: pool.pool.keyName, deploymentResourcePool: pool.pool }),
    autoscalingMetricSpecs,
    rollout: stagedRollout,
    requestResponseLoggingRate: e.dataCapture ? e.dataCapture.samplingPercent / 100 : 0,
    ...(e.dataCapture && { loggingDatasetId }),
    ...gcpScaleToZeroPlan(scaling, sharing, pool, path, parity),
  };
}
