/**
 * Lambda code bundled offline from a TypeScript entry with esbuild's API, in process: no Docker and
 * no spawned tool, so synthesis stays fast and works without a network. The asset hash is the
 * bundle's, so a change in the handler or in a bundled dependency deploys new code.
 */
import { dirname, join, resolve } from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

/** The runtime the bundles target; the Lambda functions run on it too. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';
/** Bundled paths are relative to the repository, so the bundle (and its hash) is the same on every machine. */
const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** Bundles `entry` and everything it imports (AWS SDK included, so the code runs the versions it was tested with) into `outfile`. */
export function bundleHandler(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: ESBUILD_TARGET,
    format: 'cjs',
    absWorkingDir: REPOSITORY_ROOT,
    legalComments: 'none',
    logLevel: 'silent',
  });
}

/** Lambda code whose `index.handler` is `entry`'s exported `handler`. */
export function bundledHandlerCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Only used when local bundling fails, which it does not where esbuild is installed.
      image: HANDLER_RUNTIME.bundlingImage,
      local: {
        tryBundle(outputDir: string): boolean {
          bundleHandler(entry, join(outputDir, 'index.js'));
          return true;
        },
      },
    },
  });
}
