/**
 * `--fleet gcp`: the tasks are one execution of the LoadGeneratorJob, started with RunJob
 * (`taskCount` = the fleet's tasks, `loadtest` and the shared arguments as the container override's
 * args, after the image's entry point), watched with
 * ListTasks. Cloud Run gives every task of an execution the same overrides and tells each its index
 * in CLOUD_RUN_TASK_INDEX (Cloud Run, "Create jobs": https://cloud.google.com/run/docs/create-jobs),
 * so the tasks run `--fleet-task cloud-run/N` and take their index from there.
 *
 * An execution is cancelled as a whole (CancelExecution), never one task: a task the orchestrator
 * gives up on is left to the job's task timeout unless every task is being stopped.
 */
import type { ExecutionsClient, JobsClient, protos, TasksClient } from '@google-cloud/run';
import type { FleetLauncher, LaunchedTask, TaskExit } from './fleet-launcher';

/** What each task's `--fleet-task` says on Cloud Run: the index comes from the environment. */
export const CLOUD_RUN_TASK_ARGUMENT = 'cloud-run';

/** The Cloud Run Admin API v2 clients the launcher calls. */
export interface CloudRunClients {
  readonly jobs: JobsClient;
  readonly executions: ExecutionsClient;
  readonly tasks: TasksClient;
}

export interface CloudRunJobLauncherOptions {
  /** Between ListTasks rounds. @default 5000 */
  readonly pollMs?: number;
}

interface Pending {
  readonly args: readonly string[];
  readonly resolve: (exit: TaskExit) => void;
  stopRequested: boolean;
}

export class CloudRunJobLauncher implements FleetLauncher {
  readonly description: string;
  private readonly pending: Pending[] = [];
  private execution?: string;
  private readonly pollMs: number;

  /** `job`: `projects/{project}/locations/{region}/jobs/{name}`; `tasks`: how many launches make the execution. */
  constructor(
    private readonly clients: CloudRunClients,
    private readonly job: string,
    private readonly tasks: number,
    options: CloudRunJobLauncherOptions = {},
  ) {
    this.description = `Cloud Run job tasks of ${job}`;
    this.pollMs = options.pollMs ?? 5000;
  }

  launch(task: number, loadtestArgs: readonly string[]): LaunchedTask {
    let resolve: (exit: TaskExit) => void = () => undefined;
    const exited = new Promise<TaskExit>((r) => (resolve = r));
    const pending: Pending = { args: loadtestArgs, resolve: (exit) => resolve(exit), stopRequested: false };
    this.pending[task] = pending;
    // The orchestrator launches every task in one loop: the execution starts once all are known.
    if (this.pending.filter(Boolean).length === this.tasks) queueMicrotask(() => void this.run());
    const stop = () => {
      pending.stopRequested = true;
      if (this.execution && this.pending.every((p) => p.stopRequested)) void this.clients.executions.cancelExecution({ name: this.execution }).catch(() => undefined);
    };
    return { exited, stop, kill: stop };
  }

  private async run(): Promise<void> {
    const args = sharedArguments(this.pending.map((p) => p.args), this.tasks);
    try {
      const [operation] = await this.clients.jobs.runJob({ name: this.job, overrides: { taskCount: this.tasks, containerOverrides: [{ args: ['loadtest', ...args] }] } });
      const execution = (operation.metadata as protos.google.cloud.run.v2.IExecution | null)?.name;
      if (!execution) throw new Error('RunJob returned no execution');
      this.execution = execution;
    } catch (e) {
      for (const [i, p] of this.pending.entries()) p.resolve({ launchError: `task ${i}: RunJob failed: ${apiErrorMessage(e)}`, stderrTail: '' });
      return;
    }
    const open = new Set(this.pending.keys());
    while (open.size > 0) {
      await new Promise((r) => setTimeout(r, this.pollMs));
      let tasks: protos.google.cloud.run.v2.ITask[];
      try {
        [tasks] = await this.clients.tasks.listTasks({ parent: this.execution });
      } catch {
        continue; // A failed poll is retried on the next round.
      }
      for (const task of tasks) {
        const index = task.index ?? 0;
        if (!open.has(index) || !task.completionTime) continue;
        open.delete(index);
        const result = task.lastAttemptResult;
        const message = result?.status?.message ?? '';
        this.pending[index].resolve(result?.exitCode === undefined || result.exitCode === null ? { launchError: `task failed to start: ${message}`, stderrTail: '' } : { code: result.exitCode, stderrTail: message });
      }
    }
  }
}

/** The arguments every task shares: task i's, with `--fleet-task i/N` as `--fleet-task cloud-run/N`; they must not differ otherwise. */
export function sharedArguments(perTask: readonly (readonly string[])[], tasks: number): string[] {
  const generic = perTask.map((args) => args.map((a, k) => (args[k - 1] === '--fleet-task' ? `${CLOUD_RUN_TASK_ARGUMENT}/${tasks}` : a)));
  const first = JSON.stringify(generic[0]);
  const differing = generic.findIndex((g) => JSON.stringify(g) !== first);
  if (differing >= 0) throw new Error(`task ${differing}'s arguments differ from task 0's beyond --fleet-task: one Cloud Run execution takes one set of arguments`);
  return generic[0];
}

/** A REST-mode client error carries the API's JSON error as its message: its status and message read better. */
function apiErrorMessage(e: unknown): string {
  const message = (e as Error).message;
  try {
    const { error } = JSON.parse(message) as { error?: { status?: string; message?: string } };
    if (error?.message) return `${error.status ?? 'error'}: ${error.message}`;
  } catch {
    // Not JSON: the message as it is.
  }
  return message;
}
