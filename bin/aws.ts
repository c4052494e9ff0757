/**
 * The CDK app (`cdk.json` runs it): one serving stack for the bundled news topology in an environment
 * (`-c env=dev|staging|prod`, default dev) or for a topology file (`-c topology=<file>`; when both are
 * given the file's environment must match). cdk-nag's AwsSolutions and NIST 800-53 R5 packs and our
 * MLServe pack run as policy-validation plugins: any unacknowledged finding fails synthesis.
 * `-c loadgen=true` adds the load generator fleet's stack (`<name>-<environment>-loadgen`), with the
 * image from `-c loadgenImage=<ECR image URI>`.
 * A bad topology prints its problems and exits 1, without a stack trace.
 */
import { Errors } from 'aws-cdk-lib';
import { isTopologyError, resolveTopology } from '../constructs';
import { addServingPolicyPlugins, LoadGeneratorStack, loadGeneratorStackId, newServingApp, ServingPropsError, ServingStack, servingStackId } from '../aws';
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
  // The load generator fleet is opt-in: without `-c loadgen=true` the app is the serving stack alone.
  const loadgen = contextString(app.node.tryGetContext('loadgen'), 'loadgen');
  if (loadgen !== undefined && loadgen !== 'true' && loadgen !== 'false') throw new UsageError(`-c loadgen: expected true or false, got ${JSON.stringify(loadgen)}`);
  const serving = new ServingStack(app, servingStackId(topology), { topology, loadGenerator: loadgen === 'true' });
  if (loadgen === 'true') {
    const image = contextString(app.node.tryGetContext('loadgenImage'), 'loadgenImage');
    const fleet = new LoadGeneratorStack(app, loadGeneratorStackId(topology), { serving, image });
    if (fleet.placeholderImage) process.stderr.write(`${fleet.stackName}: no -c loadgenImage: the task definition uses a placeholder image, and the template refuses to deploy it\n`);
  }
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
