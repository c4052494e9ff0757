/**
 * `--fleet aws`: each task is an ECS Fargate task of the LoadGeneratorFleet's task definition,
 * started with RunTask, its shard in the container override's command, watched with DescribeTasks.
 *
 * Limits (Amazon ECS Developer Guide, "AWS Fargate throttling quotas",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/throttling.html): RunTask takes at
 * most 10 tasks per call and 20 calls per second; Fargate launches 100 tasks at once and 20 per
 * second sustained. Every shard needs its own command (its index), and RunTask gives all tasks of
 * one call the same overrides, so each call starts one task (count 1); calls are paced at
 * 20 per second, within both the call rate and the sustained launch rate.
 */
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import type { FleetLauncher, LaunchedTask, TaskExit } from './fleet-launcher';

/** RunTask calls per second (and so tasks per second: one per call); Fargate's sustained rate. */
export const RUN_TASK_CALLS_PER_SECOND = 20;
/** DescribeTasks takes at most 100 tasks per call (Amazon ECS API Reference, DescribeTasks). */
const DESCRIBE_BATCH = 100;

/** What RunTask needs, from the LoadGeneratorFleet stack's outputs. */
export interface EcsFleetTarget {
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly container: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
}

export interface EcsTaskLauncherOptions {
  /** Between DescribeTasks rounds. @default 5000 */
  readonly pollMs?: number;
  /** @default RUN_TASK_CALLS_PER_SECOND */
  readonly callsPerSecond?: number;
}

interface Tracked {
  readonly task: number;
  arn?: string;
  stopRequested?: boolean;
  readonly resolve: (exit: TaskExit) => void;
}

export class EcsTaskLauncher implements FleetLauncher {
  readonly description: string;
  private readonly pollMs: number;
  private readonly intervalMs: number;
  private nextCallAt = 0;
  private launches: Promise<void> = Promise.resolve();
  private readonly running = new Map<string, Tracked>();
  private polling = false;

  constructor(
    private readonly client: ECSClient,
    private readonly target: EcsFleetTarget,
    options: EcsTaskLauncherOptions = {},
  ) {
    this.description = `ECS Fargate tasks on cluster ${target.cluster}`;
    this.pollMs = options.pollMs ?? 5000;
    this.intervalMs = 1000 / (options.callsPerSecond ?? RUN_TASK_CALLS_PER_SECOND);
  }

  launch(task: number, loadtestArgs: readonly string[]): LaunchedTask {
    let resolve: (exit: TaskExit) => void = () => undefined;
    const exited = new Promise<TaskExit>((r) => (resolve = r));
    const tracked: Tracked = { task, resolve: (exit) => resolve(exit) };
    // One call at a time, paced: the launch order is the task order.
    this.launches = this.launches.then(() => this.start(tracked, loadtestArgs));
    const stop = (reason: string) => {
      tracked.stopRequested = true;
      if (tracked.arn) void this.client.send(new StopTaskCommand({ cluster: this.target.cluster, task: tracked.arn, reason })).catch(() => undefined);
    };
    return { exited, stop: () => stop('serving-stacks: run interrupted'), kill: () => stop('serving-stacks: task stopped by the orchestrator') };
  }

  private async start(tracked: Tracked, loadtestArgs: readonly string[]): Promise<void> {
    if (tracked.stopRequested) return tracked.resolve({ launchError: `task ${tracked.task}: not started, the run was stopped first`, stderrTail: '' });
    const wait = this.nextCallAt - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.nextCallAt = Date.now() + this.intervalMs;
    try {
      const response = await this.client.send(
        new RunTaskCommand({
          cluster: this.target.cluster,
          taskDefinition: this.target.taskDefinition,
          launchType: 'FARGATE',
          count: 1,
          startedBy: 'serving-stacks',
          networkConfiguration: { awsvpcConfiguration: { subnets: [...this.target.subnets], securityGroups: [...this.target.securityGroups], assignPublicIp: 'DISABLED' } },
          overrides: { containerOverrides: [{ name: this.target.container, command: ['loadtest', ...loadtestArgs] }] },
        }),
      );
      const started = response.tasks?.[0]?.taskArn;
      if (!started) {
        const failure = response.failures?.[0];
        const why = failure ? `${failure.reason ?? 'unknown reason'}${failure.detail ? ` (${failure.detail})` : ''}` : 'RunTask returned no task and no failure';
        return tracked.resolve({ launchError: `task ${tracked.task}: RunTask failed: ${why}`, stderrTail: '' });
      }
      tracked.arn = started;
      this.running.set(started, tracked);
      this.poll();
    } catch (e) {
      tracked.resolve({ launchError: `task ${tracked.task}: RunTask failed: ${(e as Error).name}: ${(e as Error).message}`, stderrTail: '' });
    }
  }

  /** One poll loop for every running task, until none is left. */
  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      while (this.running.size > 0) {
        await new Promise((r) => setTimeout(r, this.pollMs));
        const arns = [...this.running.keys()];
        for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
          try {
            const described = await this.client.send(new DescribeTasksCommand({ cluster: this.target.cluster, tasks: arns.slice(i, i + DESCRIBE_BATCH) }));
            for (const task of described.tasks ?? []) if (task.lastStatus === 'STOPPED' && task.taskArn) this.settle(task.taskArn, exitOf(task));
            for (const failure of described.failures ?? []) if (failure.arn) this.settle(failure.arn, { launchError: `DescribeTasks: ${failure.reason}`, stderrTail: '' });
          } catch {
            // A failed poll (throttling, a network blip) is retried on the next round.
          }
        }
      }
      this.polling = false;
    })();
  }

  private settle(arn: string, exit: TaskExit): void {
    const tracked = this.running.get(arn);
    if (!tracked) return;
    this.running.delete(arn);
    tracked.resolve(exit);
  }
}

/** A stopped task as an exit: the container's exit code, and ECS's reason in place of stderr. */
function exitOf(task: Task): TaskExit {
  const container = task.containers?.[0];
  const reason = [task.stoppedReason, container?.reason].filter(Boolean).join('; ');
  if (container?.exitCode === undefined && task.stopCode === 'TaskFailedToStart') return { launchError: `task failed to start: ${reason}`, stderrTail: '' };
  return { code: container?.exitCode, signal: container?.exitCode === undefined ? 'STOPPED' : undefined, stderrTail: reason };
}
