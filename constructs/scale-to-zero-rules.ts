/**
 * What an endpoint that scales to zero, or shares an instance pool with other endpoints, may be,
 * decided once: the schema rejects a topology that breaks these rules.
 *
 * SageMaker scales an endpoint to zero instances only when it hosts inference components, with the
 * production variant's ManagedInstanceScaling MinInstanceCount 0, a scalable target on
 * `sagemaker:inference-component:DesiredCopyCount` with min 0, and a step scaling policy on an alarm on
 * NoCapacityInvocationFailures to wake it; requests fail while it provisions, which "takes several
 * minutes" (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html).
 * Several inference components, each with its own compute requirements, share an endpoint's instances
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-inferencecomponent.html).
 *
 * Vertex AI scales to zero in the v1beta1 API only: DedicatedResources minReplicaCount 0 with
 * initialReplicaCount (> 0, ≤ maxReplicaCount) and ScaleToZeroSpec { minScaleupPeriod,
 * idleScaledownPeriod }, each [MinValue=300] (5 minutes) to [MaxValue=28800] (8 hours)
 * (google/cloud/aiplatform/v1beta1/machine_resources.proto in @google-cloud/aiplatform;
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/DedicatedResources. The .NET v1beta1
 * reference prints idleScaledownPeriod's minimum as "3600 (5 minutes)"; the proto says 300). The v1
 * proto has none of these fields and requires min_replica_count >= 1. The default idle period,
 * 1 hour, is `gcloud beta ai endpoints deploy-model --idle-scaledown-period`'s
 * (https://cloud.google.com/sdk/gcloud/reference/beta/ai/endpoints/deploy-model).
 */
import type { EndpointMode, ScalingMetric } from './spec/topology-schema';

/** Seconds an endpoint at `scaling.min: 0` waits without traffic before scaling in to zero (Vertex ScaleToZeroSpec.idleScaledownPeriod). */
export const IDLE_SECONDS = { min: 300, max: 28_800, default: 3_600 } as const;

/** Vertex ScaleToZeroSpec.minScaleupPeriod: a woken deployment stays up at least this long (5 minutes to 8 hours). */
export const MIN_SCALEUP_SECONDS = { min: 300, max: 28_800 } as const;

/** What the rules read of an endpoint as written. */
export interface ScaleToZeroRuleInput {
  readonly mode: EndpointMode;
  /** `scaling.min` as written (undefined: the environment's floor, never 0). */
  readonly min: number | undefined;
  readonly idleSeconds: number | undefined;
  readonly variantCount: number;
  readonly production: boolean;
  readonly targetMetric: ScalingMetric;
}

/** The part of the endpoint a problem is about; each caller turns it into its own path. */
export type ScaleToZeroRuleField = 'scaling.min' | 'scaling.idleSeconds' | 'variants' | 'mode' | 'scaling.target.metric';

/** Inference components scale their copies on invocations or concurrency per copy only (SAGEMAKER_COPY_SCALING_METRICS). */
export function copyScalingProblem(metric: ScalingMetric): string | undefined {
  return metric === 'invocations' || metric === 'concurrency'
    ? undefined
    : `an inference component (scaling.min 0, or sharing) scales its copies on invocations or concurrency per copy (SageMakerInferenceComponentInvocationsPerCopy, SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution); got ${metric}`;
}

export interface ScaleToZeroProblem {
  readonly field: ScaleToZeroRuleField;
  readonly message: string;
}

/** Every way `endpoint` breaks the scale-to-zero rules; none for an endpoint that keeps them. */
export function scaleToZeroProblems(endpoint: ScaleToZeroRuleInput): ScaleToZeroProblem[] {
  if (endpoint.min !== 0) {
    return endpoint.idleSeconds === undefined
      ? []
      : [{ field: 'scaling.idleSeconds', message: `only applies when scaling.min is 0 (scaling.min is ${endpoint.min ?? 'unset'}); remove it or set scaling.min: 0` }];
  }
  const problems: ScaleToZeroProblem[] = [];
  if (endpoint.production) {
    problems.push({
      field: 'scaling.min',
      message: 'got 0: production endpoints keep at least 2 instances, one per zone (security rule SRV-01), so they never scale to zero; allowed in production: 2 or more (0 is allowed outside production)',
    });
  }
  if (endpoint.mode !== 'realtime') {
    problems.push({
      field: 'mode',
      message: `scaling.min 0 scales a realtime endpoint to zero through SageMaker inference components and Vertex AI scale-to-zero; got mode ${endpoint.mode} (serverless endpoints are at zero when idle already)`,
    });
  }
  const metricProblem = copyScalingProblem(endpoint.targetMetric);
  if (metricProblem) problems.push({ field: 'scaling.target.metric', message: metricProblem });
  if (endpoint.variantCount > 1) {
    problems.push({
      field: 'variants',
      message: `an endpoint at scaling.min 0 serves one model: Vertex AI scales to zero only an endpoint with one deployed model; got ${endpoint.variantCount} variants`,
    });
  }
  return problems;
}
