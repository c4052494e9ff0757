import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { localServices, startEmulator, startLiveAutoscaling, type FaultOptions } from '../../load-tests/emulator';
import { realClock } from '../../load-tests/clock/real-clock';
import { choiceOption } from '../options/choice';
import { durationOption } from '../options/duration';
import { latencySpikeOption, stallOption } from '../options/fault-options';
import { fractionOption } from '../options/fraction';
import { numberOption, POSITIVE } from '../options/number';
import { seedOption } from '../options/seed';
import { UsageError } from '../options/usage-error';
import { onStopRequest } from '../stop-requests';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';

interface EmulateOptions extends TopologySelection, Partial<FaultOptions> {
  port: number;
  host: string;
  queueDepth?: number;
  seed: number;
  autoscale?: 'aws' | 'gcp';
  timeScale: number;
  dataDir?: string;
  searchableAfter?: number;
}

export const DEFAULT_EMULATOR_PORT = 8780;

export function registerEmulate(program: Command): void {
  addTopologyOptions(
    program
      .command('emulate')
      .description(
        'serve every endpoint of the topology on this machine, speaking the SageMaker runtime and Vertex prediction protocols on one port (and SQS and Pub/Sub for its queues), until Ctrl-C, SIGTERM or SIGHUP, or until the process that started it exits',
      ),
  )
    .addOption(numberOption('--port <port>', 'port to listen on (0 picks a free one)', { integer: true, min: 0, max: 65_535 }).default(DEFAULT_EMULATOR_PORT))
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .addOption(fractionOption('--throttle-rate <fraction>', 'fraction of requests refused as throttled (SageMaker ThrottlingException 400, Vertex 429 RESOURCE_EXHAUSTED)'))
    .addOption(fractionOption('--error-rate <fraction>', 'fraction of requests whose model fails (SageMaker ModelError 424, Vertex 500 INTERNAL)'))
    .addOption(fractionOption('--unavailable-rate <fraction>', 'fraction of requests refused as unavailable (SageMaker ServiceUnavailable 503, Vertex 503 UNAVAILABLE)'))
    .addOption(latencySpikeOption('--latency-spike <p=..,ms=..>', "occasional slow requests, e.g. 'p=0.01,ms=800': 1 % of requests take 800 ms longer"))
    .addOption(stallOption('--stall <every=..,for=..[,replicas=..]>', "replicas that stop answering, e.g. 'every=5s,for=1s,replicas=1' (replicas: a count per variant, or all)"))
    .addOption(numberOption('--queue-depth <n>', "requests each replica queues beyond its concurrency before refusing (default: the assumption register's replica.queue-limit, as the simulator)", { integer: true, min: 0, max: 1_000_000 }))
    .addOption(seedOption('seed of service times, faults and variant picks', 1))
    .addOption(choiceOption('--autoscale [cloud]', "scale the replica pools live with a cloud's autoscaling policy: aws (SageMaker target tracking) or gcp (Vertex); default aws", ['aws', 'gcp'] as const).preset('aws'))
    .option('--data-dir <dir>', 'keep what the local vector store and queues hold in this directory, so nothing is lost on restart (default: in memory only)')
    .addOption(durationOption('--searchable-after <time>', 'delay before a change to the local vector store is seen by search, as in the cloud (default: the store\'s own, 1s for OpenSearch)', { allowZero: true }))
    .addOption(numberOption('--time-scale <n>', "with --autoscale: the cloud's seconds per real second, so a scale-out that takes minutes shows in seconds", POSITIVE).default(1))
    .action(async (options: EmulateOptions) => {
      const resolved = resolveTopology(selectTopology(options));
      const { port, seed, queueDepth, autoscale, timeScale } = options;
      if (timeScale !== 1 && !autoscale) throw new UsageError('--time-scale: only meaningful with --autoscale');
      const clock = realClock;
      // Only the faults asked for: an absent flag keeps the emulator's default (none).
      const { throttleRate, errorRate, unavailableRate, latencySpike, stall } = options;
      const faults = Object.fromEntries(
        Object.entries({ throttleRate, errorRate, unavailableRate, latencySpike, stall }).filter(([, value]) => value !== undefined),
      ) as Partial<FaultOptions>;
      const services = await localServices(resolved, { dataDir: options.dataDir, clock, visibilityDelayMs: options.searchableAfter === undefined ? undefined : options.searchableAfter * 1000 });
      const emulator = await startEmulator(resolved, { port, host: options.host, seed, clock, queueDepthPerReplica: queueDepth, faults, services }).catch(
        async (e: NodeJS.ErrnoException) => {
          // Services run already (a database on its own port): stop them, or the process never ends.
          for (const service of services) await service.close?.();
          if (e.code === 'EADDRINUSE') throw new UsageError(`--port: ${options.host}:${port} is in use; pick another port or --port 0`);
          throw e;
        },
      );
      // Listening before the banner, so a stop request that follows it is never missed.
      let live: ReturnType<typeof startLiveAutoscaling> | undefined;
      const stopped = new Promise<void>((resolve) => {
        onStopRequest((reason) => {
          live?.stop();
          void emulator.close().then(() => {
            process.stdout.write(reason === 'SIGINT' ? 'stopped\n' : `stopped (${reason})\n`);
            resolve();
          });
        });
      });
      const lines = [`Local endpoints of ${resolved.name}/${resolved.environment} at ${emulator.url} (Ctrl-C stops)`, ''];
      for (const e of emulator.endpoints) {
        const routes = emulator.routes(e);
        const v = e.variants[0].resolved.performance;
        lines.push(
          `${e.name}: ${e.model.kind}, ${e.resolved.scaling.min} replica(s) × ${v.concurrencyPerReplica} concurrent per variant, ~${v.serviceTimeMs} ms; variants ${e.variants.map((x) => `${x.name} ${x.weight} %`).join(', ')}`,
          `  SageMaker  POST ${routes.sagemaker}`,
          `  Vertex     POST ${routes.vertex}`,
        );
      }
      for (const service of emulator.services) lines.push(...service.banner(emulator.url));
      lines.push('', `Pool metrics: GET ${emulator.url}/emulator`, '');
      if (autoscale) {
        lines.push(`Autoscaling with ${autoscale === 'aws' ? 'SageMaker target tracking' : 'the Vertex autoscaler'} at ${timeScale}× the cloud's pace`, '');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      live = autoscale
        ? startLiveAutoscaling(emulator.endpoints, {
          cloud: autoscale,
          timeScale,
          clock,
          onEvent: (e) =>
            process.stdout.write(`[${autoscale} +${e.at.toFixed(0)} s] ${e.endpoint}/${e.variant} ${e.kind} ${e.from} → ${e.to}: ${e.reason}\n`),
        })
        : undefined;
      await stopped;
    });
}
