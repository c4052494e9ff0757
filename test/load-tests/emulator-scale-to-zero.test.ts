/**
 * A model at zero in the emulator, through the real clients: SageMaker addresses an inference
 * component by the pool endpoint and InferenceComponentName, and answers a component with no copy
 * with ValidationError "Inference Component has no capacity to process this request. …"; Vertex answers
 * 429 "Model is not yet ready for inference."; a replica back in service serves again.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { NO_CAPACITY_MESSAGE } from '../../load-tests/emulator/sagemaker-protocol';
import { classifyAwsError } from '../../load-tests/targets/error-classification';

const input = presetInput('dev');
const pooled = { pool: 'gpu', compute: { acceleratorCount: 1, memoryGiB: 8, cpus: 2 } };
input.endpoints[1] = { ...input.endpoints[1], sharing: pooled };
input.endpoints[2] = { ...input.endpoints[2], sharing: pooled, scaling: { ...input.endpoints[2].scaling, min: 0, idleSeconds: 900 } };
const resolved = resolveTopology(parseTopology(input));
const poolEndpoint = resolved.endpoints[2].aws.endpointName;

let emulator: EmulatorHandle;
let client: SageMakerRuntimeClient;
beforeAll(async () => {
  emulator = await startEmulator(resolved, { seed: 3 });
  client = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const body = Buffer.from(JSON.stringify({ instances: [{ query: 'breaking news', documents: ['a', 'b'] }] }));
const embedderBody = Buffer.from(JSON.stringify({ instances: ['breaking news'] }));
const invoke = (component?: string) =>
  client.send(
    new InvokeEndpointCommand({ EndpointName: poolEndpoint, InferenceComponentName: component, Body: component === 'news-dev-embedder' ? embedderBody : body, ContentType: 'application/json' }),
  );
const reranker = () => emulator.endpoints.find((e) => e.name === 'reranker')!;

describe('scale to zero in the emulator', () => {
  it('SageMaker: one pool endpoint, each model a component named on the request', async () => {
    const served = await invoke('news-dev-reranker');
    expect(served.InvokedProductionVariant).toBe('primary');
    await expect(invoke()).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('hosts inference components; name one') });
    await expect(invoke('news-dev-nothing')).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('not found') });
  });

  it('SageMaker: a component at zero answers ValidationError (400) with the no-capacity message; Vertex answers 429', async () => {
    reranker().variants[0].pool.resize(0);
    const failure = await invoke('news-dev-reranker').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ name: 'ValidationError', message: NO_CAPACITY_MESSAGE, $metadata: { httpStatusCode: 400 } });
    expect(classifyAwsError(failure).errorClass).toBe('other4xx');
    // The embedder shares the pool's instances and keeps its copy.
    await expect(invoke('news-dev-embedder')).resolves.toMatchObject({ InvokedProductionVariant: 'primary' });

    const vertex = await fetch(emulator.routes(reranker()).vertex, { method: 'POST', body: body.toString(), headers: { 'Content-Type': 'application/json' } });
    expect(vertex.status).toBe(429);
    expect(await vertex.json()).toEqual({ error: { code: 429, message: 'Model is not yet ready for inference.', status: 'RESOURCE_EXHAUSTED' } });
  });

  it('serves again once a replica is back in service', async () => {
    reranker().variants[0].pool.resize(1, { provisioningDelayMs: 0 });
    await expect(invoke('news-dev-reranker')).resolves.toMatchObject({ InvokedProductionVariant: 'primary' });
  });
});
