/**
 * `serving-stacks`: one command line for the topology, both clouds' offline plans, the local
 * endpoints, load tests, the simulator, the cost model and the comparison report.
 */
import { Command } from 'commander';
import { registerParity } from './commands/parity';
import { registerPlan } from './commands/plan';
import { registerSchema } from './commands/schema';
import { registerShapes } from './commands/shapes';
import { registerValidate } from './commands/validate';
import { runCli } from './run-cli';

const program = new Command('serving-stacks')
  .description('Deploy and compare one ML serving topology on AWS (CDK) and GCP (Pulumi).')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of [registerValidate, registerParity, registerSchema, registerShapes, registerPlan]) register(program);

void runCli(program, process.argv);
