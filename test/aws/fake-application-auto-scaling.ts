/**
 * A local Application Auto Scaling (AWS JSON 1.1 on 127.0.0.1) holding registered scalable targets,
 * with the errors the real API returns: ValidationException for a namespace or dimension it does not
 * know or a missing field, ObjectNotFoundException for a target that is not registered (Application
 * Auto Scaling API reference, DeregisterScalableTarget, "Errors"). Plus a CloudFormation response
 * endpoint that records what custom resources answer on their pre-signed URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET_PREFIX = 'AnyScaleFrontendService.';
const DIMENSIONS: Readonly<Record<string, readonly string[]>> = {
  sagemaker: ['sagemaker:variant:DesiredInstanceCount', 'sagemaker:inference-component:DesiredCopyCount', 'sagemaker:variant:DesiredProvisionedConcurrency'],
};

export interface TargetKey {
  readonly ServiceNamespace: string;
  readonly ScalableDimension: string;
  readonly ResourceId: string;
}

export interface CfnResponse {
  readonly contentType: string | undefined;
  readonly body: { Status: string; Reason?: string; PhysicalResourceId: string; StackId: string; RequestId: string; LogicalResourceId: string; Data?: Record<string, string> };
}

const keyOf = (t: TargetKey) => `${t.ServiceNamespace}|${t.ScalableDimension}|${t.ResourceId}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeApplicationAutoScaling {
  private readonly targets = new Set<string>();
  private server?: Server;
  /** Every DeregisterScalableTarget call, in order, successful or not. */
  readonly deregisterCalls: TargetKey[] = [];
  /** Every answer a custom resource gave on its response URL. */
  readonly responses: CfnResponse[] = [];
  /** When set, every call fails with this error type (HTTP 400), as with missing permissions. */
  failWith?: string;

  register(target: TargetKey): void {
    this.targets.add(keyOf(target));
  }

  isRegistered(target: TargetKey): boolean {
    return this.targets.has(keyOf(target));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method === 'PUT' && req.url?.startsWith('/cloudformation-response')) {
      this.responses.push({ contentType: req.headers['content-type'], body: JSON.parse(body) as CfnResponse['body'] });
      res.writeHead(200).end();
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const error = (type: string, message: string) =>
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: type, message }));
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) return void error('UnknownOperationException', `not an Application Auto Scaling call: ${req.method} ${target}`);
    if (target !== `${TARGET_PREFIX}DeregisterScalableTarget`) return void error('UnknownOperationException', `${target.slice(TARGET_PREFIX.length)} is not faked`);
    const input = JSON.parse(body) as Partial<TargetKey>;
    if (this.failWith) return void error(this.failWith, 'denied by the fake');
    if (!input.ServiceNamespace || !input.ScalableDimension || !input.ResourceId) return void error('ValidationException', 'ServiceNamespace, ScalableDimension and ResourceId are required');
    this.deregisterCalls.push(input as TargetKey);
    if (!DIMENSIONS[input.ServiceNamespace]?.includes(input.ScalableDimension)) {
      return void error('ValidationException', `1 validation error detected: Value '${input.ScalableDimension}' at 'scalableDimension' failed to satisfy constraint`);
    }
    if (!this.targets.delete(keyOf(input as TargetKey))) {
      return void error(
        'ObjectNotFoundException',
        `No scalable target registered for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}`,
      );
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
  }
}
