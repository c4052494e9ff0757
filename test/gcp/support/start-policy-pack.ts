/**
 * Starts a policy pack the way `pulumi preview --policy-pack <dir>` does with a Node.js pack,
 * reproduced from pulumi/pulumi (1b5949891b3c):
 *
 * - pkg/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`: loads `<dir>/PulumiPolicy.yaml`
 *   and asks the language plugin named by its runtime to run the pack, with the engine address as
 *   the only argument and the pack directory as program directory;
 * - sdk/nodejs/cmd/pulumi-language-nodejs/main.go `RunPlugin` (kind analyzer): resolves
 *   `@pulumi/pulumi/cmd/run-policy-pack` from the pack directory (`locateModule`), then runs
 *   `node <run-policy-pack> <nodeargs…> <engine address> <pack dir>` in the pack directory, with
 *   PULUMI_NODEJS_TYPESCRIPT=true unless `typescript: false`. The nodeargs land after the script,
 *   so they are run-policy-pack's arguments, never node's;
 * - @pulumi/policy `PolicyPack` reads the version from `package.json` in the working directory
 *   and prints the port of its gRPC server on stdout.
 *
 * The caller gets the Analyzer client on that port and stops the process with `stop`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface PolicyPackInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly string[];
}

export interface StartedPolicyPack {
  /** node's arguments, as the language host built them. */
  readonly args: readonly string[];
  info(): Promise<PolicyPackInfo>;
  stop(): void;
}

interface PolicyProject {
  readonly runtime: string | { readonly name: string; readonly options?: Record<string, unknown> };
}

/** shlex.Split as the language host applies it to `nodeargs`: words, with single and double quotes. */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/** The command line `RunPlugin` builds for an analyzer. */
export function policyPackCommand(packDir: string, engineAddress: string): { args: string[]; env: Record<string, string> } {
  const dir = resolve(packDir);
  const project = parse(readFileSync(join(dir, 'PulumiPolicy.yaml'), 'utf8')) as PolicyProject;
  const runtime = typeof project.runtime === 'string' ? { name: project.runtime, options: {} } : project.runtime;
  if (runtime.name !== 'nodejs') throw new Error(`PulumiPolicy.yaml runtime is ${runtime.name}, not nodejs`);
  const options = runtime.options ?? {};
  const runPath = createRequire(join(dir, 'package.json')).resolve('@pulumi/pulumi/cmd/run-policy-pack');
  const nodeargs = typeof options.nodeargs === 'string' ? splitArgs(options.nodeargs) : [];
  const env: Record<string, string> = {};
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (typeof options.tsconfig === 'string') env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  return { args: [runPath, ...nodeargs, engineAddress, dir], env };
}

/**
 * Starts the pack; resolves once it printed its port (or rejects with what it printed on stderr
 * when it exits first, or after `timeoutMs`).
 */
export async function startPolicyPack(packDir: string, timeoutMs = 60_000): Promise<StartedPolicyPack> {
  const { args, env } = policyPackCommand(packDir, '127.0.0.1:1');
  const child: ChildProcess = spawn(process.execPath, args, { cwd: resolve(packDir), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((ok, fail) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`the policy pack printed no port within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        ok(Number(line[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the policy pack exited with ${code} before printing its port: ${stderr}${stdout}`));
    });
  });
  return {
    args,
    info: () => analyzerInfo(port),
    stop: () => child.kill(),
  };
}

/** Analyzer.GetAnalyzerInfo, the first call the engine makes. */
async function analyzerInfo(port: number): Promise<PolicyPackInfo> {
  const grpc: typeof import('@grpc/grpc-js') = require('@grpc/grpc-js');
  const services = require('@pulumi/pulumi/proto/analyzer_grpc_pb') as {
    AnalyzerClient: new (address: string, credentials: unknown) => {
      getAnalyzerInfo(request: unknown, callback: (error: Error | null, response: AnalyzerInfoMessage) => void): void;
      close(): void;
    };
  };
  const { Empty } = require('google-protobuf/google/protobuf/empty_pb') as { Empty: new () => unknown };
  const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<AnalyzerInfoMessage>((ok, fail) => client.getAnalyzerInfo(new Empty(), (e, r) => (e ? fail(e) : ok(r))));
    return { name: response.getName(), version: response.getVersion(), policies: response.getPoliciesList().map((p) => p.getName()) };
  } finally {
    client.close();
  }
}

interface AnalyzerInfoMessage {
  getName(): string;
  getVersion(): string;
  getPoliciesList(): { getName(): string }[];
}
