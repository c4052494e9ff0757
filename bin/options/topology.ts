/** `--env E | --topology F`: which topology a command works on. */
import type { Command } from 'commander';
import { isPresetEnvironment, loadTopologyFile, preset, PRESET_ENVIRONMENTS, type Topology } from '../../constructs';
import { UsageError } from './usage-error';

export interface TopologySelection {
  readonly env?: string;
  readonly topology?: string;
}

export function addTopologyOptions(command: Command): Command {
  return command
    .option('--env <name>', `bundled news topology preset: ${PRESET_ENVIRONMENTS.join(', ')} (default dev)`)
    .option('--topology <file>', 'a topology file (YAML or JSON) instead of a preset');
}

/** How the caller spells the two options in messages: `--env` on the command line, `-c env` for cdk. */
export interface SelectionFlags {
  readonly env: string;
  readonly topology: string;
}

const CLI_FLAGS: SelectionFlags = { env: '--env', topology: '--topology <file>' };

/**
 * The selected topology: a file when given (its environment must agree with the env, if both are
 * given), else the preset for the env, else the dev preset.
 */
export function selectTopology(selection: TopologySelection, flags: SelectionFlags = CLI_FLAGS): Topology {
  if (selection.topology) {
    const topology = loadTopologyFile(selection.topology);
    if (selection.env && selection.env !== topology.environment) {
      throw new UsageError(
        `${selection.topology} describes environment "${topology.environment}" but ${flags.env} says "${selection.env}"; drop one of them`,
      );
    }
    return topology;
  }
  const env = selection.env ?? 'dev';
  if (!isPresetEnvironment(env)) {
    throw new UsageError(`${flags.env}: no preset "${env}"; presets are ${PRESET_ENVIRONMENTS.join(', ')} (or pass ${flags.topology})`);
  }
  return preset(env);
}
