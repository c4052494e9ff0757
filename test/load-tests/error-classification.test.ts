/**
 * Error classes from real SDK error objects: the emulator produces each error on the wire, the
 * official clients parse it into their own exceptions, and the generator classes them by name.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle, type FaultOptions } from '../../load-tests/emulator';
import { classifyAwsError, classifyGoogleError, type ClassifiedError } from '../../load-tests/targets/error-classification';
import { HttpTarget } from '../../load-tests/targets/http-target';
import type { CallOutcome } from '../../load-tests/targets/target';
import { VertexClientTarget } from '../../load-tests/targets/vertex-client-target';
import { VertexRestTarget } from '../../load-tests/targets/vertex-rest-target';

const resolved = resolveTopology(preset('prod'));
const ranker = '{"instances":[{"features":[0.1,0.1,5,0.5,0.9,0.4,0,1,8,1,0.5,0,0,0,0.6,0.3]}]}';
const emulators: Record<'plain' | 'throttle' | 'error' | 'unavailable' | 'notReady', EmulatorHandle> = {} as never;

beforeAll(async () => {
  const faults: Record<string, Partial<FaultOptions>> = { plain: {}, throttle: { throttleRate: 1 }, error: { errorRate: 1 }, unavailable: { unavailableRate: 1 }, notReady: {} };
  for (const [name, f] of Object.entries(faults)) emulators[name as keyof typeof emulators] = await startEmulator(resolved, { faults: f });
  // Scaled to zero and coming back: no replica in service for an hour.
  const pool = emulators.notReady.endpoints[0].variants[0].pool;
  pool.resize(0);
  pool.resize(1, { provisioningDelayMs: 3_600_000 });
});

afterAll(async () => {
  await Promise.all(Object.values(emulators).map((e) => e.close()));
});

function sagemaker(url: string) {
  return new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
}

async function sagemakerError(url: string, input: { EndpointName?: string; Body?: string | Uint8Array; TargetVariant?: string } = {}): Promise<{ error: Record<string, unknown>; classified: ClassifiedError }> {
  try {
    await sagemaker(url).send(new InvokeEndpointCommand({ EndpointName: 'news-prod-ranker', Body: ranker, ContentType: 'application/json', ...input }));
  } catch (e) {
    return { error: e as Record<string, unknown>, classified: classifyAwsError(e) };
  }
  throw new Error('expected the call to fail');
}

describe('SageMaker errors through @aws-sdk/client-sagemaker-runtime', () => {
  it('ThrottlingException on HTTP 400 is throttled, not a 4xx', async () => {
    const { error, classified } = await sagemakerError(emulators.throttle.url);
    expect(error.name).toBe('ThrottlingException');
    expect(classified).toMatchObject({ errorClass: 'throttled', httpStatus: 400 });
  });

  it('ModelError on 424 carries the container status and is a model error', async () => {
    const { error, classified } = await sagemakerError(emulators.error.url);
    expect(error.name).toBe('ModelError');
    expect(error.OriginalStatusCode).toBe(500);
    expect(error.LogStreamArn).toMatch(/^arn:aws:logs:us-east-1:\d{12}:log-group:\/aws\/sagemaker\/Endpoints\/news-prod-ranker$/);
    expect(classified).toMatchObject({ errorClass: 'modelError', httpStatus: 424 });
  });

  it('a body the model cannot read is a ModelError with the container\'s 400', async () => {
    const { error, classified } = await sagemakerError(emulators.plain.url, { Body: '{"instances":[{"features":[1,2]}]}' });
    expect(error).toMatchObject({ name: 'ModelError', OriginalStatusCode: 400 });
    expect(String(error.message)).toMatch(/^Received client error \(400\) from primary with message .*expected 16 features/);
    expect(classified.errorClass).toBe('modelError');
  });

  it('ServiceUnavailable on 503 is a 5xx', async () => {
    const { error, classified } = await sagemakerError(emulators.unavailable.url);
    expect(error.name).toBe('ServiceUnavailable');
    expect(classified).toMatchObject({ errorClass: 'server5xx', httpStatus: 503 });
  });

  it('ModelNotReadyException on 429 (no replica in service) is throttled', async () => {
    const { error, classified } = await sagemakerError(emulators.notReady.url);
    expect(error.name).toBe('ModelNotReadyException');
    expect(classified).toMatchObject({ errorClass: 'throttled', httpStatus: 429 });
  });

  it('ValidationError: unknown endpoint, unknown variant, oversize body; all other 4xx', async () => {
    const cases = [
      { EndpointName: 'news-prod-nothing' },
      { TargetVariant: 'no-such-variant' },
      { Body: new Uint8Array(6 * 1024 * 1024 + 1) },
    ];
    for (const input of cases) {
      const { error, classified } = await sagemakerError(emulators.plain.url, input);
      expect(error.name).toBe('ValidationError');
      expect(classified).toMatchObject({ errorClass: 'other4xx', httpStatus: 400 });
    }
    const oversize = await sagemakerError(emulators.plain.url, { Body: new Uint8Array(6 * 1024 * 1024 + 1) });
    expect(String(oversize.error.message)).toMatch(/^Request [0-9a-f-]+ has oversize body\.$/);
  });

  it('a refused connection is a client error', async () => {
    const closed = await startEmulator(resolved);
    await closed.close();
    const { classified } = await sagemakerError(closed.url);
    expect(classified).toMatchObject({ errorClass: 'client', name: 'ECONNREFUSED' });
  });
});

describe('Vertex errors through @google-cloud/aiplatform (REST fallback)', () => {
  async function vertexError(emulator: EmulatorHandle, endpoint = 'ranker', instance: unknown = JSON.parse(ranker).instances[0]): Promise<ClassifiedError> {
    const target = new VertexClientTarget(
      { kind: 'vertex', endpoint: `projects/local/locations/us-central1/endpoints/${endpoint}`, location: 'us-central1', apiUrl: emulator.url, client: 'aiplatform', maxConnections: 2, timeoutMs: 5000 },
      [{ instances: [instance] }],
    );
    try {
      const result = await new Promise<CallOutcome>((resolve) => target.send(0, resolve));
      if (result.ok) throw new Error('expected the call to fail');
      return result.error;
    } finally {
      await target.close();
    }
  }

  it('429 RESOURCE_EXHAUSTED is throttled', async () => {
    expect(await vertexError(emulators.throttle)).toMatchObject({ errorClass: 'throttled', name: 'RESOURCE_EXHAUSTED', httpStatus: 429 });
    expect(await vertexError(emulators.notReady)).toMatchObject({ errorClass: 'throttled', name: 'RESOURCE_EXHAUSTED', message: 'Model is not yet ready for inference.' });
  });

  it('a failing model is 500 INTERNAL, a 5xx; 503 UNAVAILABLE too', async () => {
    expect(await vertexError(emulators.error)).toMatchObject({ errorClass: 'server5xx', name: 'INTERNAL', httpStatus: 500 });
    expect(await vertexError(emulators.unavailable)).toMatchObject({ errorClass: 'server5xx', name: 'UNAVAILABLE', httpStatus: 503 });
  });

  it('400 INVALID_ARGUMENT and 404 NOT_FOUND are other 4xx', async () => {
    expect(await vertexError(emulators.plain, 'ranker', { features: [1] })).toMatchObject({ errorClass: 'other4xx', name: 'INVALID_ARGUMENT', httpStatus: 400 });
    expect(await vertexError(emulators.plain, 'nothing')).toMatchObject({ errorClass: 'other4xx', name: 'NOT_FOUND', httpStatus: 404 });
  });

  it('classes a gax GoogleError by its google.rpc code (gRPC transport, fixed gax releases)', () => {
    const error = Object.assign(new Error('8 RESOURCE_EXHAUSTED: quota'), { code: 8, details: 'quota' });
    expect(classifyGoogleError(error)).toMatchObject({ errorClass: 'throttled', name: 'RESOURCE_EXHAUSTED' });
  });
});

describe('the same errors through the plain clients', () => {
  const outcome = (target: { send(i: number, done: (o: CallOutcome) => void): unknown }) => new Promise<CallOutcome>((resolve) => target.send(0, resolve));

  it('Vertex REST classes google.rpc.Status bodies', async () => {
    const spec = { kind: 'vertex' as const, endpoint: 'projects/local/locations/us-central1/endpoints/ranker', location: 'us-central1', client: 'rest' as const, maxConnections: 4, timeoutMs: 5000 };
    const throttled = new VertexRestTarget({ ...spec, apiUrl: emulators.throttle.url }, [JSON.parse(ranker)]);
    const failing = new VertexRestTarget({ ...spec, apiUrl: emulators.error.url }, [JSON.parse(ranker)]);
    expect(await outcome(throttled)).toMatchObject({ ok: false, error: { errorClass: 'throttled', name: 'RESOURCE_EXHAUSTED' } });
    expect(await outcome(failing)).toMatchObject({ ok: false, error: { errorClass: 'server5xx', name: 'INTERNAL' } });
    await Promise.all([throttled.close(), failing.close()]);
  });

  it('plain HTTP classes SageMaker answers by X-Amzn-ErrorType', async () => {
    const make = (e: EmulatorHandle) => new HttpTarget({ kind: 'http', url: e.routes(e.endpoints[0]).sagemaker, headers: {}, maxConnections: 2 }, [JSON.parse(ranker)]);
    const targets = [make(emulators.throttle), make(emulators.error), make(emulators.plain)];
    const [throttled, model, ok] = await Promise.all(targets.map(outcome));
    expect(throttled).toMatchObject({ ok: false, error: { errorClass: 'throttled', name: 'ThrottlingException', httpStatus: 400 } });
    expect(model).toMatchObject({ ok: false, error: { errorClass: 'modelError', name: 'ModelError', httpStatus: 424 } });
    expect(ok).toEqual({ ok: true, variant: 'primary' });
    await Promise.all(targets.map((t) => t.close()));
  });
});
