/**
 * Checks of `ModelEndpointProps` that the topology schema cannot make for a resolved endpoint built
 * by hand, collected and thrown once. The serverless rules are the schema's (`serverlessProblems`).
 */
import type { Construct } from 'constructs';
import { MAX_ASYNC_INVOCATIONS_PER_INSTANCE, serverlessProblems, type ResolvedEndpoint, type ServerlessRuleField } from '../../constructs';
import { parseEcrImageUri } from '../private/ecr-image';
import { throwIfProblems, type PropProblem } from '../private/problems';
import { parseS3Uri } from '../private/s3-location';
import type { ModelEndpointProps } from './model-endpoint';

export function validateModelEndpointProps(scope: Construct, props: ModelEndpointProps): void {
  const spec = props.endpoint;
  const problems: PropProblem[] = [];
  if (spec.mode === 'async' && !props.asyncResultQueue) {
    problems.push({ path: 'asyncResultQueue', message: 'required when endpoint.mode is async: success and error notifications feed it' });
  }
  if (spec.mode === 'async' && spec.performance.concurrencyPerReplica > MAX_ASYNC_INVOCATIONS_PER_INSTANCE) {
    problems.push({
      path: 'endpoint.performance.concurrencyPerReplica',
      message: `becomes MaxConcurrentInvocationsPerInstance, which SageMaker takes from 1 to ${MAX_ASYNC_INVOCATIONS_PER_INSTANCE}, got ${spec.performance.concurrencyPerReplica}`,
    });
  }
  problems.push(...serverlessPropProblems(spec));
  if (spec.scaling.min > spec.scaling.max) {
    problems.push({ path: 'endpoint.scaling.min', message: `must be <= scaling.max (${spec.scaling.max}), got ${spec.scaling.min}` });
  }
  for (const [i, variant] of spec.variants.entries()) {
    try {
      parseEcrImageUri(variant.model.image.aws);
    } catch (e) {
      problems.push({ path: `endpoint.variants[${i}].model.image.aws`, message: (e as Error).message });
    }
    const artifact = variant.model.artifact?.aws;
    if (artifact) {
      try {
        parseS3Uri(artifact);
      } catch (e) {
        problems.push({ path: `endpoint.variants[${i}].model.artifact.aws`, message: (e as Error).message });
      }
    }
  }
  throwIfProblems(scope, problems);
}

function serverlessPropProblems(spec: ResolvedEndpoint): PropProblem[] {
  const accelerated = spec.variants.findIndex((v) => v.requested.accelerator.type !== 'none');
  const paths: Record<ServerlessRuleField, string> = {
    serverless: 'endpoint.serverless',
    variants: 'endpoint.variants',
    dataCapture: 'endpoint.dataCapture',
    accelerator: `endpoint.variants[${accelerated}].requested.accelerator.type`,
  };
  return serverlessProblems({
    mode: spec.mode,
    hasServerlessConfig: spec.serverless !== undefined,
    variantCount: spec.variants.length,
    capturesData: spec.dataCapture !== undefined,
    accelerated: accelerated >= 0,
  }).map((p) => ({ path: paths[p.field], message: p.message }));
}
