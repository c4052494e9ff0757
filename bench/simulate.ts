/**
 * `npm run bench:simulate`: a 24-hour breaking-news day peaking at 20,000 requests/s per endpoint,
 * three endpoints, both clouds, timed on one core. Goal (issue #5): under 2 seconds. Prints the
 * wall time, simulated requests and steps per second, and the scale of the day it simulated.
 *
 * The topology is the prod preset with its endpoints sized to carry that peak (bigger shapes,
 * up to 100 replicas), so the day exercises scale-out rather than a saturated fleet.
 */
import { parseTopology, presetInput, resolveTopology, type TopologyInput } from '../constructs';
import { simulateTopology } from '../load-tests/simulator/simulate';
import { builtinSchedule } from '../load-tests/traffic/builtin-profiles';
import { scheduleMinutes } from '../load-tests/traffic/traffic-schedule';

const PEAK_RPS = 20_000;
const GOAL_SECONDS = 2;

function benchTopology(): TopologyInput {
  const prod = presetInput('prod');
  const sized: Record<string, { compute: object; target: number; maxRps: number }> = {
    ranker: { compute: { cpus: 16, memoryGiB: 64 }, target: 14_400, maxRps: 480 },
    embedder: { compute: { accelerator: { type: 'l4', count: 4 } }, target: 16, maxRps: 640 },
    reranker: { compute: { accelerator: { type: 'l4', count: 4 } }, target: 16, maxRps: 320 },
  };
  return {
    ...prod,
    name: 'newsbench',
    endpoints: prod.endpoints.map((e) => {
      const s = sized[e.name];
      return {
        ...e,
        compute: s.compute,
        scaling: { ...e.scaling, max: 100, target: { metric: e.scaling?.target?.metric ?? 'invocations', value: s.target }, maxRequestsPerSecondPerReplica: s.maxRps },
      };
    }),
  };
}

const topology = resolveTopology(parseTopology(benchTopology(), 'bench topology'));
const profile = builtinSchedule('breaking-news', { hours: 24 });
// One warm-up hour so the timed run measures steady-state code, not module loading and JIT warm-up.
simulateTopology(topology, { profile: builtinSchedule('breaking-news', { hours: 1 }), peakRequestsPerSecond: PEAK_RPS });

const started = process.hrtime.bigint();
const result = simulateTopology(topology, { profile, peakRequestsPerSecond: PEAK_RPS, seed: 42 });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

let requests = 0;
let pools = 0;
let steps = 0;
for (const cloud of Object.values(result.clouds)) {
  for (const endpoint of Object.values(cloud?.endpoints ?? {})) {
    requests += endpoint.arrivals;
    pools += endpoint.variants.length;
    // One engine step per tick, plus the splits at policy evaluations.
    steps += endpoint.variants.length * scheduleMinutes(profile) * 60;
  }
}
const methods = [...new Set(Object.values(result.clouds).flatMap((c) => Object.values(c?.endpoints ?? {}).flatMap((e) => e.variants.map((v) => v.method))))];
const lines = [
  `simulate bench: ${profile.name}, ${scheduleMinutes(profile) / 60} h, peak ${PEAK_RPS.toLocaleString('en-US')} req/s per endpoint, ${Object.keys(result.clouds).length} clouds × ${topology.endpoints.length} endpoints (${pools} variant pools), method ${methods.join('+')}`,
  `wall time            ${seconds.toFixed(3)} s (goal < ${GOAL_SECONDS} s on one core)`,
  `simulated requests   ${(requests / 1e9).toFixed(2)} billion → ${(requests / seconds / 1e6).toFixed(0)} million requests/s of wall time`,
  `engine steps         ${(steps / 1e6).toFixed(2)} million → ${(steps / seconds / 1e6).toFixed(2)} million steps/s`,
];
for (const cloud of ['aws', 'gcp'] as const) {
  const c = result.clouds[cloud];
  if (!c) continue;
  lines.push(`${cloud}: replica-hours ${c.totals.replicaHours.toFixed(0)}, ${c.rejectedAs} ${c.totals.droppedRequests.toLocaleString('en-US')}, SLO-violating minutes ${c.totals.sloViolationMinutes}`);
}
lines.push(seconds < GOAL_SECONDS ? 'PASS' : `SLOWER THAN GOAL (${(seconds / GOAL_SECONDS).toFixed(2)}× the budget)`);
process.stdout.write(`${lines.join('\n')}\n`);
