/**
 * `serving-stacks compare` end to end, as `npm start` runs it (here on one endpoint and a 1-hour
 * profile to stay quick): exit code, progress, the summary, the three files and their contract,
 * and report.html rendered by headless Chromium with its charts and no console errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReport, markdownReport, reportTables, type ComparisonReport } from '../../load-tests/report';
import { CHROMIUM_INSTALL_TIMEOUT_MS, ensureChromium } from '../support/chromium';


const out = mkdtempSync(join(tmpdir(), 'serving-stacks-compare-'));
let run: { status: number | null; stdout: string; stderr: string };
let report: ComparisonReport;

beforeAll(() => {
  const result = spawnSync(
    process.execPath,
    ['bin/serving-stacks.js', 'compare', '--env', 'dev', '--endpoint', 'ranker', '--hours', '1', '--live-seconds', '1', '--live-rate', '20', '--out', out],
    { encoding: 'utf8', timeout: 90_000, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
  );
  run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  if (run.status === 0) report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ComparisonReport;
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('serving-stacks compare', () => {
  it('exits 0, shows each step on stderr and the summary on stdout', () => {
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(0);
    for (const step of ['[1/9] validate', '[2/9] plan AWS', '[3/9] plan GCP', '[5/9] simulate', '[7/9] retrieval', '[8/9] live load test', '[9/9] write report']) {
      expect(run.stderr).toContain(step);
    }
    expect(run.stdout).toMatch(/monthly cost at minimum replicas\s+\$[\d,]+\.\d\d\s+\$[\d,]+\.\d\d/);
    expect(run.stdout).toContain('Simulated: ');
    expect(run.stdout).toContain('Price list: ');
    expect(run.stdout).toContain('Measured locally: ');
  });

  it('writes report.md, report.html and report.json', () => {
    for (const file of ['report.md', 'report.html', 'report.json']) expect(existsSync(join(out, file)), file).toBe(true);
  });

  it('keeps the report.json contract: per cloud cost, cost per million inferences, cost lines, simulation totals and recommendation', () => {
    expect(report.formatVersion).toBe(2);
    expect(report.verdict.summary.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8').split('\n')[2]).toBe(`**Verdict.** ${report.verdict.summary}`);
    expect(Object.keys(report.sensitivity.aws)).toEqual(['low', 'base', 'high']);
    expect(report.spike?.gcp.ranker).toMatchObject({ refusedShare: expect.any(Number), goodputShare: expect.any(Number), replicaMinutes: expect.any(Number) });
    expect(report.topology).toMatchObject({ name: 'news', environment: 'dev', source: 'preset dev' });
    for (const cloud of ['aws', 'gcp'] as const) {
      const c = report.clouds[cloud];
      expect(c.monthlyCostUsd).toBeGreaterThan(0);
      expect(c.costPerMillionInferencesUsd).toBeGreaterThan(0);
      expect(c.costLines.length).toBeGreaterThan(5);
      for (const line of c.costLines) expect(line.price.source.length, line.item).toBeGreaterThan(0);
      const ranker = c.simulation.endpoints.ranker;
      expect(ranker.series).toHaveLength(60);
      expect(ranker).toMatchObject({ sloP99Ms: 100, droppedRequests: expect.any(Number), sloViolationMinutes: expect.any(Number) });
      expect(ranker.p99Ms).toBeGreaterThan(0);
      expect(ranker.replicaHours).toBeGreaterThanOrEqual(1);
      expect(c.recommendation.ranker.current.instanceType).toBe(cloud === 'aws' ? 'ml.m5.xlarge' : 'e2-standard-4');
      expect(report.plan[cloud].resources).toBeGreaterThan(30);
    }
    expect(report.retrieval?.engines.map((e) => e.engine)).toEqual(['opensearch', 'vertex']);
    expect(report.retrieval?.corpus.documents).toBe(2000);
    expect(report.retrieval?.costPerMillionQueries.aws?.usdPerMillionQueries).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Retrieval: vector search cost per million queries');
    expect(report.plan.aws.byKind['AWS::SageMaker::Endpoint']).toBe(3);
    expect(report.plan.gcp.byKind['gcp:vertex/aiEndpoint:AiEndpoint']).toBe(3);
  });

  it('measured the local endpoints through both real clients', () => {
    const runs = report.liveLoadTest?.runs ?? [];
    expect(runs.map((r) => [r.client, r.endpoint])).toEqual([
      ['@aws-sdk/client-sagemaker-runtime', 'ranker'],
      ['@google-cloud/aiplatform', 'ranker'],
    ]);
    for (const r of runs) {
      expect(r.counts.ok).toBeGreaterThan(0);
      expect(r.counts.ok).toBe(r.counts.sent);
      expect(r.latencyMs.corrected.p99).toBeGreaterThan(0);
    }
  });

  it('says which numbers are simulated, measured locally or from a price list', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toBe(markdownReport(report));
    for (const label of ['*simulated*', '*measured locally*', '*price list*', '*offline plan*']) expect(md).toContain(label);
    expect(md).toContain('## Where the clouds differ for this topology');
  });

  it('names endpoints in the parity table (report.json keeps the spec path) and gives right-sizing costs their period', () => {
    expect(report.parity).toContainEqual(expect.objectContaining({ path: 'endpoints[1].scaling.target', endpoint: 'embedder' }));
    const tables = reportTables(report);
    const parity = tables.find((t) => t.id === 'parity');
    expect(parity?.rows.map((r) => r[0])).toContain('endpoints[embedder].scaling.target');
    for (const row of parity?.rows ?? []) expect(row[0]).not.toMatch(/endpoints\[\d+\]/);
    const recommendation = tables.find((t) => t.id === 'recommendation');
    for (const row of recommendation?.rows ?? []) expect(row[2]).toMatch(/\$[\d,]+\.\d\d per 1 h$/);
  });

  it('writes a self-contained page: no script, nothing fetched from the network', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html.match(/<figure id="chart-/g)).toHaveLength(6);
    // The page is a pure function of the report and its charts: the tables match a fresh rendering.
    const withoutCharts = (page: string) => page.replace(/<figure[\s\S]*?<\/figure>/g, '').replace(/\n+/g, '\n');
    expect(withoutCharts(html)).toBe(withoutCharts(htmlReport(report, [])));
  });
});

describe('report.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: ensureChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, CHROMIUM_INSTALL_TIMEOUT_MS);

  afterAll(async () => browser?.close());

  it('renders every chart with its marks and logs no console errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${join(out, 'report.html')}`);
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.id,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg?.querySelectorAll('g.mark-line path, g.mark-rect path, g.mark-symbol path, g.mark-rule line').length ?? 0,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['chart-cost', 'chart-replicas', 'chart-p99', 'chart-latency-distribution', 'chart-retrieval', 'chart-live-latency']);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(200);
      expect(c.height, c.id).toBeGreaterThan(100);
      expect(c.marks, c.id).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.close();
  });

  it('fits every chart to the window: scaled down at 800 px, filling the column at 1400 px', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${join(out, 'report.html')}`);
    const measure = async (width: number) => {
      await page.setViewportSize({ width, height: 900 });
      return page.$$eval('figure.chart', (figures) =>
        figures.map((f) => {
          const box = f.querySelector('svg')!.getBoundingClientRect();
          const figure = f.getBoundingClientRect();
          return { id: f.id, left: box.left, right: box.right, figure: figure.width, figureRight: figure.right };
        }),
      );
    };
    for (const c of await measure(800)) {
      expect(c.right, c.id).toBeLessThanOrEqual(c.figureRight + 0.5);
      expect(c.figureRight, c.id).toBeLessThanOrEqual(800);
    }
    // The faceted charts are drawn for the whole column; the cost bar leaves room for its legend.
    for (const c of (await measure(1400)).filter((c) => c.id !== 'chart-cost')) expect(c.right - c.left, c.id).toBeGreaterThan(0.9 * c.figure);
    await page.close();
  });

  it('keeps an AWS line visible under an identical GCP line: dashed GCP, one legend naming both', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${join(out, 'report.html')}`);
    for (const id of ['chart-replicas', 'chart-p99']) {
      const lines = await page.$$eval(`#${id} g.mark-line path`, (paths) => paths.map((p) => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray') ?? 'solid']));
      const byColour = new Map(lines.map(([stroke, dash]) => [stroke, dash]));
      expect(byColour.size, id).toBe(2);
      expect(new Set(byColour.values()).size, id).toBe(2);
      const legend = await page.$eval(`#${id}`, (f) => [...f.querySelectorAll('g.role-legend text')].map((t) => t.textContent));
      expect(legend, id).toEqual(expect.arrayContaining(['AWS SageMaker', 'GCP Vertex AI']));
    }
    await page.close();
  });
});
