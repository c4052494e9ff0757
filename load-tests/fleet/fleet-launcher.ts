/**
 * What starts a fleet's tasks: local processes (`--fleet local`), ECS RunTask or Cloud Run
 * RunJob. The orchestrator only launches, watches for the end, and stops; results travel
 * through the ShardResultStore.
 */
export interface TaskExit {
  /** Exit code, or undefined when ended by a signal or when it never started. */
  readonly code?: number;
  readonly signal?: string;
  /** Why it could not start (no such command, RunTask failure), when it did not. */
  readonly launchError?: string;
  /** The end of what the task wrote to stderr, for the report. */
  readonly stderrTail: string;
}

export interface LaunchedTask {
  /** Settles when the task has ended, however it ended. */
  readonly exited: Promise<TaskExit>;
  /** Asks the task to stop and keep what it measured (SIGTERM, ECS StopTask). */
  stop(): void;
  /** Ends it now. */
  kill(): void;
}

export interface FleetLauncher {
  /** For messages: "local processes", "ECS Fargate tasks on cluster …". */
  readonly description: string;
  /** Starts task `task` with these arguments to `serving-stacks loadtest`. */
  launch(task: number, loadtestArgs: readonly string[]): LaunchedTask;
}
