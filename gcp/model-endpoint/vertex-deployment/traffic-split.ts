/**
 * Traffic splits as Vertex takes them: whole percents keyed by deployed-model id, summing to 100,
 * or empty when no model is deployed (Endpoint.traffic_split, endpoint.proto).
 */

/** Traffic split keyed by deployed-model id; in a deployModel request the key "0" is the model being deployed. */
export type TrafficSplit = Readonly<Record<string, number>>;

/**
 * The split `fraction` of the way from `from` to `to`, in whole percents summing to 100
 * (largest remainder), as Vertex requires.
 */
export function interpolateSplit(from: TrafficSplit, to: TrafficSplit, fraction: number): Record<string, number> {
  const ids = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const exact = ids.map((id) => (from[id] ?? 0) * (1 - fraction) + (to[id] ?? 0) * fraction);
  return largestRemainder(ids, exact);
}

/** The same proportions over 100 after some models left; empty when none carries traffic. */
export function renormalise(split: TrafficSplit): Record<string, number> {
  const ids = Object.keys(split).sort();
  const total = ids.reduce((sum, id) => sum + split[id], 0);
  if (total === 0) return {};
  return largestRemainder(
    ids,
    ids.map((id) => (split[id] * 100) / total),
  );
}

/**
 * The `traffic_split` of an undeployModel request for `id` (UndeployModelRequest: a model is
 * undeployed only if it carries no traffic, or the request's split takes its traffic away).
 * Empty (the endpoint's split stays as it is) when `id` carries nothing or is the last model;
 * otherwise the other models' shares scaled to 100, or shared equally when they all had 0.
 */
export function splitWithout(split: TrafficSplit, id: string, deployedIds: readonly string[]): Record<string, number> {
  const rest = deployedIds.filter((d) => d !== id);
  if ((split[id] ?? 0) === 0 || rest.length === 0) return {};
  const scaled = renormalise(Object.fromEntries(rest.map((d) => [d, split[d] ?? 0])));
  if (Object.keys(scaled).length > 0) return scaled;
  return largestRemainder(
    [...rest].sort(),
    rest.map(() => 100 / rest.length),
  );
}

function largestRemainder(ids: readonly string[], exact: readonly number[]): Record<string, number> {
  const floors = exact.map(Math.floor);
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i] += 1;
    missing -= 1;
  }
  return Object.fromEntries(ids.map((id, i) => [id, floors[i]]));
}
