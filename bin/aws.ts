/**
 * The CDK app (`cdk.json` runs it): one serving stack for the bundled news topology in an environment
 * (`-c env=dev|staging|prod`, default dev) or for a topology file (`-c topology=<file>`; when both are
 * given the file's environment must match). cdk-nag's AwsSolutions and NIST 800-53 R5 packs and our
 * MLServe pack run as policy-validation plugins: any unacknowledged finding fails synthesis.
 * A bad topology prints its problems and exits 1, without a stack trace.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { isPresetEnvironment, isTopologyError, loadTopologyFile, preset, PRESET_ENVIRONMENTS, resolveTopology, type Topology } from '../constructs';
import { MLServeChecks, newServingApp, ServingPropsError, ServingStack, servingStackId } from '../aws';
import { UsageError } from './run-cli';

function selectTopology(env: unknown, file: unknown): Topology {
  if (env !== undefined && typeof env !== 'string') throw new UsageError(`-c env: expected a name, got ${JSON.stringify(env)}`);
  if (file !== undefined && typeof file !== 'string') throw new UsageError(`-c topology: expected a file path, got ${JSON.stringify(file)}`);
  if (file) {
    const topology = loadTopologyFile(file);
    if (env && env !== topology.environment) {
      throw new UsageError(`${file} describes environment "${topology.environment}" but -c env says "${env}"; drop one of them`);
    }
    return topology;
  }
  const name = env ?? 'dev';
  if (!isPresetEnvironment(name)) {
    throw new UsageError(`-c env: no preset "${name}"; presets are ${PRESET_ENVIRONMENTS.join(', ')} (or pass -c topology=<file>)`);
  }
  return preset(name);
}

function main(): void {
  const app = newServingApp();
  const topology = resolveTopology(selectTopology(app.node.tryGetContext('env'), app.node.tryGetContext('topology')));
  new ServingStack(app, servingStackId(topology), { topology });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new MLServeChecks(app));
  app.synth();
}

try {
  main();
} catch (e) {
  if (isTopologyError(e) || e instanceof UsageError || e instanceof ServingPropsError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
