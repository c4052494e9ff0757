/**
 * A local Amazon ECS speaking the JSON 1.1 protocol the SDK's ECSClient speaks (POST /, header
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`): RunTask, DescribeTasks and
 * StopTask. It refuses what ECS refuses for these calls: an unsigned request, a missing
 * taskDefinition, count outside 1..10, a Fargate task without an awsvpc network configuration
 * (subnets), an unknown cluster or task definition, more than 100 tasks to describe, and an
 * unknown operation. Each started task's container is played by `runContainer`, given its command;
 * a placement may fail as RunTask's `failures[]` reports it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

export interface FakeContainer {
  readonly taskArn: string;
  readonly command: readonly string[];
  /** Aborted by StopTask. */
  readonly signal: AbortSignal;
}

export interface FakeEcsOptions {
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly taskDefinitionFamily: string;
  readonly container: string;
  /** Plays the container: resolves with its exit code. */
  readonly runContainer: (container: FakeContainer) => Promise<number>;
  /** A placement failure for this command (RunTask's failures[]), or undefined to start it. */
  readonly placementFailure?: (command: readonly string[]) => { reason: string; detail?: string } | undefined;
}

interface FakeTask {
  readonly taskArn: string;
  lastStatus: 'PROVISIONING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  stoppedReason?: string;
  stopCode?: string;
  exitCode?: number;
  readonly command: readonly string[];
  readonly abort: AbortController;
  readonly createdAt: number;
}

class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeEcs extends LoopbackServer {
  private readonly tasks = new Map<string, FakeTask>();
  /** Every RunTask request body, for assertions on what the launcher sent. */
  readonly runTaskRequests: Record<string, unknown>[] = [];
  private sequence = 0;

  constructor(private readonly options: FakeEcsOptions) {
    super();
  }

  get clusterArn(): string {
    return `arn:aws:ecs:${this.options.region}:${this.options.account}:cluster/${this.options.cluster}`;
  }

  get taskDefinitionArn(): string {
    return `arn:aws:ecs:${this.options.region}:${this.options.account}:task-definition/${this.options.taskDefinitionFamily}:1`;
  }

  override async close(): Promise<void> {
    for (const task of this.tasks.values()) task.abort.abort();
    await super.close();
  }

  protected async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const text = body.toString('utf8');
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new EcsError('UnknownOperationException', `${req.method} ${req.url}`);
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) throw new EcsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new EcsError('SerializationException', 'expected application/x-amz-json-1.1');
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET_PREFIX)) throw new EcsError('UnknownOperationException', `unknown target ${target}`);
      const input = JSON.parse(text || '{}') as Record<string, unknown>;
      const operation = target.slice(TARGET_PREFIX.length);
      const output = operation === 'RunTask' ? this.runTask(input) : operation === 'DescribeTasks' ? this.describeTasks(input) : operation === 'StopTask' ? this.stopTask(input) : undefined;
      if (!output) throw new EcsError('UnknownOperationException', `operation ${operation} is not modelled by this fake`);
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'fake' }).end(JSON.stringify(output));
    } catch (e) {
      const known = e instanceof EcsError;
      res
        .writeHead(known ? 400 : 500, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'fake' })
        .end(JSON.stringify({ __type: known ? e.type : 'ServerException', message: (e as Error).message }));
    }
  }

  private checkCluster(cluster: unknown): void {
    const name = typeof cluster === 'string' ? cluster.replace(/^arn:.*:cluster\//, '') : 'default';
    if (name !== this.options.cluster) throw new EcsError('ClusterNotFoundException', 'Cluster not found.');
  }

  private runTask(input: Record<string, unknown>): object {
    this.runTaskRequests.push(input);
    if (typeof input.taskDefinition !== 'string' || input.taskDefinition === '') throw new EcsError('InvalidParameterException', 'taskDefinition can not be blank.');
    this.checkCluster(input.cluster);
    const count = input.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10) throw new EcsError('InvalidParameterException', 'Count must be between 1 and 10.');
    const family = input.taskDefinition.replace(/^arn:.*:task-definition\//, '').replace(/:\d+$/, '');
    if (family !== this.options.taskDefinitionFamily) throw new EcsError('ClientException', 'Unable to describe task definition.');
    const network = (input.networkConfiguration as { awsvpcConfiguration?: { subnets?: unknown[] } } | undefined)?.awsvpcConfiguration;
    if (!network) throw new EcsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    if (!Array.isArray(network.subnets) || network.subnets.length === 0) throw new EcsError('InvalidParameterException', 'subnets can not be empty.');
    const overrides = (input.overrides as { containerOverrides?: { name?: string; command?: string[] }[] } | undefined)?.containerOverrides ?? [];
    for (const o of overrides) if (o.name !== this.options.container) throw new EcsError('InvalidParameterException', `Override for container named ${o.name} is not a container in the TaskDefinition.`);
    const command = overrides[0]?.command ?? [];

    const failure = this.options.placementFailure?.(command);
    if (failure) return { tasks: [], failures: Array.from({ length: count }, () => ({ arn: this.clusterArn, ...failure })) };
    const tasks = Array.from({ length: count }, () => this.startTask(command));
    return { tasks: tasks.map((t) => this.describe(t)), failures: [] };
  }

  private startTask(command: readonly string[]): FakeTask {
    const id = (++this.sequence).toString(16).padStart(32, '0');
    const task: FakeTask = {
      taskArn: `arn:aws:ecs:${this.options.region}:${this.options.account}:task/${this.options.cluster}/${id}`,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      command,
      abort: new AbortController(),
      createdAt: Date.now() / 1000,
    };
    this.tasks.set(task.taskArn, task);
    setImmediate(() => {
      task.lastStatus = 'RUNNING';
      this.options.runContainer({ taskArn: task.taskArn, command, signal: task.abort.signal }).then(
        (exitCode) => this.stopped(task, exitCode, task.stoppedReason ?? 'Essential container in task exited'),
        (e: Error) => this.stopped(task, 1, `Essential container in task exited: ${e.message}`),
      );
    });
    return task;
  }

  private stopped(task: FakeTask, exitCode: number, reason: string): void {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.exitCode = exitCode;
    task.stoppedReason = reason;
    task.stopCode ??= 'EssentialContainerExited';
  }

  private describeTasks(input: Record<string, unknown>): object {
    this.checkCluster(input.cluster);
    if (!Array.isArray(input.tasks) || input.tasks.length === 0) throw new EcsError('InvalidParameterException', 'Tasks cannot be empty.');
    if (input.tasks.length > 100) throw new EcsError('InvalidParameterException', 'Tasks cannot have more than 100 elements.');
    const found = (input.tasks as string[]).map((arn) => this.tasks.get(arn));
    return {
      tasks: found.filter((t): t is FakeTask => t !== undefined).map((t) => this.describe(t)),
      failures: (input.tasks as string[]).filter((arn) => !this.tasks.has(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  private stopTask(input: Record<string, unknown>): object {
    this.checkCluster(input.cluster);
    const task = this.tasks.get(String(input.task));
    if (!task) throw new EcsError('InvalidParameterException', 'The referenced task was not found.');
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = typeof input.reason === 'string' ? input.reason : 'Task stopped by user';
    task.stopCode = 'UserInitiated';
    task.abort.abort();
    return { task: this.describe(task) };
  }

  private describe(t: FakeTask): object {
    return {
      taskArn: t.taskArn,
      clusterArn: this.clusterArn,
      taskDefinitionArn: this.taskDefinitionArn,
      launchType: 'FARGATE',
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      createdAt: t.createdAt,
      ...(t.lastStatus === 'STOPPED' ? { stoppedReason: t.stoppedReason, stopCode: t.stopCode } : {}),
      containers: [{ name: this.options.container, lastStatus: t.lastStatus, ...(t.exitCode !== undefined && t.lastStatus === 'STOPPED' ? { exitCode: t.exitCode } : {}) }],
      overrides: { containerOverrides: [{ name: this.options.container, command: t.command }] },
    };
  }
}
