/**
 * `serving-stacks compare` (and `npm start`): the product's main job. Validates the topology,
 * shows where the clouds differ, plans both clouds offline, prices them, simulates the traffic
 * profile, right-sizes each endpoint, load-tests the local endpoints through the real clients,
 * and writes report.md, report.html and report.json.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { shapeWarnings, type ResolvedTopology } from '../../constructs';
import { costOfSimulation } from '../../load-tests/cost/simulated-cost';
import { priceTopology } from '../../load-tests/cost/topology-cost';
import { recommend } from '../../load-tests/recommend/recommend';
import {
  buildComparisonReport,
  REPORT_RETRIEVAL_SWEEP,
  runLiveLoadTest,
  runRetrievalSweep,
  runScaleToZeroDays,
  summaryTable,
  writeReport,
  type LiveLoadTest,
  type PlanSummary,
  type RetrievalSweep,
} from '../../load-tests/report';
import { comparisonSensitivity } from '../../load-tests/report/comparison-sensitivity';
import { simulateBaseline, simulateTopology } from '../../load-tests/simulator/simulate';
import { simulatePipelineCases } from '../../load-tests/simulator/pipeline-simulation';
import { countNoun } from '../count-noun';
import { formatTable } from '../format-table';
import { noteAwsSdkNodeSupport } from '../aws-sdk-node-notice';
import { EXIT } from '../exit-codes';
import { durationOption } from '../options/duration';
import { rateOption } from '../options/rate';
import { printWarnings } from '../print-warnings';
import { UsageError } from '../options/usage-error';
import { interruptibleRun } from '../stop-requests';
import { addSimulationOptions, documentsPerDayOption, simulationSetup, type SimulationFlags } from './simulate';
import { planRows } from './plan';

interface CompareFlags extends SimulationFlags {
  readonly out?: string;
  readonly live: boolean;
  readonly retrieval: boolean;
  /** Seconds. */
  readonly liveSeconds: number;
  readonly liveRate: number;
}

const STEPS = ['validate', 'plan AWS', 'plan GCP', 'cost', 'simulate', 'right-size', 'retrieval', 'live load test', 'write report'] as const;
type Step = (typeof STEPS)[number];

export function registerCompare(program: Command): void {
  addSimulationOptions(
    program
      .command('compare')
      .description('compare the clouds for a topology: parity, offline plans, cost, simulation, right-sizing and a live load test; writes report.md, report.html and report.json'),
  )
    .addOption(documentsPerDayOption())
    .option('--out <dir>', 'directory for the report (default: reports/<topology>-<env>)')
    .option('--no-live', 'skip the live load test against the local endpoints')
    .option('--no-retrieval', "skip the Retrieval section (the index sweep on the local indexes and the vector search's cost per million queries)")
    .addOption(durationOption('--live-seconds <time>', 'live load per endpoint and client: 3, 3s, 500ms (a bare number is seconds)').default(3, '3s'))
    .addOption(rateOption('--live-rate <rps>', 'requests per second of the live load test').default(50))
    .action(async (flags: CompareFlags) => {
      if (flags.cloud) throw new UsageError(`--cloud: compare shows both clouds side by side; drop --cloud ${flags.cloud} (simulate and recommend take it)`);
      if (flags.live) noteAwsSdkNodeSupport();
      // Number only the steps that run: --no-live and --no-retrieval each drop one.
      const progress = stepProgress(STEPS.filter((step) => (step !== 'live load test' || flags.live) && (step !== 'retrieval' || flags.retrieval)));

      progress.start('validate');
      const { topology, resolved, options, catalog, documentsPerDay } = simulationSetup(flags);
      const source = flags.topology ?? `preset ${resolved.environment}`;
      const warnings = shapeWarnings(resolved, catalog);
      progress.done(
        `${resolved.name}/${resolved.environment}: ${countNoun(resolved.endpoints.length, 'endpoint')}, ${countNoun(resolved.parity.length, 'parity note')}` +
          `${warnings.length > 0 ? `, ${countNoun(warnings.length, 'warning')}` : ''}`,
      );
      printWarnings(warnings);

      progress.start('plan AWS');
      const aws = await planSummary('aws', resolved);
      progress.done(`${aws.resources} CloudFormation resources`);
      progress.start('plan GCP');
      const gcp = await planSummary('gcp', resolved);
      progress.done(`${gcp.resources} Pulumi resources`);

      progress.start('cost');
      const cost = priceTopology(resolved, { catalog });
      const monthly = ({ monthlyUsd, region }: { monthlyUsd: number | null; region: string }) =>
        monthlyUsd === null ? `n/a (no prices for ${region})` : `$${monthlyUsd.toFixed(0)}`;
      progress.done(`AWS ${monthly(cost.clouds.aws)}, GCP ${monthly(cost.clouds.gcp)} a month at minimum replicas`);

      progress.start('simulate');
      const simulation = simulateTopology(resolved, options);
      const prices = { catalog, capacity: options.capacity, baseline: simulateBaseline(resolved, options) };
      const simulatedCost = costOfSimulation(resolved, simulation, prices);
      const sensitivity = comparisonSensitivity({ resolved, options, base: simulation, baseCost: simulatedCost, prices });
      const reruns = (['low', 'high'] as const).filter((c) => sensitivity.runs[c] !== simulation).length;
      // Nothing more is simulated unless an endpoint is at scaling.min 0.
      const pipeline = simulatePipelineCases(resolved, { ...options, seed: simulation.seed, catalog, documentsPerDay }, sensitivity.register);
      const scaleToZero = runScaleToZeroDays(resolved, options, { catalog, capacity: options.capacity }, { hours: flags.hours, spikesPerWeek: flags.spikesPerWeek });
      progress.done(
        `${options.profile.name}, ${simulation.profile.hours} h, both clouds; ` +
          `${reruns === 0 ? 'no unverified assumption with a range: low and high are the base run' : 'low and high cases too'}` +
          `${pipeline ? `; the embedding-refresh pipeline's ${pipeline.base.documents.toLocaleString('en-US')} documents` : ''}` +
          `${scaleToZero ? `; scale to zero on the ${scaleToZero.map((d) => d.profile.name).join(' and ')} days, with and without` : ''}`,
      );

      progress.start('right-size');
      const recommendation = recommend(topology, {
        profile: options.profile,
        seed: options.seed,
        peakRequestsPerSecond: options.peakRequestsPerSecond,
        capacity: options.capacity,
        endpoints: options.endpoints,
        method: options.method,
        catalog,
      });
      progress.done('cheapest shape and bounds holding the SLO, per endpoint and cloud');

      let retrieval: RetrievalSweep | undefined;
      if (flags.retrieval) {
        progress.start('retrieval');
        const store = resolved.vectorStore;
        if (store) {
          retrieval = runRetrievalSweep(store, { ...REPORT_RETRIEVAL_SWEEP, onProgress: (message) => progress.detail(message) });
          progress.done(
            `recall against p99 on the local indexes, ${REPORT_RETRIEVAL_SWEEP.documents.toLocaleString('en-US')} news documents; ` +
              `recommended ${retrieval.engines.map((e) => `${e.engine} ${e.knob} ${e.recommended ?? 'none'}`).join(', ')}`,
          );
        } else {
          progress.done('no vector store in the topology');
        }
      }

      let liveLoadTest: LiveLoadTest | undefined;
      if (flags.live) {
        progress.start('live load test');
        // The SDK's notice about its future Node.js support concerns upgrades, not this run against local endpoints.
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
        const stop = interruptibleRun(() => progress.detail('stopping: the run in progress gets 2 s to answer (Ctrl-C again quits now)'));
        try {
          liveLoadTest = await runLiveLoadTest(resolved, {
            seconds: flags.liveSeconds,
            rate: flags.liveRate,
            endpoints: options.endpoints,
            signal: stop.signal,
            onRun: (run) => progress.detail(`${run.index + 1}/${run.total}: ${run.endpoint} through ${run.cloud === 'aws' ? 'SageMaker' : 'Vertex'} client`),
          });
        } finally {
          stop.dispose();
        }
        if (stop.signal.aborted) {
          // A cut live test would make a report whose measured section is partial: stop here, as loadtest does (exit 130).
          process.stderr.write('compare: interrupted during the live load test; no report written\n');
          process.exitCode = EXIT.interrupted;
          return;
        }
        const ok = liveLoadTest.runs.reduce((s, r) => s + r.counts.ok, 0);
        progress.done(`${liveLoadTest.runs.length} runs, ${ok} requests answered`);
      }

      progress.start('write report');
      const report = buildComparisonReport({
        resolved,
        source,
        warnings,
        plan: { aws, gcp },
        cost,
        simulation,
        profile: options.profile,
        simulatedCost,
        sensitivity,
        recommendation,
        liveLoadTest,
        retrieval,
        scaleToZero,
        pipeline,
        generatedAt: new Date(),
      });
      const directory = flags.out ?? `reports/${resolved.name}-${resolved.environment}`;
      const files = await writeReport(report, directory);
      progress.done(directory);

      const summary = summaryTable(report);
      process.stdout.write(
        `\n${formatTable(summary.header, summary.rows)}\n\n` +
          `Simulated: ${report.provenance.simulated}\nPrice list: ${report.provenance.priceList}\n` +
          `${liveLoadTest ? `Measured locally: ${report.provenance.measuredLocally}\n` : ''}` +
          `\nWrote ${[files.markdown, files.html, files.json].map((f) => relative(process.cwd(), f)).join(', ')}\n`,
      );
    });
}

/** Resource counts of one cloud's offline plan, by CloudFormation type or Pulumi type token. */
async function planSummary(cloud: 'aws' | 'gcp', resolved: ResolvedTopology): Promise<PlanSummary> {
  // Resource counts only: no need to bundle Lambda code.
  const { rows } = await planRows(cloud, resolved, { bundleAssets: false });
  const byKind: Record<string, number> = {};
  for (const row of rows) byKind[row.type] = (byKind[row.type] ?? 0) + 1;
  return { resources: rows.length, byKind };
}

/** Progress on stderr: one line per step with its duration, so stdout carries only the summary. */
function stepProgress(steps: readonly Step[]) {
  let current: { step: Step; startedAt: number } | undefined;
  const write = (text: string) => process.stderr.write(text);
  return {
    start(step: Step) {
      current = { step, startedAt: Date.now() };
      write(`[${steps.indexOf(step) + 1}/${steps.length}] ${step}…\n`);
    },
    detail(text: string) {
      write(`      ${text}\n`);
    },
    done(result: string) {
      if (!current) return;
      write(`      ${result} (${((Date.now() - current.startedAt) / 1000).toFixed(1)} s)\n`);
      current = undefined;
    },
  };
}
