/**
 * `serving-stacks recommend`: per endpoint and cloud, the cheapest catalog shape and replica
 * bounds that hold the endpoint's SLO through a traffic profile, found with the simulator.
 */
import type { Command } from 'commander';
import { recommend, type EvaluatedCandidate, type Recommendation } from '../../load-tests/recommend/recommend';
import { formatTable } from '../format-table';
import { numberOption } from '../options/number';
import { addSimulationOptions, simulationSetup, type SimulationFlags } from './simulate';

interface RecommendFlags extends SimulationFlags {
  readonly json?: boolean;
  readonly allowedViolationMinutes: number;
}

export function registerRecommend(program: Command): void {
  addSimulationOptions(
    program
      .command('recommend')
      .description('the cheapest shape and min/max replicas per endpoint and cloud that hold the SLO through a traffic profile (simulated)'),
  )
    .addOption(numberOption('--allowed-violation-minutes <minutes>', 'SLO-violating minutes a candidate may have over the profile', { integer: true, min: 0 }).default(0))
    .option('--json', 'print the recommendation as JSON')
    .action((flags: RecommendFlags) => {
      const { topology, options, catalog } = simulationSetup(flags);
      const result = recommend(topology, { ...options, allowedViolationMinutes: flags.allowedViolationMinutes, catalog });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRecommendation(result)}\n`);
    });
}

export function formatRecommendation(r: Recommendation): string {
  const out = [
    `Right-sizing ${r.topology.name}/${r.topology.environment} for ${r.profile.name} (${r.profile.hours} h, seed ${r.seed}): the cheapest shape and replica bounds with at most ${r.allowedViolationMinutes} SLO-violating minutes.`,
    'Simulated, open-loop, with the same arrivals for every candidate; costs are the billed replica time of the simulated run at catalog prices.',
  ];
  const rows: string[][] = [];
  for (const cloud of ['aws', 'gcp'] as const) {
    for (const e of Object.values(r.clouds[cloud] ?? {})) {
      const pick = e.recommended ?? e.closest;
      rows.push([
        cloud,
        e.endpoint,
        `${e.peakRequestsPerSecond.toFixed(0)}`,
        `p99 ≤ ${e.slo.p99Ms} ms`,
        describe(e.current, r.profile.hours),
        e.recommended ? describe(e.recommended, r.profile.hours) : `none holds; closest: ${pick ? describe(pick, r.profile.hours) : '-'}`,
        e.recommended && e.current.costUsd !== null && e.recommended.costUsd !== null ? signedUsd(e.recommended.costUsd - e.current.costUsd) : '-',
        `${e.evaluated.length}`,
      ]);
    }
  }
  out.push('', formatTable(['cloud', 'endpoint', 'peak req/s', 'SLO', 'as written', 'recommended', `cost change per ${r.profile.hours} h`, 'runs'], rows));
  return out.join('\n');
}

/** A candidate; its cost is the billed replica time of the simulated `hours`, so it says per how long. */
function describe(c: EvaluatedCandidate, hours: number): string {
  const cost = c.costUsd === null ? 'unpriced' : `$${c.costUsd.toFixed(2)} per ${hours} h`;
  return `${c.instanceType} ${c.min}–${c.max}: ${c.sloViolationMinutes} SLO min, p99 ${c.p99Ms?.toFixed(0) ?? '-'} ms, ${cost}`;
}

function signedUsd(value: number): string {
  return `${value < 0 ? '−' : '+'}$${Math.abs(value).toFixed(2)}`;
}
