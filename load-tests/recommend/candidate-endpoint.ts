/**
 * An endpoint of the topology re-sized to another catalog shape and other replica bounds, resolved
 * exactly as resolveTopology resolves any endpoint (so both clouds' plans follow the shape).
 */
import { resolveTopology, type EndpointSpec, type InstanceShape, type ResolvedEndpoint, type Topology } from '../../constructs';

export interface EndpointSize {
  readonly shape: InstanceShape;
  readonly min: number;
  readonly max: number;
}

/**
 * The endpoint on `size`. Scaling targets that count requests (invocations per minute, in-flight
 * requests) and a measured per-replica capacity scale with the shape's relative speed, since a
 * replica twice as fast serves twice as many; utilisation targets stay as they are.
 */
export function candidateEndpoint(topology: Topology, endpointName: string, current: InstanceShape, size: EndpointSize): ResolvedEndpoint {
  const spec = topology.endpoints.find((e) => e.name === endpointName);
  if (!spec) throw new Error(`no endpoint ${endpointName} in ${topology.name}`);
  const ratio = size.shape.relativeSpeed / current.relativeSpeed;
  const compute: EndpointSpec['compute'] = {
    cpus: size.shape.vcpus,
    memoryGiB: size.shape.memoryGiB,
    accelerator: size.shape.accelerator.type === 'none' ? { type: 'none', count: 1 } : { ...size.shape.accelerator },
  };
  const target = spec.scaling.target;
  const candidate: EndpointSpec = {
    ...spec,
    compute,
    variants: spec.variants?.map((v) => ({ ...v, compute: v.compute ? compute : undefined })),
    scaling: {
      ...spec.scaling,
      min: size.min,
      max: size.max,
      target: target.metric === 'invocations' || target.metric === 'concurrency' ? { metric: target.metric, value: target.value * ratio } : target,
      maxRequestsPerSecondPerReplica: spec.scaling.maxRequestsPerSecondPerReplica !== undefined ? spec.scaling.maxRequestsPerSecondPerReplica * ratio : undefined,
    },
  };
  // Resolved alone: a pipeline would name an endpoint this one-endpoint topology lacks, and it changes no endpoint.
  return resolveTopology({ ...topology, endpoints: [candidate], pipelines: {} }).endpoints[0];
}
