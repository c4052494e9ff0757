/** The per-task part of a fleet run's report: one line per task, what it sent and how it fared. */
import type { FleetRun } from './run-fleet';

export function formatFleetHealth(run: FleetRun, launcher: string, storeLocation: string): string {
  const rows = run.tasks.map((t) => {
    const r = t.result;
    return [
      `task ${t.task + 1}`,
      t.state,
      r ? String(r.counts.scheduled) : '-',
      r ? String(r.counts.ok) : '-',
      r ? `${r.latencyMs.corrected.p99}` : '-',
      r ? `${r.health.schedulerLagMs.p99}` : '-',
      t.detail ?? '',
    ];
  });
  const header = ['', 'state', 'scheduled', 'ok', 'p99 ms', 'lag p99 ms', 'why'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (c === 6 ? 0 : row[c].length))));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 6 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const healthy = run.tasks.filter((t) => t.state === 'ok').length;
  return [
    '',
    `Fleet: ${run.tasks.length} tasks as ${launcher}, ${healthy} healthy; results in ${storeLocation}`,
    line(header),
    ...rows.map(line),
    run.merged ? '' : `\nNo task reported a result: nothing to merge. The run is invalid.`,
    '',
  ].join('\n');
}
