/**
 * What a serverless endpoint may be, decided once: the schema rejects a topology that breaks these
 * rules, and the AWS `ModelEndpoint` rejects a resolved endpoint built by hand that breaks them.
 *
 * SageMaker Serverless Inference: ServerlessConfig MemorySizeInMB 1024–6144 in 1 GiB steps and
 * MaxConcurrency 1–200 (SageMaker API reference, ProductionVariantServerlessConfig); one production
 * variant, no data capture and no GPUs (SageMaker Developer Guide, serverless endpoints, feature
 * exclusions).
 */
import type { EndpointMode } from './spec/topology-schema';

export const SERVERLESS_LIMITS = {
  memorySizesGiB: [1, 2, 3, 4, 5, 6],
  maxConcurrency: { min: 1, max: 200 },
  variants: 1,
} as const;

/** What the rules read of an endpoint, as written or resolved. */
export interface ServerlessRuleInput {
  readonly mode: EndpointMode;
  /** Whether the endpoint carries a serverless config (memory and concurrency). */
  readonly hasServerlessConfig: boolean;
  readonly variantCount: number;
  readonly capturesData: boolean;
  /** Whether the endpoint asks for an accelerator. */
  readonly accelerated: boolean;
}

/** The part of the endpoint a problem is about; each caller turns it into its own path. */
export type ServerlessRuleField = 'serverless' | 'variants' | 'dataCapture' | 'accelerator';

export interface ServerlessProblem {
  readonly field: ServerlessRuleField;
  readonly message: string;
}

/** Every way `endpoint` breaks the serverless rules; none for an endpoint that keeps them. */
export function serverlessProblems(endpoint: ServerlessRuleInput): ServerlessProblem[] {
  if (endpoint.mode !== 'serverless') {
    return endpoint.hasServerlessConfig ? [{ field: 'serverless', message: `only allowed when mode is serverless (mode is ${endpoint.mode})` }] : [];
  }
  const problems: ServerlessProblem[] = [];
  if (!endpoint.hasServerlessConfig) problems.push({ field: 'serverless', message: 'required when mode is serverless' });
  if (endpoint.variantCount > SERVERLESS_LIMITS.variants) {
    problems.push({ field: 'variants', message: `serverless endpoints take one variant, got ${endpoint.variantCount}` });
  }
  if (endpoint.capturesData) problems.push({ field: 'dataCapture', message: 'serverless endpoints do not support data capture; remove it or use mode realtime' });
  if (endpoint.accelerated) problems.push({ field: 'accelerator', message: 'serverless endpoints run on CPU only (SageMaker ServerlessConfig)' });
  return problems;
}
