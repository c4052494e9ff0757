/** The `serving-stacks` program: every command, with the options they share. */
import { Command } from 'commander';
import { registerAssumptions } from './commands/assumptions';
import { registerCheckUpdate } from './commands/check-update';
import { registerParity } from './commands/parity';
import { registerPipeline } from './commands/pipeline';
import { registerCompare } from './commands/compare';
import { registerCorpus } from './commands/corpus';
import { registerCost } from './commands/cost';
import { registerEmulate } from './commands/emulate';
import { registerLoadtest } from './commands/loadtest';
import { registerPlan } from './commands/plan';
import { registerRecommend } from './commands/recommend';
import { registerSchema } from './commands/schema';
import { registerShapes } from './commands/shapes';
import { registerSimulate } from './commands/simulate';
import { registerTuneIndex } from './commands/tune-index';
import { registerValidate } from './commands/validate';
import { setTableWidth } from './format-table';

const { version: packageVersion } = require('../package.json') as { version: string };
const version = `serving-stacks ${packageVersion} (Node.js ${process.version})`;

/** Commands that print tables: on a terminal they fit its width unless asked to be wide. */
const TABULAR = new Set(['assumptions', 'parity', 'shapes', 'plan', 'cost', 'simulate', 'recommend', 'compare', 'check-update', 'tune-index']);

export function servingStacksProgram(): Command {
  const program = new Command('serving-stacks')
    .description('Deploy and compare one ML serving topology on AWS (CDK) and GCP (Pulumi).')
    .version(version, '-V, --version', 'print the version of serving-stacks and of Node.js')
    .showHelpAfterError()
    // Each command's options belong to it: `loadtest merge a.json b.json --out all.json` is merge's --out, not loadtest's.
    .enablePositionalOptions()
    .configureOutput({ outputError: (text, write) => write(text) });

  const commands = [
    registerValidate,
    registerParity,
    registerSchema,
    registerShapes,
    registerAssumptions,
    registerPlan,
    registerCheckUpdate,
    registerEmulate,
    registerCorpus,
    registerLoadtest,
    registerCost,
    registerSimulate,
    registerRecommend,
    registerCompare,
    registerTuneIndex,
    registerPipeline,
  ];
  for (const register of commands) register(program);

  for (const command of program.commands) {
    if (TABULAR.has(command.name())) command.option('--wide', 'print tables at full width, one line per row (the default when output is piped)');
  }
  program.hook('preAction', (_program, action) => setTableWidth(action.opts<{ wide?: boolean }>()));
  return program;
}
