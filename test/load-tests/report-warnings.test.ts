/**
 * The comparison report opens with the round-up warnings: report.json's warnings[], then the first
 * section of report.md and report.html. Built in process from a one-hour simulation of one endpoint
 * (`serving-stacks compare` assembles the same parts and prints the same lines on stderr).
 */
import { describe, expect, it } from 'vitest';
import { loadTopologyFile, preset, resolveTopology, shapeWarnings } from '../../constructs';
import { htmlReport, markdownReport, reportTables } from '../../load-tests/report';
import { offlineComparison } from './offline-comparison';

describe('round-up warnings in the comparison report', () => {
  const topology = loadTopologyFile('test/fixtures/conformance/gpu-round-up.yaml');
  const report = offlineComparison(topology);
  const expected = shapeWarnings(resolveTopology(topology));

  it('keeps them in report.json as warnings[]', () => {
    expect(expected).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(report)).warnings).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('shows them as the first section of report.md and report.html, one row per field', () => {
    expect(reportTables(report)[0]).toMatchObject({ id: 'warnings', rows: expected.map((w) => [w.path, w.message]) });
    const markdown = markdownReport(report);
    expect(markdown.match(/^## .*/m)?.[0]).toBe('## Warnings');
    for (const w of expected) expect(markdown).toContain(`| ${w.path} | ${w.message} |`);
    const html = htmlReport(report, []);
    expect(html.indexOf('<section id="warnings">')).toBeGreaterThan(-1);
    expect(html.indexOf('<section id="warnings">')).toBeLessThan(html.indexOf('<section id="summary">'));
  });

  it('has no warnings section when every request fits', () => {
    const plain = offlineComparison(preset('dev'));
    expect(plain.warnings).toEqual([]);
    expect(reportTables(plain).map((t) => t.id)).not.toContain('warnings');
  });
});
