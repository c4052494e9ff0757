/**
 * The comparison report built in process from a one-hour simulation of one endpoint, with the parts
 * `serving-stacks compare` assembles (no offline plans, no live load test), for report tests. A
 * topology with an endpoint at min 0 gets the scale-to-zero days as compare runs them, at 24 h; one
 * with a pipeline gets its simulated day over the same hour.
 */
import { resolveTopology, shapeWarnings, type Topology } from '../../constructs';
import { ASSUMPTIONS, type Assumption } from '../../constructs/assumptions';
import { costOfSimulation } from '../../load-tests/cost/simulated-cost';
import { priceTopology } from '../../load-tests/cost/topology-cost';
import { buildComparisonReport, comparisonSensitivity, runScaleToZeroDays, type ComparisonInputs, type ComparisonReport } from '../../load-tests/report';
import { simulatePipelineCases } from '../../load-tests/simulator/pipeline-simulation';
import { simulateTopology } from '../../load-tests/simulator/simulate';
import { selectProfile } from '../../load-tests/traffic/select-profile';

export function offlineComparison(
  topology: Topology,
  profileName = 'breaking-news',
  register: readonly Assumption[] = ASSUMPTIONS,
  { endpoints = ['ranker'], ...extra }: Pick<ComparisonInputs, 'retrieval'> & { readonly endpoints?: readonly string[] } = {},
): ComparisonReport {
  const resolved = resolveTopology(topology);
  const profile = selectProfile(profileName, { hours: 1 });
  const options = { profile, seed: 1, endpoints };
  const simulation = simulateTopology(resolved, options);
  const simulatedCost = costOfSimulation(resolved, simulation);
  return buildComparisonReport({
    resolved,
    source: 'test',
    warnings: shapeWarnings(resolved),
    plan: { aws: { resources: 0, byKind: {} }, gcp: { resources: 0, byKind: {} } },
    cost: priceTopology(resolved),
    simulation,
    profile,
    simulatedCost,
    sensitivity: comparisonSensitivity({ resolved, options, base: simulation, baseCost: simulatedCost, prices: {}, register }),
    recommendation: { topology: { name: resolved.name, environment: resolved.environment }, profile: { name: profile.name, hours: 1 }, seed: 1, allowedViolationMinutes: 0, clouds: {} },
    scaleToZero: runScaleToZeroDays(resolved, options, {}),
    pipeline: simulatePipelineCases(resolved, { profile, seed: 1 }, register),
    generatedAt: new Date(0),
    ...extra,
  });
}
