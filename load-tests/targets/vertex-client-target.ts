/**
 * Vertex through `@google-cloud/aiplatform` `PredictionServiceClient.predict`, in REST fallback
 * mode (`fallback: true`). Predict is non-idempotent in the client's retry config, so gax never
 * retries it; retries, when asked for, are the generator's. On this machine the client costs about
 * 1.5 ms of CPU per call (measured, loopback), about twice the AWS SDK: size `--workers` for it, or
 * use the plain REST client (`VertexRestTarget`).
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import { aiplatformClientOptions } from '../vertex-api/aiplatform-client-options';
import type { PredictPayload } from '../models/sample-payloads';
import { classifyGoogleError } from './error-classification';
import type { CallOutcome, Target, TargetCall, TargetDescription } from './target';
import { vertexApiUrl, type VertexTargetSpec } from './vertex-target-spec';

type Value = NonNullable<ReturnType<typeof Aiplatform.helpers.toValue>>;

const CLIENT_VERSION: string = require('@google-cloud/aiplatform/package.json').version;

/**
 * The client library takes about 0.65 s to load (measured): load it only when a Vertex client
 * target is built, not in every run and worker thread.
 */
function aiplatform(): typeof Aiplatform {
  return require('@google-cloud/aiplatform') as typeof Aiplatform;
}

export class VertexClientTarget implements Target {
  readonly description: TargetDescription;
  private readonly client: Aiplatform.v1.PredictionServiceClient;
  private readonly requests: { endpoint: string; instances: Value[]; parameters?: Value }[];

  constructor(
    private readonly spec: VertexTargetSpec,
    payloads: readonly PredictPayload[],
  ) {
    const url = vertexApiUrl(spec);
    const { v1, helpers } = aiplatform();
    this.client = new v1.PredictionServiceClient(aiplatformClientOptions(url));
    this.requests = payloads.map((p) => ({
      endpoint: spec.endpoint,
      instances: p.instances.map((x) => toValue(helpers, x)),
      parameters: p.parameters ? toValue(helpers, p.parameters) : undefined,
    }));
    this.description = {
      kind: 'vertex',
      endpoint: spec.endpoint,
      url: url.origin,
      region: spec.location,
      client: `@google-cloud/aiplatform ${CLIENT_VERSION} (REST fallback)`,
    };
  }

  async warmUp(): Promise<void> {
    await this.client.initialize();
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    // gax's own deadline frees the connection shortly after the generator has given up on the call.
    this.client.predict(this.requests[payloadIndex], { timeout: this.spec.timeoutMs + 1000 }).then(
      ([response]) => done({ ok: true, variant: response.modelDisplayName ?? response.deployedModelId ?? undefined }),
      (error: unknown) => done({ ok: false, error: classifyGoogleError(error) }),
    );
    // The promise form of predict() cannot be cancelled; the deadline above ends it.
    return { cancel: () => undefined };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function toValue(helpers: typeof Aiplatform.helpers, x: unknown): Value {
  // helpers.toValue converts any JSON value (strings and arrays too), though typed for objects only.
  const value = helpers.toValue(x as object);
  if (!value) throw new Error(`cannot send ${JSON.stringify(x)} as a protobuf Value`);
  return value;
}
