/**
 * `serving-stacks`: one command line for the topology, both clouds' offline plans, the local
 * endpoints, load tests, the simulator, the cost model and the comparison report.
 */
import { quietAwsSdkNodeWarning } from './aws-sdk-node-notice';
import { servingStacksProgram } from './program';
import { runCli } from './run-cli';

quietAwsSdkNodeWarning();
void runCli(servingStacksProgram(), process.argv);
