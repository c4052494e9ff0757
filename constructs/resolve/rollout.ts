/**
 * An endpoint's rollout: the strategy it gets, SageMaker's blue/green deployment for it, and Vertex's
 * staged traffic split. The bounds and timing rules are in `rollout-rules.ts`.
 */
import type { ParityNote } from '../parity';
import type { AwsEndpointPlan, GcpEndpointPlan, ResolvedRollout, ResolvedScaling } from '../resolved-topology';
import { blueGreenTiming, defaultRolloutStrategy, rolloutSteps, sageMakerTrafficRouting } from '../rollout-rules';
import type { EndpointSpec } from '../spec/topology-schema';

export function resolveRollout(rollout: EndpointSpec['rollout'], production: boolean, environment: string): ResolvedRollout {
  return {
    strategy: rollout.strategy ?? defaultRolloutStrategy(production, environment),
    stepPercent: rollout.stepPercent,
    bakeSeconds: rollout.bakeSeconds,
    autoRollback: rollout.autoRollback,
  };
}

export function awsDeployment(
  mode: EndpointSpec['mode'],
  scaling: ResolvedScaling,
  rollout: ResolvedRollout,
  path: string,
  parity: ParityNote[],
): AwsEndpointPlan['deployment'] {
  // Serverless variants get blue/green too (guardrails exclude them from rolling deployments only),
  // but all at once: canary and linear steps are sized in instance capacity, which a serverless
  // variant does not have and a one-instance variant cannot split.
  const trafficRouting = sageMakerTrafficRouting(mode, rollout.strategy, scaling.min);
  if (trafficRouting === 'ALL_AT_ONCE' && (rollout.strategy === 'canary' || rollout.strategy === 'linear')) {
    parity.push({
      path: `${path}.rollout.strategy`,
      cloud: 'aws',
      realisedAs: 'blue/green, all traffic at once, with the bake and alarm rollback',
      reason:
        mode === 'serverless'
          ? 'SageMaker sizes canary and linear steps in instance capacity, which a serverless variant does not have [U]'
          : `SageMaker sizes canary and linear steps as at most half a variant's instances, and these variants may run on ${scaling.min} instance (scaling.min); set scaling.min >= 2 for a ${rollout.strategy}`,
    });
  }
  const timing = blueGreenTiming(trafficRouting, rollout);
  return {
    trafficRouting,
    stepPercent: rollout.stepPercent,
    waitIntervalSeconds: timing.waitIntervalSeconds,
    maximumExecutionTimeoutSeconds: timing.maximumExecutionTimeoutSeconds,
    terminationWaitSeconds: timing.terminationWaitSeconds,
    autoRollback: rollout.autoRollback,
  };
}

export function gcpRollout(rollout: ResolvedRollout, path: string, parity: ParityNote[]): GcpEndpointPlan['rollout'] {
  const steps = rolloutSteps(rollout);
  if (rollout.strategy !== 'all-at-once' && rollout.autoRollback) {
    parity.push({
      path: `${path}.rollout.autoRollback`,
      cloud: 'gcp',
      realisedAs: `traffic moves to the new model in steps of ${steps.join(' → ')} % with ${rollout.bakeSeconds} s bake; rollback is a redeploy of the previous model`,
      reason: 'Vertex AI has no deployment guardrails and no alarm-driven rollback (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/deployModel)',
    });
  }
  return { steps, bakeSeconds: rollout.strategy === 'all-at-once' ? 0 : rollout.bakeSeconds };
}
