/**
 * A Cloud Function's source archive, built offline: the entry and everything it imports bundled by
 * esbuild in process into one `index.js`, beside a `package.json` with no dependencies, so the
 * Node.js buildpack installs nothing (it adds the Functions Framework itself when none is declared:
 * cloud.google.com/functions/docs/writing, "Functions Framework"). `pulumi up` uploads the archive as
 * a Cloud Storage object and Cloud Functions builds from it; no Docker anywhere. Bundled paths are
 * relative to the repository, so the archive (and the object's hash) is the same on every machine.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { buildSync } from 'esbuild';

/** The Cloud Functions runtime the bundle targets. */
export const FUNCTION_RUNTIME = 'nodejs22';
const ESBUILD_TARGET = 'node22';
const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** The bundle's code as text. */
export function bundleFunction(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: ESBUILD_TARGET,
    format: 'cjs',
    absWorkingDir: REPOSITORY_ROOT,
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  return result.outputFiles[0].text;
}

export interface FunctionSource {
  readonly archive: pulumi.asset.AssetArchive;
  /** `<name>-<hash of the contents>.zip`: a code change is a new object, so Cloud Functions rebuilds. */
  readonly objectName: string;
}

/** The archive Cloud Functions builds from: `index.js` and a `package.json` naming it. */
export function functionSource(entry: string, name: string): FunctionSource {
  const code = bundleFunction(entry);
  const manifest = `${JSON.stringify({ name, private: true, main: 'index.js', engines: { node: '22' } }, null, 2)}\n`;
  const hash = createHash('sha256').update(code).update('\0').update(manifest).digest('hex').slice(0, 16);
  return {
    archive: new pulumi.asset.AssetArchive({ 'index.js': new pulumi.asset.StringAsset(code), 'package.json': new pulumi.asset.StringAsset(manifest) }),
    objectName: `${name}-${hash}.zip`,
  };
}
