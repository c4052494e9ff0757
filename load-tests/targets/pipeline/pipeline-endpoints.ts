/**
 * Where a `--target pipeline` run publishes and searches, found before planning: from the local
 * endpoints' `GET /emulator` listing (`--endpoint-url`), or from deployed stacks' outputs
 * (`--stack-outputs`). A queue or store that was not found is absent; the plan says which.
 */
import type { PipelineSearchStore, PubsubSourceQueue, SqsSourceQueue } from './pipeline-target-spec';

export interface PipelineEndpoints {
  /** The flag the addresses came from, for error messages. */
  readonly flag: '--endpoint-url' | '--stack-outputs';
  /** What was read: `http://127.0.0.1:8780/emulator`, or the outputs file. */
  readonly source: string;
  /** Queue names the source holds, to say what is there when the pipeline's is not. */
  readonly queueNames: readonly string[];
  readonly queues: { readonly aws?: SqsSourceQueue; readonly gcp?: PubsubSourceQueue };
  readonly stores: { readonly aws?: PipelineSearchStore; readonly gcp?: PipelineSearchStore };
}
