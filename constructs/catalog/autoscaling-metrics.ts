/**
 * What each cloud's autoscaler can track, by its own metric names, and the vendor figures a target is
 * derived with. Tables only: which metric an endpoint gets is decided in `resolve/scaling.ts`.
 */
import { assumptionSet } from '../assumptions';

/** SageMaker's load-test rule for a scaling target: MAX_RPS × SAFETY_FACTOR × 60 (assumption `target.safety-factor`). */
export const SCALING_SAFETY_FACTOR = assumptionSet('aws').value('target.safety-factor');

/** Vertex's default utilisation target, 60 % (assumption `target.vertex-default-utilisation`). */
export const VERTEX_DEFAULT_UTILISATION_TARGET = assumptionSet('gcp').value('target.vertex-default-utilisation');

/**
 * Application Auto Scaling's target-tracking metrics for a SageMaker variant: the two predefined
 * variant metrics, the instance utilisation metrics (summed over a variant's cores and GPUs), and the
 * async endpoint's backlog.
 */
export const SAGEMAKER_SCALING_METRICS = {
  invocations: 'SageMakerVariantInvocationsPerInstance',
  concurrency: 'SageMakerVariantConcurrentRequestsPerModelHighResolution',
  cpu: 'CPUUtilization',
  gpu: 'GPUUtilization',
  asyncBacklog: 'ApproximateBacklogSizePerInstance',
} as const;

/**
 * Target tracking of an inference component's copy count (Application Auto Scaling
 * PredefinedMetricSpecification; SageMaker Developer Guide, "Define a scaling policy"): invocations per
 * copy per minute, or in-flight requests per copy every 10 s. Utilisation has no predefined metric for copies.
 */
export const SAGEMAKER_COPY_SCALING_METRICS = {
  invocations: 'SageMakerInferenceComponentInvocationsPerCopy',
  concurrency: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution',
} as const;

export const VERTEX_METRICS = {
  cpu: 'aiplatform.googleapis.com/prediction/online/cpu/utilization',
  gpu: 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle',
  requests: 'aiplatform.googleapis.com/prediction/online/request_count',
} as const;
