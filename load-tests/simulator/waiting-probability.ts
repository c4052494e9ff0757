/**
 * Stationary waiting in an M/G/c queue, for the fluid engine's ticks without a backlog:
 * P(wait > 0) by Erlang C (exact Erlang-B recursion up to EXACT_ERLANG_MAX_SERVERS servers, the
 * Halfin–Whitt approximation above), and the wait given waiting as exponential with rate
 * (cμ − λ) · 2 / (1 + c_s²) (M/M/c scaled by the Allen–Cunneen factor (c_a² + c_s²) / 2, c_a² = 1
 * for Poisson arrivals). Standard results; see e.g. Gross & Harris, "Fundamentals of Queueing
 * Theory", and Halfin & Whitt, Operations Research 29(3), 1981.
 */

export const EXACT_ERLANG_MAX_SERVERS = 100;

/** P(an arrival waits) for `servers` servers at offered load `load` = λ/μ (Erlangs); 1 when load ≥ servers. */
export function erlangC(servers: number, load: number): number {
  if (servers <= 0 || load >= servers) return 1;
  if (load <= 0) return 0;
  if (servers <= EXACT_ERLANG_MAX_SERVERS) {
    let erlangB = 1;
    for (let k = 1; k <= servers; k++) erlangB = (load * erlangB) / (k + load * erlangB);
    return (servers * erlangB) / (servers - load * (1 - erlangB));
  }
  const beta = (1 - load / servers) * Math.sqrt(servers);
  return 1 / (1 + (beta * normalCdf(beta)) / normalPdf(beta));
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Φ(x) through erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
