/** The serving network: private, spread over zones, and the AWS services the VPC reaches without the internet. */
import type { AwsInterfaceEndpointService, ResolvedNetwork } from '../resolved-topology';
import type { Topology } from '../spec/topology-schema';

export function resolveNetwork(topology: Topology, production: boolean): ResolvedNetwork {
  return {
    private: true,
    zoneCount: production ? 3 : 2,
    aws: { interfaceEndpoints: interfaceEndpoints(topology) },
    existing: topology.network.existing,
  };
}

/**
 * What the serving VPC reaches without the internet: clients call SageMaker Runtime; roles assume
 * through STS; keys, logs and metrics; SQS when there are queues, SNS for async notifications.
 */
function interfaceEndpoints(topology: Topology): AwsInterfaceEndpointService[] {
  const hasAsync = topology.endpoints.some((e) => e.mode === 'async');
  return [
    'sagemaker.runtime',
    'sts',
    'kms',
    'logs',
    'monitoring',
    ...(topology.queues.length > 0 || hasAsync ? (['sqs'] as const) : []),
    ...(hasAsync ? (['sns'] as const) : []),
  ];
}
