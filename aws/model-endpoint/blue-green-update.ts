/**
 * SageMaker's blue/green update policy for an endpoint's resolved deployment (canary or linear
 * steps by capacity, or all at once), the same for a model endpoint and an inference-component pool.
 */
import type * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { ResolvedEndpoint } from '../../constructs';

export function blueGreenUpdatePolicy(deployment: ResolvedEndpoint['aws']['deployment']): sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty {
  const step = { type: 'CAPACITY_PERCENT', value: deployment.stepPercent };
  return {
    trafficRoutingConfiguration: {
      type: deployment.trafficRouting,
      waitIntervalInSeconds: deployment.waitIntervalSeconds,
      canarySize: deployment.trafficRouting === 'CANARY' ? step : undefined,
      linearStepSize: deployment.trafficRouting === 'LINEAR' ? step : undefined,
    },
    maximumExecutionTimeoutInSeconds: deployment.maximumExecutionTimeoutSeconds,
    terminationWaitInSeconds: deployment.terminationWaitSeconds,
  };
}
