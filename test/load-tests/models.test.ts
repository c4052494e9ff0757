import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { createModel, MODEL_KINDS, modelKindFor, ModelInputError } from '../../load-tests/models/endpoint-model';
import { cosineSimilarity, HashingTextEmbedder } from '../../load-tests/models/hashing-text-embedder';
import { LinearRanker, RANKER_FEATURES } from '../../load-tests/models/linear-ranker';
import { samplePayloads } from '../../load-tests/models/sample-payloads';

describe('models', () => {
  it('embeds deterministically into unit vectors; shared words mean closer vectors', () => {
    const e = new HashingTextEmbedder(768);
    const a = e.embed('Hurricane forces evacuation on the coast');
    expect(Array.from(a)).toEqual(Array.from(e.embed('Hurricane forces evacuation on the coast')));
    expect(cosineSimilarity(a, a)).toBeCloseTo(1, 12);
    const near = cosineSimilarity(a, e.embed('coast evacuation ordered before the hurricane'));
    const far = cosineSimilarity(a, e.embed('central bank raises interest rates'));
    expect(near).toBeGreaterThan(far + 0.3);
  });

  it('ranks fresher, more engaging candidates higher', () => {
    const ranker = new LinearRanker();
    const base = RANKER_FEATURES.map(() => 0.2);
    const engaging = [...base];
    engaging[RANKER_FEATURES.indexOf('ctr_1d')] = 0.2 + 0.5;
    const stale = [...base];
    stale[RANKER_FEATURES.indexOf('age_hours')] = 48;
    expect(ranker.score(engaging)).toBeGreaterThan(ranker.score(base));
    expect(ranker.score(stale)).toBeLessThan(ranker.score(base));
  });

  it('reads the sample payloads of its own kind, and refuses others with ModelInputError', () => {
    for (const kind of MODEL_KINDS) {
      const model = createModel(kind, { embeddingDimensions: 64 });
      const [payload] = samplePayloads(kind, { count: 1 });
      expect(model.predict(payload.instances)).toHaveLength(payload.instances.length);
      const other = MODEL_KINDS.find((k) => k !== kind && !(kind === 'embedder' && k === 'reranker')) ?? 'ranker';
      expect(() => model.predict(samplePayloads(other, { count: 1 })[0].instances)).toThrow(ModelInputError);
    }
  });

  it('picks each bundled endpoint\'s model by name', () => {
    expect(resolveTopology(preset('dev')).endpoints.map(modelKindFor)).toEqual(['ranker', 'embedder', 'reranker']);
  });
});
