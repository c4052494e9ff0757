import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { planLoadTest, type LoadTestInput } from '../../load-tests/generator/load-test-plan';

const dev = resolveTopology(preset('dev'));
const prod = resolveTopology(preset('prod'));
const local = 'http://127.0.0.1:8780';

function plan(input: LoadTestInput, topology = dev) {
  return planLoadTest({ rate: 10, duration: 5, ...input }, topology);
}

describe('load test plan from the parsed command-line options', () => {
  it('addresses a topology endpoint by each cloud\'s name', () => {
    expect(plan({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local }).plan?.options.target).toEqual({
      kind: 'sagemaker',
      endpointName: 'news-dev-ranker',
      region: 'us-east-1',
      endpointUrl: local,
      targetVariant: undefined,
      maxSockets: 1024,
    });
    expect(plan({ target: 'vertex', endpoint: 'news-dev-ranker', endpointUrl: local }).plan?.options.target).toMatchObject({
      endpoint: 'projects/local/locations/us-central1/endpoints/ranker',
      client: 'aiplatform',
    });
    expect(plan({ target: 'vertex', endpoint: '1234567890', project: 'news-serving', vertexClient: 'rest' }).plan?.options.target).toMatchObject({
      endpoint: 'projects/news-serving/locations/us-central1/endpoints/1234567890',
      client: 'rest',
      apiUrl: undefined,
    });
  });

  it('builds the schedule, payloads and thresholds, with the endpoint\'s SLO on --slo', () => {
    const { plan: p } = plan({ target: 'sagemaker', endpoint: 'reranker', endpointUrl: local, profile: 'spike', rate: 100, duration: 120, slo: true, threshold: ['max<2s'] });
    expect(p?.options.schedule.points.at(-1)).toEqual([120, 10]);
    expect(p?.options.payloads[0].instances[0]).toMatchObject({ query: expect.any(String), documents: expect.any(Array) });
    expect(p?.options.thresholds?.map((t) => t.expression)).toEqual(['max<2s', 'p99<=400ms', 'errors<=0.005']);
  });

  it('adds the default error budget when no threshold bounds errors', () => {
    const expressions = (input: LoadTestInput) => plan({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local, ...input }).plan?.options.thresholds?.map((t) => t.expression);
    expect(expressions({})).toEqual(['errors<=1%']);
    expect(expressions({ threshold: ['p999<1s'] })).toEqual(['p999<1s', 'errors<=1%']);
    expect(expressions({ threshold: ['errors<25%'] })).toEqual(['errors<25%']);
    expect(expressions({ slo: true })).toEqual(['p99<=100ms', 'errors<=0.001']);
  });

  it('takes --warmup in seconds, 0 included', () => {
    expect(plan({ target: 'http', endpoint: `${local}/x`, warmup: 1.5 }).plan?.options.warmupSeconds).toBe(1.5);
    expect(plan({ target: 'http', endpoint: `${local}/x`, warmup: 0 }).plan?.options.warmupSeconds).toBe(0);
  });

  it('runs --max-requests at --rate when no duration is given', () => {
    const { plan: p } = planLoadTest({ target: 'http', endpoint: `${local}/x`, rate: 50, maxRequests: 100 }, dev);
    expect(p?.options.schedule.points).toEqual([
      [0, 50],
      [2, 50],
    ]);
  });

  it('lists every problem the topology and the files reveal at once (bad values stop earlier, in bin/options)', () => {
    const { plan: p, errors } = planLoadTest({ rate: 10, duration: 5, threshold: ['p98<1'], payload: '/no/such.json' }, dev);
    expect(p).toBeUndefined();
    expect(errors).toEqual([
      '--target: required, one of sagemaker, vertex, http, rag, pipeline',
      "--endpoint: required (an endpoint of the topology, or the cloud's endpoint name or id)",
      expect.stringMatching(/^--payload: "\/no\/such.json" is neither ranker, embedder, reranker nor a readable JSON file/),
      expect.stringMatching(/^--threshold "p98<1": unknown metric "p98"/),
    ]);
  });

  it('refuses the real endpoints of a production topology unless allowed', () => {
    expect(plan({ target: 'sagemaker', endpoint: 'ranker' }, prod).errors).toEqual([
      expect.stringMatching(/^--allow-production: news\/prod is a production topology/),
    ]);
    expect(plan({ target: 'sagemaker', endpoint: 'ranker', allowProduction: true }, prod).errors).toEqual([]);
    expect(plan({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local }, prod).errors).toEqual([]);
  });

  it('plans --find-capacity from the topology: a quarter of the replicas\' nominal capacity, the endpoint\'s SLO', () => {
    const { plan: p } = planLoadTest({ target: 'sagemaker', endpoint: 'ranker', endpointUrl: local, findCapacity: true, stepDuration: 3 }, prod);
    // 2 replicas × 4 concurrent ÷ 25 ms = 320 req/s nominal.
    expect(p?.capacity).toEqual({ startRate: 80, stepSeconds: 3, slo: { p99Ms: 100, errorRate: 0.001 }, replicas: 2, endpointName: 'ranker', nominalRate: 320 });
    // Each step is judged by the SLO's error budget, not the default one.
    expect(p?.options.thresholds).toEqual([]);
  });
});
