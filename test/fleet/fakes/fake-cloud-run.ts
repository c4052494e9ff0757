/**
 * A local Cloud Run Admin API v2 for jobs, speaking the REST mapping the `@google-cloud/run`
 * clients use in REST mode (`fallback`): `POST /v2/{job}:run` (a long-running operation whose
 * metadata is the Execution), `GET /v2/{operation}`, `GET /v2/{execution}`, `GET /v2/{execution}/tasks`
 * and `POST /v2/{execution}:cancel`. It refuses what Cloud Run refuses for these calls: no bearer
 * token (401 UNAUTHENTICATED), an unknown job or execution (404 NOT_FOUND), a task count outside
 * 1..10,000 (400 INVALID_ARGUMENT). Each task's container is played by `runContainer`, given the
 * override's arguments and its CLOUD_RUN_TASK_INDEX / CLOUD_RUN_TASK_COUNT.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';

export interface FakeCloudRunTask {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Aborted by CancelExecution. */
  readonly signal: AbortSignal;
}

interface TaskState {
  readonly index: number;
  completionTime?: string;
  exitCode?: number;
  message?: string;
}

interface ExecutionState {
  readonly name: string;
  readonly taskCount: number;
  readonly tasks: TaskState[];
  readonly abort: AbortController;
}

const EXECUTION_TYPE = 'type.googleapis.com/google.cloud.run.v2.Execution';

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeCloudRun extends LoopbackServer {
  private readonly executions = new Map<string, ExecutionState>();
  /** Every RunJob request body, for assertions on what the launcher sent. */
  readonly runRequests: Record<string, unknown>[] = [];

  /** `job`: `projects/{p}/locations/{l}/jobs/{name}`. */
  constructor(
    private readonly job: string,
    private readonly runContainer: (task: FakeCloudRunTask) => Promise<number>,
  ) {
    super();
  }

  override async close(): Promise<void> {
    for (const e of this.executions.values()) e.abort.abort();
    await super.close();
  }

  protected async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const text = body.toString('utf8');
    try {
      if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) throw new ApiError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.');
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/v2\//, '');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const reply = (value: object): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && path.endsWith(':run')) return reply(this.run(path.slice(0, -':run'.length), body));
      if (req.method === 'POST' && path.endsWith(':cancel')) return reply(this.cancel(path.slice(0, -':cancel'.length)));
      if (req.method === 'GET' && path.endsWith('/tasks')) return reply(this.listTasks(path.slice(0, -'/tasks'.length)));
      if (req.method === 'GET' && path.includes('/operations/')) return reply({ name: path, done: false, metadata: { '@type': EXECUTION_TYPE } });
      if (req.method === 'GET' && path.includes('/executions/')) return reply(this.describe(this.execution(path)));
      throw new ApiError(404, 'NOT_FOUND', `${req.method} ${path} is not modelled by this fake`);
    } catch (e) {
      const known = e instanceof ApiError;
      res
        .writeHead(known ? e.code : 500, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { code: known ? e.code : 500, message: (e as Error).message, status: known ? e.status : 'INTERNAL' } }));
    }
  }

  private run(job: string, body: Record<string, unknown>): object {
    this.runRequests.push(body);
    if (job !== this.job) throw new ApiError(404, 'NOT_FOUND', `Resource '${job.split('/').pop()}' of kind 'JOB' in region '${job.split('/')[3]}' in project '${job.split('/')[1]}' does not exist.`);
    const overrides = (body.overrides ?? {}) as { taskCount?: number; containerOverrides?: { args?: string[] }[] };
    const taskCount = overrides.taskCount ?? 1;
    if (!Number.isInteger(taskCount) || taskCount < 1 || taskCount > 10_000) throw new ApiError(400, 'INVALID_ARGUMENT', `task_count must be between 1 and 10000, got ${taskCount}`);
    const args = overrides.containerOverrides?.[0]?.args ?? [];
    const name = `${job}/executions/${job.split('/').pop()}-${randomUUID().slice(0, 5)}`;
    const execution: ExecutionState = { name, taskCount, tasks: Array.from({ length: taskCount }, (_, index) => ({ index })), abort: new AbortController() };
    this.executions.set(name, execution);
    for (const task of execution.tasks) {
      setImmediate(() => {
        const env = { CLOUD_RUN_TASK_INDEX: String(task.index), CLOUD_RUN_TASK_COUNT: String(taskCount), CLOUD_RUN_EXECUTION: name.split('/').pop() as string };
        this.runContainer({ args, env, signal: execution.abort.signal }).then(
          (exitCode) => Object.assign(task, { exitCode, completionTime: new Date().toISOString(), message: exitCode === 0 ? '' : `Task ${name.split('/').pop()}-task${task.index} failed with exit code ${exitCode}` }),
          (e: Error) => Object.assign(task, { exitCode: 1, completionTime: new Date().toISOString(), message: e.message }),
        );
      });
    }
    return { name: `${job.split('/jobs/')[0]}/operations/${randomUUID()}`, done: false, metadata: { '@type': EXECUTION_TYPE, ...this.describe(execution) } };
  }

  private execution(name: string): ExecutionState {
    const execution = this.executions.get(name);
    if (!execution) throw new ApiError(404, 'NOT_FOUND', `Resource '${name.split('/').pop()}' of kind 'EXECUTION' does not exist.`);
    return execution;
  }

  private cancel(name: string): object {
    const execution = this.execution(name);
    execution.abort.abort();
    return { name: `${name.split('/jobs/')[0]}/operations/${randomUUID()}`, done: false, metadata: { '@type': EXECUTION_TYPE, ...this.describe(execution) } };
  }

  private listTasks(parent: string): object {
    const execution = this.execution(parent);
    return {
      tasks: execution.tasks.map((t) => ({
        name: `${parent}/tasks/${parent.split('/').pop()}-task${t.index}`,
        index: t.index,
        execution: parent,
        ...(t.completionTime ? { completionTime: t.completionTime, lastAttemptResult: { exitCode: t.exitCode, status: { code: t.exitCode === 0 ? 0 : 2, message: t.message } } } : {}),
      })),
    };
  }

  private describe(e: ExecutionState): object {
    return { name: e.name, job: this.job.split('/').pop(), taskCount: e.taskCount, runningCount: e.tasks.filter((t) => !t.completionTime).length };
  }
}
