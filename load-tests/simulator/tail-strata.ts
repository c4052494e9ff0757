/**
 * Strata of the unit interval for stratified sampling of a latency distribution, dense in the
 * upper tail: a p99 read from a few dozen weighted points needs many points above 0.99 and few
 * in the bulk. A third of the strata split [0, 0.9) evenly; the rest cover the top 10 % with tail
 * probabilities 1 − u log-spaced down to 1e-4, then 0. Each stratum is sampled at a random point
 * and weighted by its width.
 */
export interface Strata {
  readonly lower: Float64Array;
  readonly width: Float64Array;
}

const TAIL_FROM = 0.1;
const SMALLEST_TAIL = 1e-4;

export function tailDenseStrata(count: number): Strata {
  const bulk = Math.max(1, Math.floor(count / 3));
  const tail = count - bulk;
  const boundaries: number[] = [];
  for (let i = 0; i < bulk; i++) boundaries.push(((1 - TAIL_FROM) * i) / bulk);
  for (let i = 0; i < tail; i++) boundaries.push(1 - TAIL_FROM * Math.pow(SMALLEST_TAIL / TAIL_FROM, i / (tail - 1)));
  boundaries.push(1);
  const lower = new Float64Array(count);
  const width = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    lower[i] = boundaries[i];
    width[i] = boundaries[i + 1] - boundaries[i];
  }
  return { lower, width };
}
