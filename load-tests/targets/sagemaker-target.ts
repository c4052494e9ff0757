/**
 * SageMaker through `@aws-sdk/client-sagemaker-runtime` `InvokeEndpointCommand`. `maxAttempts: 1`
 * turns the SDK's own retries off, so every throttle stays visible and retries (when asked for)
 * are the generator's, counted. Credentials come from the default provider chain, or are dummies
 * when the endpoint is on this machine (the SDK signs and sends unchanged:
 * test/load-tests/generator-smoke.test.ts).
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { PredictPayload } from '../models/sample-payloads';
import { classifyAwsError } from './error-classification';
import { isLoopbackUrl } from './loopback';
import type { CallOutcome, Target, TargetCall, TargetDescription } from './target';

export interface SageMakerTargetSpec {
  readonly kind: 'sagemaker';
  readonly endpointName: string;
  readonly region: string;
  /** @default - the regional runtime endpoint, https://runtime.sagemaker.{region}.amazonaws.com */
  readonly endpointUrl?: string;
  /** Sends X-Amzn-SageMaker-Target-Variant. @default - traffic weights decide */
  readonly targetVariant?: string;
  /** InferenceComponentName, for a model hosted as an inference component. @default - none: a variant endpoint */
  readonly inferenceComponentName?: string;
  /** Sockets the SDK's agent may open; the SDK default of 50 would queue requests inside the client. */
  readonly maxSockets: number;
}

const SDK_VERSION: string = require('@aws-sdk/client-sagemaker-runtime/package.json').version;

export class SageMakerTarget implements Target {
  readonly description: TargetDescription;
  private readonly client: SageMakerRuntimeClient;
  private readonly bodies: Uint8Array[];

  constructor(
    private readonly spec: SageMakerTargetSpec,
    payloads: readonly PredictPayload[],
  ) {
    const local = spec.endpointUrl !== undefined && isLoopbackUrl(spec.endpointUrl);
    const agent = { keepAlive: true, maxSockets: spec.maxSockets };
    this.client = new SageMakerRuntimeClient({
      region: spec.region,
      endpoint: spec.endpointUrl,
      credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent, httpsAgent: agent },
    });
    this.bodies = payloads.map((p) => Buffer.from(JSON.stringify(p.parameters ? p : { instances: p.instances })));
    this.description = {
      kind: 'sagemaker',
      endpoint: spec.endpointName,
      url: spec.endpointUrl,
      region: spec.region,
      client: `@aws-sdk/client-sagemaker-runtime ${SDK_VERSION}`,
    };
  }

  async warmUp(): Promise<void> {
    // Resolving credentials (the provider chain may call out) happens once, before the clock runs.
    await this.client.config.credentials();
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    const controller = new AbortController();
    const command = new InvokeEndpointCommand({
      EndpointName: this.spec.endpointName,
      Body: this.bodies[payloadIndex],
      ContentType: 'application/json',
      Accept: 'application/json',
      TargetVariant: this.spec.targetVariant,
      InferenceComponentName: this.spec.inferenceComponentName,
    });
    this.client.send(command, { abortSignal: controller.signal }).then(
      (response) => done({ ok: true, variant: response.InvokedProductionVariant }),
      (error: unknown) => done({ ok: false, error: classifyAwsError(error) }),
    );
    return { cancel: () => controller.abort() };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
