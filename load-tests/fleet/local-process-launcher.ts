/**
 * `--fleet local`: each task is a process of this same CLI (`node bin/serving-stacks.js loadtest
 * …`), started as a cloud task would be, with only its arguments in common with the others.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FleetLauncher, LaunchedTask, TaskExit } from './fleet-launcher';

const CLI = join(__dirname, '..', '..', 'bin', 'serving-stacks.js');
/** Lines of a task's stderr kept for the report when it fails. */
const STDERR_LINES = 8;

export class LocalProcessLauncher implements FleetLauncher {
  readonly description = 'local processes';

  constructor(private readonly command: readonly string[] = [process.execPath, CLI]) {}

  launch(task: number, loadtestArgs: readonly string[]): LaunchedTask {
    const [executable, ...prefix] = this.command;
    const child = spawn(executable, [...prefix, 'loadtest', ...loadtestArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C at the terminal reaches the orchestrator only, which stops
      // each task once (SIGTERM); a second signal would make a task quit without its result.
      detached: true,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).split('\n').slice(-STDERR_LINES - 1).join('\n');
    });
    const exited = new Promise<TaskExit>((resolve) => {
      child.once('error', (e) => resolve({ launchError: `task ${task}: cannot start ${executable}: ${e.message}`, stderrTail: stderr.trim() }));
      child.once('close', (code, signal) => resolve({ code: code ?? undefined, signal: signal ?? undefined, stderrTail: stderr.trim() }));
    });
    return {
      exited,
      stop: () => void child.kill('SIGTERM'),
      kill: () => void child.kill('SIGKILL'),
    };
  }
}
