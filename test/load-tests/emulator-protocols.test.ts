/** The emulator on the wire: paths, headers, bodies and error shapes of both protocols. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { samplePayloads } from '../../load-tests/models/sample-payloads';

const resolved = resolveTopology(preset('prod'));
/** The A/B embedder's SageMaker name carries a hash of its variant names. */
const embedderEndpoint = resolved.endpoints.find((e) => e.name === 'embedder')!.aws.endpointName;
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator(resolved, { seed: 5 });
});
afterAll(() => emulator.close());

const rankerBody = JSON.stringify(samplePayloads('ranker', { count: 1, batch: 3 })[0]);
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('SageMaker runtime protocol', () => {
  it('answers InvokeEndpoint with the invoked variant, echoed custom attributes and one prediction per instance', async () => {
    const res = await post('/endpoints/news-prod-ranker/invocations', rankerBody, { 'X-Amzn-SageMaker-Custom-Attributes': 'trace=abc' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-invoked-production-variant')).toBe('primary');
    expect(res.headers.get('x-amzn-sagemaker-custom-attributes')).toBe('trace=abc');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const { predictions } = (await res.json()) as { predictions: number[] };
    expect(predictions).toHaveLength(3);
    for (const p of predictions) expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1);
  });

  it('honours X-Amzn-SageMaker-Target-Variant, and splits by weight without it', async () => {
    const body = JSON.stringify({ instances: ['breaking news'] });
    const targeted = await post(`/endpoints/${embedderEndpoint}/invocations`, body, { 'X-Amzn-SageMaker-Target-Variant': 'candidate' });
    expect(targeted.headers.get('x-amzn-invoked-production-variant')).toBe('candidate');
    const counts: Record<string, number> = {};
    // In batches within the variants' capacity (2 replicas × (8 serving + 16 queued) each), so none is throttled.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 30 }, async () => {
          const res = await post(`/endpoints/${embedderEndpoint}/invocations`, body);
          const v = res.headers.get('x-amzn-invoked-production-variant') ?? 'none';
          counts[v] = (counts[v] ?? 0) + 1;
          await res.arrayBuffer();
        }),
      );
    }
    // Weights 90 / 10.
    expect(counts.current + counts.candidate).toBe(300);
    expect(counts.candidate).toBeGreaterThan(12);
    expect(counts.candidate).toBeLessThan(55);
  });

  it('takes text/csv for the ranker, one candidate per line', async () => {
    const rows = (JSON.parse(rankerBody) as { instances: { features: number[] }[] }).instances.map((i) => i.features.join(',')).join('\n');
    const res = await post('/endpoints/news-prod-ranker/invocations', rows, { 'Content-Type': 'text/csv' });
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect((await res.text()).trim().split('\n')).toHaveLength(3);
  });

  it('reports a content type the model server refuses as a ModelError with its 415', async () => {
    const res = await post('/endpoints/news-prod-ranker/invocations', 'x', { 'Content-Type': 'image/png' });
    expect(res.status).toBe(424);
    expect(res.headers.get('x-amzn-errortype')).toBe('ModelError');
    expect(await res.json()).toMatchObject({ OriginalStatusCode: 415 });
  });

  it('addresses endpoints by their SageMaker name only', async () => {
    const res = await post('/endpoints/ranker/invocations', rankerBody);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationError');
    expect(await res.json()).toEqual({ Message: 'Endpoint ranker of account 000000000000 not found.' });
  });
});

describe('Vertex prediction protocol', () => {
  it('answers :predict with predictions and the deployed model that served them, ignoring $alt', async () => {
    const res = await post('/v1/projects/news-serving/locations/us-central1/endpoints/news-prod-ranker:predict?$alt=json%3Benum-encoding=int', rankerBody);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      predictions: expect.any(Array),
      deployedModelId: expect.stringMatching(/^\d{19}$/),
      model: expect.stringMatching(/^projects\/news-serving\/locations\/us-central1\/models\/\d{19}$/),
      modelDisplayName: 'news-prod-ranker-primary',
      modelVersionId: '1',
    });
    expect(body.predictions).toHaveLength(3);
  });

  it('answers with google.rpc.Status errors', async () => {
    const missing = await post('/v1/projects/p/locations/l/endpoints/nothing:predict', rankerBody);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 404, status: 'NOT_FOUND', message: 'Endpoint `projects/p/locations/l/endpoints/nothing` not found.' } });
    const empty = await post('/v1/projects/p/locations/l/endpoints/ranker:predict', '{"instances":[]}');
    expect(await empty.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});

describe('the models behind the endpoints', () => {
  it('embeds text as a unit vector of the vector store\'s dimensions', async () => {
    const res = await post('/v1/projects/p/locations/l/endpoints/embedder:predict', JSON.stringify({ instances: [{ text: 'Storm hits the coast' }] }));
    const { predictions } = (await res.json()) as { predictions: { embedding: number[] }[] };
    const v = predictions[0].embedding;
    expect(v).toHaveLength(resolved.vectorStore?.dimensions ?? 0);
    expect(Math.sqrt(v.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 4);
  });

  it('reranks the passage about the query first', async () => {
    const instance = { query: 'hurricane evacuation', documents: ['Markets rally as rates fall', 'Hurricane forces evacuation on the coast', 'Striker scores in the final'] };
    const res = await post('/endpoints/news-prod-reranker/invocations', JSON.stringify({ instances: [instance] }));
    const { predictions } = (await res.json()) as { predictions: { ranking: number[]; scores: number[] }[] };
    expect(predictions[0].ranking[0]).toBe(1);
  });

  it('lists endpoints, routes and pool metrics at GET /emulator', async () => {
    const listing = (await (await fetch(`${emulator.url}/emulator`)).json()) as { endpoints: { name: string; sagemaker: string; variants: { metrics: { replicas: { inService: number } } }[] }[] };
    expect(listing.endpoints.map((e) => e.name)).toEqual(['ranker', 'embedder', 'reranker']);
    expect(listing.endpoints[0].sagemaker).toBe(`${emulator.url}/endpoints/news-prod-ranker/invocations`);
    // Production floors: two replicas per variant.
    expect(listing.endpoints[0].variants[0].metrics.replicas.inService).toBe(2);
  });
});
