/** The human summary of a result: a pure function of it, printed by the CLI. */
import type { LatencyPercentiles, LoadTestResult } from '../result-format';

export function formatTextReport(result: LoadTestResult): string {
  const c = result.counts;
  const lines: string[] = [];
  const t = result.target;
  lines.push(`Load test: ${t.kind} ${t.endpoint}${t.url ? ` at ${t.url}` : ''} via ${t.client}`);
  lines.push(
    `Schedule:  ${result.schedule.profile}, ${result.schedule.arrivals} arrivals, peak ${result.schedule.peakRate} req/s over ${result.schedule.durationSeconds} s` +
      `${result.schedule.maxRequests ? `, at most ${result.schedule.maxRequests} requests` : ''} (open model)`,
  );
  lines.push(`Rate:      requested ${result.requestedRate} req/s, achieved ${result.achievedRate} req/s over ${result.elapsedSeconds} s${result.interrupted ? ' (interrupted)' : ''}`);
  lines.push('');
  lines.push('Latency (ms)     p50      p90      p95      p99     p99.9      max');
  lines.push(latencyRow('corrected', result.latencyMs.corrected));
  lines.push(latencyRow('uncorrected', result.latencyMs.uncorrected));
  for (const [name, stage] of Object.entries(result.stages ?? {})) lines.push(latencyRow(`  ${name}`, stage.latencyMs));
  if (result.recall) {
    const r = result.recall;
    lines.push(`Recall@k:  ${r.atK.toFixed(4)} (${r.found} of ${r.expected} ground-truth neighbours found over ${r.queries} queries)`);
  }
  if (result.pipeline) {
    const p = result.pipeline;
    lines.push(`Pipeline:  ${p.deadLetters} dead letters during the run in ${p.deadLetterQueue} (${p.deadLettersAtStart} before it); ${p.documents} documents, freshness = latency`);
  }
  lines.push('');
  lines.push(`Requests:  ${c.scheduled} scheduled, ${c.sent} sent, ${c.ok} ok`);
  const errors: [string, number][] = [
    ['throttled', c.throttled],
    ['model error', c.modelError],
    ['other 4xx', c.other4xx],
    ['5xx', c.server5xx],
    ['timeout', c.timeout],
    ['client', c.client],
    ['cancelled', c.cancelled],
  ];
  const failed = errors.filter(([, n]) => n > 0);
  lines.push(`Errors:    ${failed.length ? failed.map(([k, n]) => `${n} ${k}`).join(', ') : 'none'}`);
  if (Object.keys(result.errorNames).length) {
    lines.push(`           by name: ${Object.entries(result.errorNames).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  lines.push(`Starts:    ${c.late} late (waited for the concurrency cap), ${c.dropped} dropped${c.retries ? `, ${c.retries} retries` : ''}`);
  if (Object.keys(result.variants).length) {
    lines.push(`Variants:  ${Object.entries(result.variants).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  const h = result.health;
  lines.push(
    `Generator: ${h.workers} worker${h.workers > 1 ? 's' : ''}, ${h.cpuCores} cores busy, scheduler lag p99 ${h.schedulerLagMs.p99} ms (max ${h.schedulerLagMs.max}), event-loop delay p99 ${h.eventLoopDelayMs.p99} ms`,
  );
  if (!result.valid) {
    lines.push('');
    lines.push('!!! INVALID RUN: the generator, not the target, was the bottleneck; these latencies are not the endpoint\'s.');
    for (const why of result.invalidReasons) lines.push(`!!!   ${why}`);
  }
  if (result.thresholds.length) {
    lines.push('');
    lines.push('Thresholds:');
    for (const th of result.thresholds) {
      const why = th.isDefault ? ", the default error budget: --threshold 'errors<=N%' sets another" : '';
      lines.push(`  ${th.pass ? 'PASS' : 'FAIL'}  ${th.expression}  (actual ${th.actual}${why})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function latencyRow(label: string, p: LatencyPercentiles): string {
  const cell = (x: number) => x.toFixed(1).padStart(8);
  return `${label.padEnd(12)}${cell(p.p50)} ${cell(p.p90)} ${cell(p.p95)} ${cell(p.p99)} ${cell(p.p999)}  ${cell(p.max)}`;
}
