/**
 * The CDK app (`cdk.json` runs it): one serving stack for the bundled news topology in an environment
 * (`-c env=dev|staging|prod`, default dev) or for a topology file (`-c topology=<file>`; when both are
 * given the file's environment must match). cdk-nag's AwsSolutions and NIST 800-53 R5 packs and our
 * MLServe pack run as policy-validation plugins: any unacknowledged finding fails synthesis.
 * A bad topology prints its problems and exits 1, without a stack trace.
 */
import { Errors } from 'aws-cdk-lib';
import { isTopologyError, resolveTopology } from '../constructs';
import { addServingPolicyPlugins, newServingApp, ServingPropsError, ServingStack, servingStackId } from '../aws';
import { UsageError } from './options/usage-error';
import { selectTopology } from './options/topology';

/** CDK context values are whatever the user typed after `-c`: only strings make sense here. */
function contextString(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new UsageError(`-c ${name}: expected a string, got ${JSON.stringify(value)}`);
}

function main(): void {
  const app = newServingApp();
  const selection = {
    env: contextString(app.node.tryGetContext('env'), 'env'),
    topology: contextString(app.node.tryGetContext('topology'), 'topology'),
  };
  const topology = resolveTopology(selectTopology(selection, { env: '-c env', topology: '-c topology=<file>' }));
  new ServingStack(app, servingStackId(topology), { topology });
  addServingPolicyPlugins(app);
  app.synth();
}

try {
  main();
} catch (e) {
  if (isTopologyError(e) || e instanceof UsageError || e instanceof ServingPropsError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  }
  // The policy packs have printed their report already: stop there, without a stack trace.
  if (Errors.isValidationError(e) && e.name === 'ValidationFailed') process.exit(1);
  throw e;
}
