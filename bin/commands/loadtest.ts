import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { resolveTopology, type ResolvedTopology } from '../../constructs';
import {
  capacitySearchLength,
  capacitySnippet,
  createProgressReporter,
  DEFAULT_ERROR_THRESHOLD,
  findCapacity,
  formatTextReport,
  mergeResults,
  parseThresholds,
  planLoadTest,
  runLoadTest,
  THRESHOLD_HELP,
  type CapacityPlan,
  type CapacityStep,
  type LoadTestInput,
  type LoadTestOptions,
  type LoadTestResult,
  withDefaultErrorThreshold,
} from '../../load-tests/generator';
import { MAX_WORKERS } from '../../load-tests/generator/load-test-defaults';
import { TARGET_KINDS } from '../../load-tests/targets/target';
import { ragEndpointsFromEmulator, ragEndpointsFromOutputs } from '../../load-tests/targets/rag/find-rag-endpoints';
import { RagInputError } from '../../load-tests/targets/rag/rag-input-error';
import { readRagCorpus } from '../../load-tests/targets/rag/read-rag-corpus';
import { fetchEmulatorListing, PipelineInputError } from '../../load-tests/pipeline/local-pipeline';
import { watchDeadLetters } from '../../load-tests/targets/pipeline/dead-letter-count';
import { pipelineEndpointsFromEmulator, pipelineEndpointsFromOutputs } from '../../load-tests/targets/pipeline/find-pipeline-endpoints';
import { fractionOption } from '../options/fraction';
import { BUILTIN_PROFILES } from '../../load-tests/traffic/builtin-profiles';
import { MAX_HOURS, peakRate, scheduleDurationSeconds, steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { noteAwsSdkNodeSupport } from '../aws-sdk-node-notice';
import { EXIT } from '../exit-codes';
import { choiceOption } from '../options/choice';
import { durationOption } from '../options/duration';
import { readJsonFile } from '../options/json-file';
import { numberOption, POSITIVE } from '../options/number';
import { rateOption } from '../options/rate';
import { seedOption } from '../options/seed';
import { UsageError } from '../options/usage-error';
import { interruptibleRun } from '../stop-requests';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';
import { MAX_TASKS, parseFleet, runCloudOrLocalFleet, runFleetTask, type FleetCliInput } from './loadtest-fleet';

interface LoadtestOptions extends TopologySelection, LoadTestInput, FleetCliInput {
  out?: string;
  json?: boolean;
  /** --target rag: the corpus directory. */
  corpus?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const LOADTEST_HELP_AFTER = `
Without a threshold on errors (--threshold errors<…, or --slo) a run is held to ${DEFAULT_ERROR_THRESHOLD}.

Exit codes:
  0    ran, every threshold passed
  1    bad options (nothing ran),
       or --find-capacity found no rate that held
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
    .addOption(choiceOption('--target <kind>', 'sagemaker | vertex | http | rag (embed → k-NN search → rerank, the topology\'s retrieval path) | pipeline (publish document versions to the embedding-refresh queue, time each until a k-NN query finds it)', TARGET_KINDS))
    .option('--endpoint <name>', 'endpoint: a topology endpoint (ranker), a SageMaker endpoint name, a Vertex endpoint id or projects/P/locations/L/endpoints/ID, or a URL (http)')
    .option('--endpoint-url <url>', 'send to this address instead of the cloud default (the local endpoints: http://127.0.0.1:8780)')
    .option('--region <region>', 'SageMaker region (default: the topology\'s)')
    .option('--project <project>', 'Vertex project, for an endpoint given by id')
    .option('--location <location>', 'Vertex location (default: the topology\'s GCP region)')
    .addOption(choiceOption('--vertex-client <client>', 'aiplatform (the official client, REST fallback) | rest (plain REST, far less CPU)', ['aiplatform', 'rest'] as const).default('aiplatform'))
    .addOption(rateOption('--peak-rps <rate>', "the profile's peak, requests/s (default for a topology endpoint: its traffic.peakRequestsPerSecond, else derived from capacity, as simulate)"))
    .addOption(rateOption('--rate <rps>', 'the old name of --peak-rps'))
    .option('--profile <name|file>', `${BUILTIN_PROFILES.join(' | ')} | a YAML/JSON stages file | a JSON/CSV per-minute file (the same profiles as simulate)`, 'steady')
    .addOption(numberOption('--hours <hours>', 'hours of a built-in profile, as simulate takes them (default 24); cuts a file', { above: 0, max: MAX_HOURS, unit: 'hours' }))
    .addOption(numberOption('--time-scale <n>', 'play the profile n times faster: the same rates in 1/n of the time (24 h of breaking-news at --time-scale 60 take 24 min)', { ...POSITIVE, unit: 'profile seconds per real second' }))
    .addOption(durationOption('--duration <time>', 'run length: 30s, 2m, 1h; without --time-scale a built-in profile is fitted to it, otherwise it cuts the run'))
    .addOption(choiceOption('--arrivals <kind>', 'uniform (evenly spaced) | poisson', ['uniform', 'poisson'] as const).default('uniform'))
    .addOption(numberOption('--max-requests <n>', 'stop after this many requests', { integer: true, min: 1 }))
    .addOption(numberOption('--workers <n>', 'worker threads, one client each (the AWS SDK drives ~1.5k calls/s per core)', { integer: true, min: 1, max: MAX_WORKERS }).default(1))
    .addOption(numberOption('--concurrency <n>', 'cap on requests in flight; arrivals beyond it wait, timed from their intended send, and count as late', { integer: true, min: 1 }).default(1024))
    .addOption(durationOption('--timeout <time>', 'per-request timeout').default(60, '60s'))
    .addOption(numberOption('--retries <n>', 'retry throttles and 5xx answers up to n times (capped exponential backoff, full jitter); off by default', { integer: true, min: 0, max: 10 }).default(0))
    .option('--threshold <expr>', `pass/fail gate, repeatable: ${THRESHOLD_HELP}`, collect, [])
    .option('--slo', 'add the endpoint\'s SLO from the topology as thresholds')
    .option('--payload <kind|file>', 'ranker | embedder | reranker sample payloads, or a JSON file of {"instances": [...]} bodies (default: by endpoint)')
    .addOption(numberOption('--batch <n>', 'instances per request for sample payloads', { integer: true, min: 1, max: 10_000 }))
    .option('--variant <name>', 'SageMaker target variant (X-Amzn-SageMaker-Target-Variant)')
    .option('--header <header>', 'extra header for --target http, "Name: value", repeatable', collect, [])
    .addOption(seedOption('seed of payloads, Poisson gaps and retry jitter', 1))
    .addOption(numberOption('--max-scheduler-lag <ms>', 'scheduler lag p99 beyond which the run is invalid', { ...POSITIVE, unit: 'milliseconds' }).default(5))
    .addOption(durationOption('--warmup <time>', 'run the first seconds of the schedule once, unrecorded, before measuring (helps above ~10k req/s)', { allowZero: true }).default(0, '0s'))
    .option('--allow-production', 'allow a load test of a production topology\'s real endpoint')
    .option('--find-capacity', 'step the rate up until the SLO or error budget breaks; print maxRequestsPerSecondPerReplica')
    .addOption(durationOption('--step-duration <time>', 'length of each --find-capacity step').default(10, '10s'))
    .addOption(numberOption('--replicas <n>', 'replicas serving the endpoint, for --find-capacity (default: the topology\'s scaling.min)', { integer: true, min: 1 }))
    .addOption(choiceOption('--fleet <where>', 'run the schedule as --tasks tasks, each every N-th arrival, merged exactly: local (processes here) | aws (ECS Fargate tasks) | gcp (a Cloud Run job execution), both with --stack-outputs', ['local', 'aws', 'gcp']))
    .addOption(numberOption('--tasks <n>', 'tasks of a --fleet run; each runs its share of the rate, with its own --workers', { integer: true, min: 1, max: MAX_TASKS }))
    .option('--stack-outputs <file>', 'deployed stacks\' outputs, cdk deploy --outputs-file <file> (aws) or pulumi stack output --json > <file> (gcp): the load generator\'s with --fleet aws|gcp; the embedder, vector store and reranker with --target rag, the source queue and vector store with --target pipeline (run inside the VPC: the stores are private)')
    .addOption(new Option('--fleet-task <i/N>', 'run as task i of N of a fleet (set by --fleet)').hideHelp())
    .addOption(new Option('--fleet-store <dir|s3://bucket/prefix/|gs://bucket/prefix/>', 'where a fleet task reads its start time and leaves its result').hideHelp())
    .addOption(choiceOption('--cloud <cloud>', '--target rag | pipeline: whose protocols the path speaks, aws (SageMaker + OpenSearch Serverless; pipeline: SQS FIFO + OpenSearch or pgvector) | gcp (Vertex AI + Vector Search; pipeline: Pub/Sub + Vector Search or pgvector)', ['aws', 'gcp'] as const))
    .option('--corpus <dir>', '--target rag: queries with exact ground truth, written by `serving-stacks corpus`')
    .addOption(numberOption('--k <n>', '--target rag: neighbours each query asks for; recall@k is measured against the first k of the ground truth', { integer: true, min: 1, max: 1000 }).default(10))
    .addOption(numberOption('--ef-search <n>', '--target rag --cloud aws: OpenSearch method_parameters.ef_search per query (default: the index\'s)', { integer: true, min: 2, max: 4096 }))
    .addOption(fractionOption('--leaf-fraction <f>', '--target rag --cloud gcp: Vector Search fractionLeafNodesToSearchOverride per query (default: the index\'s)'))
    .addOption(numberOption('--documents <n>', '--target pipeline: distinct documents the run publishes new versions of, drawn by --seed (default 100)', { integer: true, min: 1, max: 1_000_000 }))
    
    .option('--out <file>', 'write the JSON result (load-tests/RESULT-FORMAT.md) to this file')
    .option('--json', 'print the JSON result instead of the text summary')
    .addHelpText('after', LOADTEST_HELP_AFTER)
    // `loadtest merge … --out FILE`: options after `merge` are merge's, not loadtest's namesakes.
    .enablePositionalOptions()
    .action(async (options: LoadtestOptions, command: Command) => {
      const tasks = options.fleet === undefined ? 1 : parseFleet(options);
      const resolved = resolveTopology(selectTopology(options));
      const inputs = options.target === 'rag' ? await ragInputs(options, resolved) : options.target === 'pipeline' ? await pipelineInputs(options, resolved) : {};
      const { plan, errors } = planLoadTest({ ...options, ...inputs }, resolved);
      if (!plan) throw new UsageError(`cannot run this load test:\n  ${errors.join('\n  ')}`);
      if (plan.capacity && (options.fleet || options.fleetTask)) throw new UsageError('--find-capacity runs on one machine; drop --fleet');
      if (plan.options.target.kind === 'pipeline' && (options.fleet || options.fleetTask)) throw new UsageError('--fleet: --target pipeline runs on one machine (its dead-letter count is one queue\'s); drop --fleet');
      if (plan.options.target.kind === 'sagemaker') noteAwsSdkNodeSupport();
      if (!plan.capacity) {
        const s = plan.options.schedule;
        process.stderr.write(`loadtest: ${options.profile ?? 'steady'}, peak ${Math.round(peakRate(s) * 100) / 100} req/s (${plan.peakSource}), ${Math.round(scheduleDurationSeconds(s) * 10) / 10} s\n`);
        if (plan.options.thresholds?.some((t) => t.isDefault)) {
          process.stderr.write(`loadtest: no threshold on errors given, so ${DEFAULT_ERROR_THRESHOLD} applies (exit ${EXIT.thresholdsFailed} above it; --threshold 'errors<=N%' sets another)\n`);
        }
      }
      const controller = interruptibleRun(() =>
        process.stderr.write('\nstopping: requests in flight get 2 s to answer, then the result is written (Ctrl-C again quits now)\n'),
      );
      try {
        if (plan.capacity) await runFindCapacity(plan.options, plan.capacity, options, controller.signal);
        else if (options.fleetTask) await runFleetTask(options, plan.options, controller.signal);
        else if (options.fleet) await runCloudOrLocalFleet(options, tasks, plan.options, command, controller.signal, (result) => report(result, options));
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
      const results = files.map((file) => readJsonFile(file, file) as LoadTestResult);
      report(mergeResults(results, withDefaultErrorThreshold(thresholds)), options);
    });
}

/** What a RAG plan needs from files and the network, read before planning so the plan stays pure. */
async function ragInputs(options: LoadtestOptions, resolved: ResolvedTopology): Promise<Pick<LoadTestInput, 'ragCorpus' | 'ragEndpoints'>> {
  if (options.stackOutputs && options.endpointUrl) throw new UsageError('--stack-outputs: give --stack-outputs (deployed stacks) or --endpoint-url (the local endpoints), not both');
  try {
    const ragCorpus = options.corpus === undefined ? undefined : readRagCorpus(options.corpus);
    if (options.stackOutputs) {
      const file = options.stackOutputs;
      return { ragCorpus, ragEndpoints: options.cloud ? ragEndpointsFromOutputs(readJsonFile(file, '--stack-outputs'), options.cloud, resolved, file) : undefined };
    }
    if (options.endpointUrl) return { ragCorpus, ragEndpoints: await ragEndpointsFromEmulator(options.endpointUrl, resolved) };
  } catch (e) {
    if (e instanceof RagInputError) throw new UsageError(e.message);
    throw e;
  }
  throw new UsageError('--endpoint-url: --target rag needs the local endpoints (--endpoint-url http://127.0.0.1:8780) or a deployed stack\'s outputs (--stack-outputs FILE)');
}

/** Where a pipeline run publishes and searches, found before planning so the plan stays pure. */
async function pipelineInputs(options: LoadtestOptions, resolved: ResolvedTopology): Promise<Pick<LoadTestInput, 'pipelineEndpoints'>> {
  if (options.stackOutputs && options.endpointUrl) throw new UsageError('--stack-outputs: give --stack-outputs (deployed stacks) or --endpoint-url (the local endpoints), not both');
  if (options.stackOutputs) {
    const file = options.stackOutputs;
    return { pipelineEndpoints: options.cloud ? pipelineEndpointsFromOutputs(readJsonFile(file, '--stack-outputs'), options.cloud, resolved, file) : undefined };
  }
  if (!options.endpointUrl) return {};
  try {
    return { pipelineEndpoints: pipelineEndpointsFromEmulator(options.endpointUrl, await fetchEmulatorListing(options.endpointUrl), resolved) };
  } catch (e) {
    if (e instanceof PipelineInputError) throw new UsageError(e.message);
    throw e;
  }
}

async function runOnce(options: LoadTestOptions, cli: LoadtestOptions, signal: AbortSignal): Promise<void> {
  const progress = createProgressReporter();
  const deadLetters = options.target.kind === 'pipeline' ? await watchDeadLetters(options.target) : undefined;
  let result: LoadTestResult;
  try {
    result = await runLoadTest({ ...options, signal, onProgress: (p) => progress.update(p) });
  } finally {
    progress.stop();
  }
  if (deadLetters) result = { ...result, pipeline: await deadLetters() };
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
  const stopped = new Error('interrupted');
  let result: Awaited<ReturnType<typeof findCapacity>> | undefined;
  try {
    result = await findCapacity({
      startRate: capacity.startRate,
      slo: capacity.slo,
      replicas: capacity.replicas,
      runStep: async (rate) => {
        if (signal.aborted) throw stopped;
        return runLoadTest({ ...options, schedule: steadySchedule(rate, capacity.stepSeconds), signal });
      },
      onStep: (s) => write(formatStep(s)),
    });
  } catch (e) {
    if (e !== stopped) throw e;
  }
  if (signal.aborted || !result) {
    // Interrupted, like a single run (exit 130): the steps measured so far are printed above; a cut step proves nothing.
    write('find-capacity: interrupted before the search ended; no capacity to report');
    process.exitCode = EXIT.interrupted;
    return;
  }
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
