/**
 * The report's live check: every endpoint of the topology served by the local endpoints, loaded
 * open-loop through the real SageMaker and Vertex clients, one run at a time so no run's
 * generator competes with another's.
 */
import type { Cloud, ResolvedTopology } from '../../constructs';
import { startEmulator } from '../emulator';
import { planLoadTest, runLoadTest } from '../generator';
import type { LiveLoadTest, LiveRun } from './comparison-report';

export interface LiveLoadTestOptions {
  /** Seconds per endpoint and client. */
  readonly seconds: number;
  /** Requests per second per run. */
  readonly rate: number;
  /** Only these endpoints. @default every endpoint of the topology */
  readonly endpoints?: readonly string[];
  readonly signal?: AbortSignal;
  /** Called before each run starts. */
  readonly onRun?: (run: { readonly index: number; readonly total: number; readonly cloud: Cloud; readonly endpoint: string }) => void;
}

const CLIENTS: readonly { readonly cloud: Cloud; readonly target: 'sagemaker' | 'vertex'; readonly client: string }[] = [
  { cloud: 'aws', target: 'sagemaker', client: '@aws-sdk/client-sagemaker-runtime' },
  { cloud: 'gcp', target: 'vertex', client: '@google-cloud/aiplatform' },
];

export async function runLiveLoadTest(resolved: ResolvedTopology, options: LiveLoadTestOptions): Promise<LiveLoadTest> {
  const emulator = await startEmulator(resolved);
  const runs: LiveRun[] = [];
  const endpoints = resolved.endpoints.filter((e) => !options.endpoints || options.endpoints.includes(e.name));
  const total = endpoints.length * CLIENTS.length;
  try {
    for (const endpoint of endpoints) {
      for (const { cloud, target, client } of CLIENTS) {
        if (options.signal?.aborted) break;
        options.onRun?.({ index: runs.length, total, cloud, endpoint: endpoint.name });
        const { plan, errors } = planLoadTest(
          { target, endpoint: endpoint.name, endpointUrl: emulator.url, rate: options.rate, duration: options.seconds },
          resolved,
        );
        if (!plan) throw new Error(`live load test of ${endpoint.name} through ${client}: ${errors.join('; ')}`);
        const result = await runLoadTest({ ...plan.options, signal: options.signal });
        runs.push({
          cloud,
          client,
          endpoint: endpoint.name,
          requestedRate: result.requestedRate,
          achievedRate: result.achievedRate,
          valid: result.valid,
          invalidReasons: result.invalidReasons,
          counts: result.counts,
          latencyMs: result.latencyMs,
        });
      }
    }
  } finally {
    await emulator.close();
  }
  return { emulatorUrl: emulator.url, durationSeconds: options.seconds, runs };
}
