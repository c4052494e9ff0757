import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { resolveTopology } from '../../constructs';
import {
  capacitySearchLength,
  capacitySnippet,
  createProgressReporter,
  DEFAULT_ERROR_THRESHOLD,
  findCapacity,
  formatTextReport,
  LoadTestOptionsError,
  mergeResults,
  MergeError,
  parseThresholds,
  planLoadTest,
  runLoadTest,
  THRESHOLD_HELP,
  type CapacityPlan,
  type CapacityStep,
  type LoadTestCliInput,
  type LoadTestOptions,
  type LoadTestResult,
  withDefaultErrorThreshold,
} from '../../load-tests/generator';
import { TargetSetupError } from '../../load-tests/targets/target';
import { BUILTIN_PROFILES } from '../../load-tests/traffic/builtin-profiles';
import { peakRate, scheduleDurationSeconds, steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { noteAwsSdkNodeSupport } from '../aws-sdk-node-notice';
import { UsageError } from '../run-cli';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../topology-option';
import { parseFleet, runFleetTask, runLocalFleet, type FleetCliInput } from './loadtest-fleet';

/** Exit codes beyond 0 (pass) and 1 (usage): k6 uses 99 for failed thresholds; 130 is the shell's Ctrl-C. */
export const EXIT = { thresholdsFailed: 99, invalidRun: 98, interrupted: 130 } as const;

interface LoadtestOptions extends TopologySelection, LoadTestCliInput, FleetCliInput {
  out?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const LOADTEST_HELP_AFTER = `
Without a threshold on errors (--threshold errors<…, or --slo) a run is held to ${DEFAULT_ERROR_THRESHOLD}.

Exit codes:
  0    ran, every threshold passed
  1    bad options (nothing ran), or --find-capacity found no rate that held
  2    --fleet aws|gcp: not built yet (use --fleet local)
  ${EXIT.invalidRun}   invalid run: the generator, not the endpoint, was the bottleneck (lower the rate, add --workers),
       or a --fleet task failed to start, died or never delivered its result
  ${EXIT.thresholdsFailed}   a threshold failed
  ${EXIT.interrupted}  interrupted (Ctrl-C); the result covers what was measured

The official Vertex client (--vertex-client aiplatform) spends several times the CPU of plain
REST per call: when it is the bottleneck (exit ${EXIT.invalidRun} against Vertex), use --vertex-client rest.
--find-capacity says before it starts how long it will take (steps × --step-duration).`;

export function registerLoadtest(program: Command): void {
  const loadtest = addTopologyOptions(
    program
      .command('loadtest')
      .description('open-loop load test of one endpoint through its real client (SageMaker SDK, Vertex client, or plain HTTP)'),
  )
    .option('--target <kind>', 'sagemaker | vertex | http')
    .option('--endpoint <name>', 'endpoint: a topology endpoint (ranker), a SageMaker endpoint name, a Vertex endpoint id or projects/P/locations/L/endpoints/ID, or a URL (http)')
    .option('--endpoint-url <url>', 'send to this address instead of the cloud default (the local endpoints: http://127.0.0.1:8780)')
    .option('--region <region>', 'SageMaker region (default: the topology\'s)')
    .option('--project <project>', 'Vertex project, for an endpoint given by id')
    .option('--location <location>', 'Vertex location (default: the topology\'s GCP region)')
    .option('--vertex-client <client>', 'aiplatform (the official client, REST fallback) | rest (plain REST, far less CPU)', 'aiplatform')
    .option('--peak-rps <rate>', "the profile's peak, requests/s (default for a topology endpoint: its traffic.peakRequestsPerSecond, else derived from capacity, as simulate)")
    .option('--rate <rps>', 'the old name of --peak-rps')
    .option('--profile <name|file>', `${BUILTIN_PROFILES.join(' | ')} | a YAML/JSON stages file | a JSON/CSV per-minute file (the same profiles as simulate)`, 'steady')
    .option('--hours <hours>', 'hours of a built-in profile, as simulate takes them (default 24); cuts a file')
    .option('--time-scale <n>', 'play the profile n times faster: the same rates in 1/n of the time (24 h of breaking-news at --time-scale 60 take 24 min)')
    .option('--duration <time>', 'run length: 30s, 2m, 1h; without --time-scale a built-in profile is fitted to it, otherwise it cuts the run')
    .option('--arrivals <kind>', 'uniform (evenly spaced) | poisson', 'uniform')
    .option('--max-requests <n>', 'stop after this many requests')
    .option('--workers <n>', 'worker threads, one client each (the AWS SDK drives ~1.5k calls/s per core)', '1')
    .option('--concurrency <n>', 'cap on requests in flight; arrivals beyond it wait, timed from their intended send, and count as late', '1024')
    .option('--timeout <time>', 'per-request timeout', '60s')
    .option('--retries <n>', 'retry throttles and 5xx answers up to n times (capped exponential backoff, full jitter); off by default', '0')
    .option('--threshold <expr>', `pass/fail gate, repeatable: ${THRESHOLD_HELP}`, collect, [])
    .option('--slo', 'add the endpoint\'s SLO from the topology as thresholds')
    .option('--payload <kind|file>', 'ranker | embedder | reranker sample payloads, or a JSON file of {"instances": [...]} bodies (default: by endpoint)')
    .option('--batch <n>', 'instances per request for sample payloads')
    .option('--variant <name>', 'SageMaker target variant (X-Amzn-SageMaker-Target-Variant)')
    .option('--header <header>', 'extra header for --target http, "Name: value", repeatable', collect, [])
    .option('--seed <n>', 'seed of payloads, Poisson gaps and retry jitter', '1')
    .option('--max-scheduler-lag <ms>', 'scheduler lag p99 beyond which the run is invalid', '5')
    .option('--warmup <time>', 'run the first seconds of the schedule once, unrecorded, before measuring (helps above ~10k req/s)', '0s')
    .option('--allow-production', 'allow a load test of a production topology\'s real endpoint')
    .option('--find-capacity', 'step the rate up until the SLO or error budget breaks; print maxRequestsPerSecondPerReplica')
    .option('--step-duration <time>', 'length of each --find-capacity step', '10s')
    .option('--replicas <n>', 'replicas serving the endpoint, for --find-capacity (default: the topology\'s scaling.min)')
    .option('--fleet <where>', 'run the schedule as --tasks tasks, each every N-th arrival, merged exactly: local (processes here) | aws | gcp (not built yet)')
    .option('--tasks <n>', 'tasks of a --fleet run; each runs its share of the rate, with its own --workers')
    .addOption(new Option('--fleet-task <i/N>', 'run as task i of N of a fleet (set by --fleet)').hideHelp())
    .addOption(new Option('--fleet-store <dir>', 'where a fleet task reads its start time and leaves its result').hideHelp())
    .option('--out <file>', 'write the JSON result (load-tests/RESULT-FORMAT.md) to this file')
    .option('--json', 'print the JSON result instead of the text summary')
    .addHelpText('after', LOADTEST_HELP_AFTER)
    // `loadtest merge … --out FILE`: options after `merge` are merge's, not loadtest's namesakes.
    .enablePositionalOptions()
    .action(async (options: LoadtestOptions, command: Command) => {
      const tasks = options.fleet === undefined ? 1 : parseFleet(options);
      if (tasks === undefined) return;
      const resolved = resolveTopology(selectTopology(options));
      const { plan, errors } = planLoadTest(options, resolved);
      if (!plan) throw new UsageError(`cannot run this load test:\n  ${errors.join('\n  ')}`);
      if (plan.capacity && (options.fleet || options.fleetTask)) throw new UsageError('--find-capacity runs on one machine; drop --fleet');
      if (plan.options.target.kind === 'sagemaker') noteAwsSdkNodeSupport();
      if (!plan.capacity) {
        const s = plan.options.schedule;
        process.stderr.write(`loadtest: ${options.profile ?? 'steady'}, peak ${Math.round(peakRate(s) * 100) / 100} req/s (${plan.peakSource}), ${Math.round(scheduleDurationSeconds(s) * 10) / 10} s\n`);
        if (plan.options.thresholds?.some((t) => t.isDefault)) {
          process.stderr.write(`loadtest: no threshold on errors given, so ${DEFAULT_ERROR_THRESHOLD} applies (exit ${EXIT.thresholdsFailed} above it; --threshold 'errors<=N%' sets another)\n`);
        }
      }
      const controller = interruptOnSignals();
      try {
        if (plan.capacity) await runFindCapacity(plan.options, plan.capacity, options, controller.signal);
        else if (options.fleetTask) await runFleetTask(options, plan.options, controller.signal);
        else if (options.fleet) await runLocalFleet(tasks, plan.options, command, controller.signal, (result) => report(result, options));
        else await runOnce(plan.options, options, controller.signal);
      } finally {
        controller.dispose();
      }
    });

  loadtest
    .command('merge')
    .description('merge results of simultaneous runs (several machines) into one: histograms add, percentiles are recomputed')
    .argument('<files...>', 'result files written by loadtest --out')
    .option('--threshold <expr>', 'pass/fail gate on the merged result, repeatable', collect, [])
    .option('--out <file>', 'write the merged JSON result to this file')
    .option('--json', 'print the merged JSON result instead of the text summary')
    .action((files: string[], options: { threshold: string[]; out?: string; json?: boolean }) => {
      const { thresholds, errors } = parseThresholds(options.threshold);
      if (errors.length) throw new UsageError(errors.join('\n'));
      const results = files.map(readResult);
      let merged: LoadTestResult;
      try {
        merged = mergeResults(results, withDefaultErrorThreshold(thresholds));
      } catch (e) {
        if (e instanceof MergeError) throw new UsageError(e.message);
        throw e;
      }
      report(merged, options);
    });
}

async function runOnce(options: LoadTestOptions, cli: LoadtestOptions, signal: AbortSignal): Promise<void> {
  const progress = createProgressReporter();
  let result: LoadTestResult;
  try {
    result = await runLoadTest({ ...options, signal, onProgress: (p) => progress.update(p) });
  } catch (e) {
    if (e instanceof LoadTestOptionsError || e instanceof TargetSetupError) throw new UsageError(e.message);
    throw e;
  } finally {
    progress.stop();
  }
  report(result, cli);
}

function report(result: LoadTestResult, cli: { out?: string; json?: boolean }): void {
  if (cli.out) writeFileSync(cli.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(cli.json ? `${JSON.stringify(result, null, 2)}\n` : formatTextReport(result));
  if (cli.out && !cli.json) process.stdout.write(`Result written to ${cli.out}\n`);
  if (result.interrupted) process.exitCode = EXIT.interrupted;
  else if (!result.valid) process.exitCode = EXIT.invalidRun;
  else if (result.thresholds.some((t) => !t.pass)) process.exitCode = EXIT.thresholdsFailed;
}

async function runFindCapacity(options: LoadTestOptions, capacity: CapacityPlan, cli: LoadtestOptions, signal: AbortSignal): Promise<void> {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  write(
    `find-capacity: steady steps of ${capacity.stepSeconds} s from ${Math.round(capacity.startRate * 100) / 100} req/s, ` +
      `SLO p99 <= ${capacity.slo.p99Ms} ms and errors <= ${capacity.slo.errorRate * 100} %, ${capacity.replicas} replica(s)`,
  );
  write(`find-capacity: ${describeSearchLength(capacitySearchLength(capacity.startRate, capacity.nominalRate), capacity.stepSeconds)}`);
  const result = await findCapacity({
    startRate: capacity.startRate,
    slo: capacity.slo,
    replicas: capacity.replicas,
    runStep: async (rate) => {
      if (signal.aborted) throw new UsageError('interrupted');
      try {
        return await runLoadTest({ ...options, schedule: steadySchedule(rate, capacity.stepSeconds), signal });
      } catch (e) {
        if (e instanceof TargetSetupError) throw new UsageError(e.message);
        throw e;
      }
    },
    onStep: (s) => write(formatStep(s)),
  });
  const output = { kind: 'capacity', endpoint: capacity.endpointName, ...result, snippet: capacitySnippet(capacity.endpointName, result) };
  if (cli.out) writeFileSync(cli.out, `${JSON.stringify(output, null, 2)}\n`);
  if (cli.json) {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else if (result.maxRequestsPerSecond > 0) {
    process.stdout.write(
      `\n${capacity.endpointName} held ${result.maxRequestsPerSecond} req/s on ${result.replicas} replica(s): ` +
        `maxRequestsPerSecondPerReplica ${result.maxRequestsPerSecondPerReplica} (search ended by ${result.limitedBy}).\n` +
        `In the topology:\n\n${output.snippet}`,
    );
  }
  if (result.limitedBy === 'generator') {
    process.stderr.write('!!! the generator, not the endpoint, limited the search (why: the last step above): add --workers or run on a quieter machine, then run again\n');
    process.exitCode = EXIT.invalidRun;
  } else if (result.maxRequestsPerSecond === 0) {
    throw new UsageError(`no step held the SLO, not even ${result.steps[0]?.rate} req/s; start lower with --rate`);
  }
}

/** How long the search will take, said before it starts: steps × step duration. */
export function describeSearchLength(length: { expectedSteps?: number; maxSteps: number }, stepSeconds: number): string {
  const most = `at most ${length.maxSteps} steps × ${stepSeconds} s = ${formatSeconds(length.maxSteps * stepSeconds)}`;
  return length.expectedSteps === undefined
    ? `${most} (fewer when a step breaks early)`
    : `about ${length.expectedSteps} steps × ${stepSeconds} s = ${formatSeconds(length.expectedSteps * stepSeconds)} if the endpoint breaks near its nominal capacity; ${most}`;
}

function formatSeconds(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round((seconds - m * 60) * 10) / 10;
  return m === 0 ? `${s} s` : s === 0 ? `${m} min` : `${m} min ${s} s`;
}

function formatStep(s: CapacityStep): string {
  return `  ${String(s.rate).padStart(9)} req/s: achieved ${s.achievedRate}, p99 ${s.p99Ms} ms, errors ${Math.round(s.errorRate * 10000) / 100} % → ${s.pass ? 'held' : `broke (${s.reason})`}`;
}

function readResult(file: string): LoadTestResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read it: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as LoadTestResult;
  } catch (e) {
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

/**
 * First Ctrl-C (or SIGTERM) stops the run and keeps what was measured; a second one quits at once.
 */
function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping: requests in flight get 2 s to answer, then the result is written (Ctrl-C again quits now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
