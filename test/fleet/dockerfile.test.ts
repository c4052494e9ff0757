/**
 * The load generator image, checked without Docker: the Dockerfile parsed with dockerfile-ast
 * (the parser of the Docker language server), then its ENTRYPOINT run directly in a copy of the
 * files its COPY instructions put in the image.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const named = (keyword: string): Instruction[] => instructions.filter((i) => i.getKeyword() === keyword);
const args = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
/** Exec form (a JSON array), the only form that passes `docker run IMAGE <args>` to the CLI. */
const execForm = (i: Instruction): string[] => JSON.parse(i.getArgumentsContent() ?? '') as string[];

describe('Dockerfile', () => {
  it('has no syntax problems the parser reports', () => {
    expect(instructions.length).toBeGreaterThan(0);
    expect(instructions.map((i) => i.getKeyword()).filter((k) => !/^[A-Z]+$/.test(k))).toEqual([]);
  });

  it('builds from one Node 20 slim base pinned by a minor-version tag', () => {
    const froms = dockerfile.getFROMs();
    expect(froms).toHaveLength(1);
    expect(froms[0].getImageName()).toBe('node');
    expect(froms[0].getImageTag()).toMatch(/^20\.\d+-bookworm-slim$/);
  });

  it('runs as a non-root user, set after the last RUN', () => {
    const users = named('USER');
    expect(users).toHaveLength(1);
    expect(args(users[0])[0]).not.toMatch(/^(root|0)(:|$)/);
    const lastRun = Math.max(...named('RUN').map((i) => instructions.indexOf(i)));
    expect(instructions.indexOf(users[0])).toBeGreaterThan(lastRun);
  });

  it('installs production dependencies from the lock file only', () => {
    const runs = named('RUN').map((i) => i.getArgumentsContent() ?? '');
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.join('\n')).not.toMatch(/npm install|curl|wget/);
  });

  it('fetches nothing by URL and carries no secrets', () => {
    expect(named('ADD')).toEqual([]);
    const text = instructions.map((i) => i.getArgumentsContent() ?? '').join('\n');
    expect(text).not.toMatch(/https?:\/\//);
    const envNames = [...named('ENV'), ...named('ARG')].flatMap((i) => args(i).map((a) => a.split('=')[0]));
    expect(envNames.filter((n) => /SECRET|TOKEN|PASSWORD|KEY|CREDENTIAL/i.test(n))).toEqual([]);
  });

  it('.dockerignore keeps git, node_modules, tests and credentials out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', 'test', '.env', '.aws']) expect(ignored).toContain(entry);
  });

  describe('its entry point, run as the image runs it', () => {
    const image = mkdtempSync(join(tmpdir(), 'loadgen-image-'));
    afterAll(() => rmSync(image, { recursive: true, force: true }));

    it('is the serving-stacks CLI, and answers --version from the files the image holds', () => {
      const entrypoint = execForm(named('ENTRYPOINT')[0]);
      expect(entrypoint).toEqual(['node', '/app/bin/serving-stacks.js']);
      const workdir = args(named('WORKDIR')[0])[0];
      // Lay out what the COPY instructions copy, under `image` standing for WORKDIR.
      for (const copy of named('COPY')) {
        const parts = args(copy);
        const destination = parts[parts.length - 1];
        for (const source of parts.slice(0, -1)) {
          const target = destination.endsWith('/') ? join(image, destination, source) : join(image, destination);
          cpSync(join(ROOT, source), target, { recursive: true });
        }
      }
      // `npm ci` in the image; here the repository's installed modules stand in for it.
      symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules'), 'dir');
      const [command, ...rest] = entrypoint;
      expect(command).toBe('node');
      const script = rest.map((a) => (a.startsWith(`${workdir}/`) ? join(image, a.slice(workdir.length + 1)) : a));
      const run = spawnSync(process.execPath, [...script, '--version'], { cwd: image, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(run.stdout.trim()).toBe(`serving-stacks ${version} (Node.js ${process.version})`);
    }, 90_000);
  });
});
