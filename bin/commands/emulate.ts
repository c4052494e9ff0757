import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { parseFraction, parseLatencySpike, parseStall, startEmulator, startLiveAutoscaling, type FaultOptions } from '../../load-tests/emulator';
import { realClock } from '../../load-tests/clock/real-clock';
import { UsageError } from '../run-cli';
import { onStopRequest } from '../stop-requests';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../topology-option';

interface EmulateOptions extends TopologySelection {
  port: string;
  host: string;
  throttleRate?: string;
  errorRate?: string;
  unavailableRate?: string;
  latencySpike?: string;
  stall?: string;
  queueDepth?: string;
  seed: string;
  autoscale?: string | true;
  timeScale: string;
}

export const DEFAULT_EMULATOR_PORT = 8780;

export function registerEmulate(program: Command): void {
  addTopologyOptions(
    program
      .command('emulate')
      .description(
        'serve every endpoint of the topology on this machine, speaking the SageMaker runtime and Vertex prediction protocols on one port, until Ctrl-C, SIGTERM or SIGHUP, or until the process that started it exits',
      ),
  )
    .option('--port <port>', 'port to listen on (0 picks a free one)', String(DEFAULT_EMULATOR_PORT))
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--throttle-rate <fraction>', 'fraction of requests refused as throttled (SageMaker ThrottlingException 400, Vertex 429 RESOURCE_EXHAUSTED)')
    .option('--error-rate <fraction>', 'fraction of requests whose model fails (SageMaker ModelError 424, Vertex 500 INTERNAL)')
    .option('--unavailable-rate <fraction>', 'fraction of requests refused as unavailable (SageMaker ServiceUnavailable 503, Vertex 503 UNAVAILABLE)')
    .option('--latency-spike <p=..,ms=..>', "occasional slow requests, e.g. 'p=0.01,ms=800': 1 % of requests take 800 ms longer")
    .option('--stall <every=..,for=..[,replicas=..]>', "replicas that stop answering, e.g. 'every=5s,for=1s,replicas=1' (replicas: a count per variant, or all)")
    .option('--queue-depth <n>', "requests each replica queues beyond its concurrency before refusing (default: the assumption register's replica.queue-limit, as the simulator)")
    .option('--seed <n>', 'seed of service times, faults and variant picks', '1')
    .option('--autoscale [cloud]', "scale the replica pools live with a cloud's autoscaling policy: aws (SageMaker target tracking) or gcp (Vertex); default aws")
    .option('--time-scale <n>', "with --autoscale: the cloud's seconds per real second, so a scale-out that takes minutes shows in seconds", '1')
    .action(async (options: EmulateOptions) => {
      const resolved = resolveTopology(selectTopology(options));
      const port = wholeNumber('--port', options.port, 0, 65_535);
      const seed = wholeNumber('--seed', options.seed, 0, 2 ** 31);
      const queueDepth = options.queueDepth === undefined ? undefined : wholeNumber('--queue-depth', options.queueDepth, 0, 1_000_000);
      const autoscale = options.autoscale === undefined ? undefined : options.autoscale === true ? 'aws' : options.autoscale;
      if (autoscale !== undefined && autoscale !== 'aws' && autoscale !== 'gcp') throw new UsageError(`--autoscale: expected aws or gcp, got "${autoscale}"`);
      const timeScale = Number(options.timeScale);
      if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new UsageError(`--time-scale: expected a number > 0, got "${options.timeScale}"`);
      if (timeScale !== 1 && !autoscale) throw new UsageError('--time-scale: only meaningful with --autoscale');
      const clock = realClock;
      const emulator = await startEmulator(resolved, { port, host: options.host, seed, clock, queueDepthPerReplica: queueDepth, faults: parseFaults(options) }).catch(
        (e: NodeJS.ErrnoException) => {
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

function parseFaults(options: EmulateOptions): Partial<FaultOptions> {
  try {
    return {
      ...(options.throttleRate !== undefined ? { throttleRate: parseFraction('--throttle-rate', options.throttleRate) } : {}),
      ...(options.errorRate !== undefined ? { errorRate: parseFraction('--error-rate', options.errorRate) } : {}),
      ...(options.unavailableRate !== undefined ? { unavailableRate: parseFraction('--unavailable-rate', options.unavailableRate) } : {}),
      ...(options.latencySpike !== undefined ? { latencySpike: parseLatencySpike(options.latencySpike) } : {}),
      ...(options.stall !== undefined ? { stall: parseStall(options.stall) } : {}),
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}
