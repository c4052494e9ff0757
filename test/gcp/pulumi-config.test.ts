/**
 * Pulumi.yaml and every Pulumi.<stack>.yaml, merged the way the Pulumi CLI merges them before it
 * starts the program (bin/pulumi-stack-config.ts reproduces pulumi/pulumi's
 * pkg/workspace/config.go `mergeConfig` and the project loader it relies on).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPresetEnvironment } from '../../constructs';
import { loadProject, loadStackConfig, mergeStackConfig } from '../../bin/pulumi-stack-config';

const ROOT = join(__dirname, '..', '..');
const project = loadProject(readFileSync(join(ROOT, 'Pulumi.yaml'), 'utf8'));
const stackFiles = readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

/** What `pulumi preview --stack <name>` hands the program as config. */
function mergedFor(file: string): Map<string, unknown> {
  const stack = file.slice('Pulumi.'.length, -'.yaml'.length);
  return mergeStackConfig(stack, project, loadStackConfig(project, readFileSync(join(ROOT, file), 'utf8')));
}

describe('the CLI config rules (reproduced) catch what the CLI refuses', () => {
  const stack = (text: string) => loadStackConfig(loadProject(text), 'config:\n  ml-serving-stacks:environment: dev\n');

  it('a declared project key with a type and no default, unset by the stack, is missing', () => {
    // The project block as it was: both keys typed, neither with a default.
    const before = 'name: ml-serving-stacks\nconfig:\n  environment:\n    type: string\n  topologyFile:\n    type: string\n';
    expect(() => mergeStackConfig('dev', loadProject(before), stack(before))).toThrow("Stack 'dev' is missing configuration value 'topologyFile'");
  });

  it('lists every missing key in one error, sorted', () => {
    const text = 'name: p\nconfig:\n  b:\n    type: string\n  a:\n    type: string\n  c:\n    type: string\n';
    expect(() => mergeStackConfig('prod', loadProject(text), new Map())).toThrow("Stack 'prod' is missing configuration values 'a', 'b' and 'c'");
  });

  it('checks a typed key against the stack value, and refuses a typed key of another namespace', () => {
    const typed = loadProject('name: p\nconfig:\n  replicas:\n    type: integer\n');
    expect(() => mergeStackConfig('dev', typed, new Map([['p:replicas', 'two']]))).toThrow("Stack 'dev' with configuration key 'replicas' must be of type 'integer'");
    expect(() => loadProject('name: p\nconfig:\n  gcp:project:\n    type: string\n')).toThrow(
      "Configuration key 'gcp:project' is not namespaced by the project and should not define a type",
    );
  });

  it('fills an unset key from its default', () => {
    const text = 'name: p\nconfig:\n  topologyFile:\n    type: string\n    default: ""\n';
    expect(mergeStackConfig('dev', loadProject(text), new Map()).get('p:topologyFile')).toBe('');
  });
});

describe('this project', () => {
  it('has a stack file per preset', () => {
    expect(stackFiles.sort()).toEqual(['Pulumi.dev.yaml', 'Pulumi.prod.yaml', 'Pulumi.staging.yaml']);
  });

  for (const file of stackFiles) {
    it(`${file}: merges without a missing or mistyped key`, () => {
      const config = mergedFor(file);
      const stack = file.split('.')[1];
      expect(config.get('ml-serving-stacks:environment')).toBe(stack);
      expect(isPresetEnvironment(stack)).toBe(true);
      // Optional keys arrive as their defaults: empty means "not set" to the program.
      expect(config.get('ml-serving-stacks:topologyFile')).toBe('');
      expect(config.get('ml-serving-stacks:createConnectionPolicies')).toBe('false');
    });

    it(`${file}: names no project of somebody else's and no file that does not exist`, () => {
      const config = mergedFor(file);
      // The user sets gcp:project (pulumi config set); the program says so when it is missing.
      expect(config.has('gcp:project')).toBe(false);
      const topologyFile = String(config.get('ml-serving-stacks:topologyFile'));
      if (topologyFile) expect(existsSync(join(ROOT, topologyFile))).toBe(true);
    });
  }

  it('declares every ml-serving-stacks key the program reads', () => {
    const program = readFileSync(join(ROOT, 'bin', 'gcp.ts'), 'utf8');
    const read = [...program.matchAll(/(?:optional\(config, |config\.(?:get|getBoolean|require)\()'([A-Za-z]+)'/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThanOrEqual(5);
    for (const key of read) expect(Object.keys(project.config)).toContain(key);
  });
});
