/**
 * `serving-stacks`: one command line for the topology, both clouds' offline plans, the local
 * endpoints, load tests, the simulator, the cost model and the comparison report.
 */
import { Command } from 'commander';
import { registerCheckUpdate } from './commands/check-update';
import { registerParity } from './commands/parity';
import { registerCompare } from './commands/compare';
import { registerCost } from './commands/cost';
import { registerEmulate } from './commands/emulate';
import { registerLoadtest } from './commands/loadtest';
import { registerPlan } from './commands/plan';
import { registerRecommend } from './commands/recommend';
import { registerSchema } from './commands/schema';
import { registerShapes } from './commands/shapes';
import { registerSimulate } from './commands/simulate';
import { registerValidate } from './commands/validate';
import { runCli } from './run-cli';

const program = new Command('serving-stacks')
  .description('Deploy and compare one ML serving topology on AWS (CDK) and GCP (Pulumi).')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

const commands = [
  registerValidate,
  registerParity,
  registerSchema,
  registerShapes,
  registerPlan,
  registerCheckUpdate,
  registerEmulate,
  registerLoadtest,
  registerCost,
  registerSimulate,
  registerRecommend,
  registerCompare,
];
for (const register of commands) register(program);

void runCli(program, process.argv);
