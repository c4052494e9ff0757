/**
 * The GCP policy pack started as `pulumi preview --policy-pack gcp/policy` starts it
 * (support/start-policy-pack.ts reproduces the CLI and the Node language host), then asked
 * what the engine asks first: its name, version and policies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GCP_POLICIES } from '../../gcp/policy/gcp-policies';
import { policyPackCommand, splitArgs, startPolicyPack } from './support/start-policy-pack';

const PACK = join(__dirname, '..', '..', 'gcp', 'policy');

describe('the GCP policy pack as the CLI starts it', () => {
  it('serves every policy under its name and the version in its package.json', async () => {
    const pack = await startPolicyPack(PACK);
    try {
      const info = await pack.info();
      expect(info).toEqual({
        name: 'ml-serving-gcp',
        version: (JSON.parse(readFileSync(join(PACK, 'package.json'), 'utf8')) as { version: string }).version,
        policies: GCP_POLICIES.map((p) => p.name),
      });
    } finally {
      pack.stop();
    }
  }, 90_000);

  it('puts nodeargs after the script: they are run-policy-pack arguments, not node options', () => {
    const { args } = policyPackCommand(PACK, '127.0.0.1:1');
    expect(args[0]).toMatch(/@pulumi[\\/]pulumi[\\/]cmd[\\/]run-policy-pack[\\/]index\.js$/);
    expect(args.slice(1)).toEqual(['127.0.0.1:1', PACK]);
    expect(splitArgs(`--require tsx/cjs --title "a b"`)).toEqual(['--require', 'tsx/cjs', '--title', 'a b']);
  });

  it('has the same version as the project', () => {
    const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version(PACK)).toBe(version(join(PACK, '..', '..')));
  });
});
