import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, assumptionSet, withAssumption, type Assumption } from '../../constructs';

const REPO = resolve(__dirname, '../..');

/** Why an assumption's source is not a public https URL or a file of this repository, or undefined. */
function sourceProblem(source: string): string | undefined {
  if (/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\/\S*$/i.test(source)) return undefined;
  if (source.startsWith('/') || source.includes('..')) return `not a repository path: ${source}`;
  return existsSync(join(REPO, source)) ? undefined : `no such repository file: ${source}`;
}

/**
 * The symmetry rule: a name registered once per cloud must carry different values backed by
 * cloud-specific (different) sources; otherwise it is one `both` entry.
 */
function symmetryProblems(register: readonly Assumption[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, Assumption[]>();
  for (const a of register) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  for (const [name, entries] of byName) {
    const clouds = entries.map((e) => e.cloud);
    if (new Set(clouds).size !== clouds.length) problems.push(`${name}: registered twice for ${clouds.join(', ')}`);
    if (clouds.includes('both') && entries.length > 1) problems.push(`${name}: a 'both' entry beside per-cloud entries`);
    const aws = entries.find((e) => e.cloud === 'aws');
    const gcp = entries.find((e) => e.cloud === 'gcp');
    if (aws && gcp) {
      if (aws.value === gcp.value) problems.push(`${name}: the same value ${aws.value} on both clouds must be one 'both' entry`);
      else if (aws.source === gcp.source) problems.push(`${name}: different values (aws ${aws.value}, gcp ${gcp.value}) on one source, ${aws.source}; a cloud-specific source is needed for each`);
    }
  }
  return problems;
}

describe('the assumption register', () => {
  it('gives every assumption a public https URL or an existing repository file as its source', () => {
    const problems = ASSUMPTIONS.flatMap((a) => {
      const problem = sourceProblem(a.source);
      return problem ? [`${a.name} (${a.cloud}): ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('tells a bad source from a good one', () => {
    expect(sourceProblem('https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html')).toBeUndefined();
    expect(sourceProblem('load-tests/generator/retry-policy.ts')).toBeUndefined();
    expect(sourceProblem(['..', 'shared', 'reference', 'notes.md'].join('/'))).toMatch(/not a repository path/);
    expect(sourceProblem('load-tests/no-such-file.ts')).toMatch(/no such repository file/);
    expect(sourceProblem('http://example.com/page')).toMatch(/no such repository file/);
  });

  it('pins where each assumption comes from', () => {
    const sources = Object.fromEntries(ASSUMPTIONS.map((a) => [`${a.name}@${a.cloud}`, `[${a.tag}] ${a.source}`]));
    expect(sources).toMatchSnapshot();
  });

  it('follows the symmetry rule: the same value on both clouds unless cloud-specific sources say otherwise', () => {
    expect(symmetryProblems(ASSUMPTIONS)).toEqual([]);
    // Provisioning was 240 s on SageMaker and 120 s on Vertex with no source for either: now one value for both.
    for (const name of ['provisioning.cpu-replica-seconds', 'provisioning.gpu-replica-seconds', 'scaling-metric.counts-refused-requests']) {
      expect(ASSUMPTIONS.filter((a) => a.name === name).map((a) => a.cloud)).toEqual(['both']);
    }
  });

  it('catches a break of the symmetry rule', () => {
    const cpu = ASSUMPTIONS.find((a) => a.name === 'provisioning.cpu-replica-seconds')!;
    const split: Assumption[] = [
      ...ASSUMPTIONS.filter((a) => a !== cpu),
      { ...cpu, cloud: 'aws', value: 240 },
      { ...cpu, cloud: 'gcp', value: 120 },
    ];
    expect(symmetryProblems(split)).toEqual([`provisioning.cpu-replica-seconds: different values (aws 240, gcp 120) on one source, ${cpu.source}; a cloud-specific source is needed for each`]);
    expect(symmetryProblems([...ASSUMPTIONS.filter((a) => a !== cpu), { ...cpu, cloud: 'aws' }, { ...cpu, cloud: 'gcp', source: 'https://cloud.google.com/x' }])).toEqual([
      "provisioning.cpu-replica-seconds: the same value 180 on both clouds must be one 'both' entry",
    ]);
  });

  it('gives every unverified value a range around it and the end that favours its cloud', () => {
    for (const a of ASSUMPTIONS.filter((x) => x.tag !== 'V')) {
      expect(a.low, a.name).toBeDefined();
      expect(a.high, a.name).toBeDefined();
      expect(a.favourableEnd, a.name).toBeDefined();
      expect(a.low! <= a.value && a.value <= a.high!, `${a.name}: ${a.low} <= ${a.value} <= ${a.high}`).toBe(true);
    }
  });

  it('moves unverified values to the favourable end in `low` and the other in `high`, and leaves verified ones', () => {
    expect(assumptionSet('gcp', 'low').value('metric.vertex-utilisation.publish-delay-seconds')).toBe(60);
    expect(assumptionSet('gcp', 'high').value('metric.vertex-utilisation.publish-delay-seconds')).toBe(360);
    expect(assumptionSet('aws', 'low').value('scaling-metric.counts-refused-requests')).toBe(1);
    expect(assumptionSet('aws', 'high').value('target.safety-factor')).toBe(0.5);
    expect(() => assumptionSet('aws').value('metric.vertex-utilisation.publish-delay-seconds')).toThrow(/no assumption named 'metric.vertex-utilisation.publish-delay-seconds' applies to aws/);
    expect(assumptionSet('aws', 'base', withAssumption(ASSUMPTIONS, 'provisioning.gpu-replica-seconds', 'aws', 99)).value('provisioning.gpu-replica-seconds')).toBe(99);
  });
});

/** The reference notes beside the repository (not part of the product), by file name without `.md`. */
const REFERENCE_NOTES = ['gcp-gaps', 'autoscaling', 'pricing', 'protocols', 'security-rules', 'anchors', 'load-testing', 'gotchas'];

/** A note's file name, with whatever path or URL is written in front of it. */
const NOTE_MENTION = new RegExp(String.raw`(?:[\w.:-]*/)*(?<![\w-])(?:${REFERENCE_NOTES.join('|')})\.md(?![\w-])`, 'g');

/**
 * The mentions of a reference note in a file's text: a note's file name, bare or behind a path,
 * unless it is a public URL or names a file of this repository (from the root or the citing file).
 */
function referenceNoteMentions(text: string, file: string, root = REPO): string[] {
  const isRepositoryFile = (path: string) =>
    [resolve(root, path), resolve(dirname(join(root, file)), path)].some((p) => p.startsWith(root + sep) && existsSync(p));
  return [...text.matchAll(NOTE_MENTION)].map((m) => m[0]).filter((mention) => !/^https?:\/\//.test(mention) && !isRepositoryFile(mention));
}

/** Files git tracks, except test fixtures (inputs, which may quote anything). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && !/(^|\/)fixtures\//.test(f) && existsSync(join(REPO, f)));
}

describe('sources in the repository', () => {
  const outside = ['..', 'shared', 'reference'].join('/');
  // Dot folders hold git data and CI results (which carry test names), not sources.
  const skip = new Set(['node_modules', 'cdk.out', 'dist', 'coverage']);
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      if (skip.has(name) || name.startsWith('.')) return [];
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.(ts|js|md|json|yaml|yml)$/.test(name) ? [path] : [];
    });

  it('cite none of the reference notes beside the repository, which are not part of the product', () => {
    const citing = files(REPO).filter((f) => readFileSync(f, 'utf8').includes(outside)).map((f) => f.slice(REPO.length + 1));
    expect(citing).toEqual([]);
  });

  it('name none of the reference notes, bare or behind a path, anywhere in the tracked tree outside test fixtures', () => {
    const tracked = trackedFiles();
    expect(tracked).toContain('constructs/parity.ts');
    const citing = tracked.flatMap((f) => referenceNoteMentions(readFileSync(join(REPO, f), 'utf8'), f).map((m) => `${f}: ${m}`));
    expect(citing).toEqual([]);
  });

  it('tells a mention of a reference note from a public URL or a file of this repository', () => {
    const note = (name: string) => [name, 'md'].join('.');
    expect(referenceNoteMentions(`Vertex has no asynchronous endpoint (${note('gcp-gaps')} §4).`, 'constructs/parity.ts')).toEqual([note('gcp-gaps')]);
    expect(referenceNoteMentions(`// see ${note('gotchas')}, "Clients against local endpoints"`, 'load-tests/x.ts')).toEqual([note('gotchas')]);
    expect(referenceNoteMentions(`(${outsideNote('protocols')})`, 'README.md')).toEqual([outsideNote('protocols')]);
    expect(referenceNoteMentions(`docs/${note('pricing')}`, 'README.md')).toEqual([`docs/${note('pricing')}`]);
    expect(referenceNoteMentions(`https://github.com/o/r/blob/main/${note('autoscaling')}`, 'README.md')).toEqual([]);
    expect(referenceNoteMentions(`test/fixtures/gcp-gaps.yaml, my-${note('gotchas')}, load-tests/README.md`, 'README.md')).toEqual([]);
  });

  it('lets a file of the repository that happens to share a note\'s name be named', () => {
    const note = (name: string) => [name, 'md'].join('.');
    const root = mkdtempSync(join(tmpdir(), 'notes-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', note('pricing')), '# Prices\n');
      expect(referenceNoteMentions(`docs/${note('pricing')}`, 'README.md', root)).toEqual([]);
      expect(referenceNoteMentions(`see ${note('pricing')}`, 'docs/index.md', root)).toEqual([]);
      expect(referenceNoteMentions(`see ${note('pricing')}`, 'README.md', root)).toEqual([note('pricing')]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** A reference note's path beside the repository, as helpers were told not to cite it. */
function outsideNote(name: string): string {
  return ['..', 'shared', 'reference', `${name}.md`].join('/');
}
