/** `--env E | --topology F`: which topology a command works on. */
import type { Command } from 'commander';
import { isPresetEnvironment, loadTopologyFile, preset, PRESET_ENVIRONMENTS, type Topology } from '../constructs';
import { UsageError } from './run-cli';

export interface TopologySelection {
  readonly env?: string;
  readonly topology?: string;
}

export function addTopologyOptions(command: Command): Command {
  return command
    .option('--env <name>', `bundled news topology preset: ${PRESET_ENVIRONMENTS.join(', ')} (default dev)`)
    .option('--topology <file>', 'a topology file (YAML or JSON) instead of a preset');
}

/**
 * The selected topology: a file when given (its environment must agree with --env, if both are
 * given), else the preset for --env, else the dev preset.
 */
export function selectTopology(selection: TopologySelection): Topology {
  if (selection.topology) {
    const topology = loadTopologyFile(selection.topology);
    if (selection.env && selection.env !== topology.environment) {
      throw new UsageError(
        `${selection.topology} describes environment "${topology.environment}" but --env says "${selection.env}"; drop one of them`,
      );
    }
    return topology;
  }
  const env = selection.env ?? 'dev';
  if (!isPresetEnvironment(env)) {
    throw new UsageError(`--env: no preset "${env}"; presets are ${PRESET_ENVIRONMENTS.join(', ')} (or pass --topology <file>)`);
  }
  return preset(env);
}
