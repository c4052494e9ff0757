import type { PredictPayload } from '../models/sample-payloads';
import { HttpTarget, type HttpTargetSpec } from './http-target';
import { PipelineTarget } from './pipeline/pipeline-target';
import type { PipelineTargetSpec } from './pipeline/pipeline-target-spec';
import { RagTarget } from './rag/rag-target';
import type { RagTargetSpec } from './rag/rag-target-spec';
import { SageMakerTarget, type SageMakerTargetSpec } from './sagemaker-target';
import type { Target } from './target';
import { VertexClientTarget } from './vertex-client-target';
import { VertexRestTarget } from './vertex-rest-target';
import type { VertexTargetSpec } from './vertex-target-spec';

/** A target as plain data: what a worker thread receives to build its own client. */
export type TargetSpec = SageMakerTargetSpec | VertexTargetSpec | HttpTargetSpec | RagTargetSpec | PipelineTargetSpec;

export function createTarget(spec: TargetSpec, payloads: readonly PredictPayload[]): Target {
  switch (spec.kind) {
    case 'sagemaker':
      return new SageMakerTarget(spec, payloads);
    case 'vertex':
      return spec.client === 'aiplatform' ? new VertexClientTarget(spec, payloads) : new VertexRestTarget(spec, payloads);
    case 'http':
      return new HttpTarget(spec, payloads);
    case 'rag':
      // The queries travel in the spec with their ground truth; payload i is query i.
      return new RagTarget(spec);
    case 'pipeline':
      // The documents travel in the spec; payload i updates document i of its sequence.
      return new PipelineTarget(spec);
  }
}
