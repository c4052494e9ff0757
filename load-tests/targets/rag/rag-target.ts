/**
 * `--target rag`: each request is one user query down the whole retrieval path (embed → k-NN
 * search → rerank the candidates), each stage timed into its own histogram beside the end-to-end
 * latency, with recall@k of the search against the corpus's exact ground truth. A failure names
 * its stage (`search: index_not_found_exception`), so the errors say where the path broke.
 */
import type { CallOutcome, Target, TargetCall, TargetDescription } from '../target';
import { AwsRagStages } from './aws-rag-stages';
import { GcpRagStages } from './gcp-rag-stages';
import { RAG_STAGES, type RagStage, type RagStages } from './rag-stages';
import type { RagTargetSpec } from './rag-target-spec';

export class RagTarget implements Target {
  readonly description: TargetDescription;
  private readonly stages: RagStages;

  constructor(
    private readonly spec: RagTargetSpec,
    stages?: RagStages,
  ) {
    this.stages = stages ?? (spec.cloud === 'aws' ? new AwsRagStages(spec) : new GcpRagStages(spec));
    this.description = {
      kind: 'rag',
      endpoint: spec.cloud === 'aws' ? `${spec.embedderEndpoint} → ${spec.index} → ${spec.rerankerEndpoint}` : `${spec.embedderEndpoint} → ${spec.deployedIndexId} → ${spec.rerankerEndpoint}`,
      url: this.stages.url,
      region: spec.cloud === 'aws' ? spec.region : spec.location,
      client: this.stages.client,
    };
  }

  warmUp(): Promise<void> {
    return this.stages.warmUp();
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    let cancelled = false;
    void this.run(payloadIndex).then((outcome) => {
      if (!cancelled) done(outcome);
    });
    // The clients' own deadlines end abandoned calls; the stages after a cancel never start.
    return { cancel: () => void (cancelled = true) };
  }

  close(): Promise<void> {
    return this.stages.close();
  }

  private async run(payloadIndex: number): Promise<CallOutcome> {
    const query = this.spec.queries[payloadIndex % this.spec.queries.length];
    const { k } = this.spec;
    const stagesMs: Partial<Record<RagStage, number>> = {};
    let stage: RagStage = RAG_STAGES[0];
    const timed = async <T>(name: RagStage, call: () => Promise<T>): Promise<T> => {
      stage = name;
      const start = performance.now();
      const value = await call();
      stagesMs[name] = performance.now() - start;
      return value;
    };
    try {
      const vector = await timed('embed', () => this.stages.embed(query.text));
      const ids = await timed('search', () => this.stages.search(vector, k));
      const passages = ids.map((id) => this.spec.passages[id] ?? '');
      await timed('rerank', () => this.stages.rerank(query.text, passages));
      const truth = new Set(query.neighbors.slice(0, k));
      const found = ids.slice(0, k).filter((id) => truth.has(id)).length;
      return { ok: true, detail: { stagesMs, recall: { found, expected: truth.size } } };
    } catch (error) {
      const classified = this.stages.classify(stage, error);
      return { ok: false, error: { ...classified, name: `${stage}: ${classified.name}` } };
    }
  }
}
