/**
 * Shared test fixtures for the AWS area: topologies by environment, synthesized once per file, the
 * three policy packs, and the offline CloudFormation validator bundled with aws-cdk-lib.
 */
import { createRequire } from 'node:module';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { loadTopologyFile, preset, resolveTopology, type ResolvedTopology } from '../../constructs';
import { MLServeChecks, newServingApp, ServingStack, servingStackId } from '../../aws';

export const ENVIRONMENTS = ['dev', 'staging', 'prod', 'news.yaml', 'gcp-gaps.yaml'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export function resolvedTopology(name: EnvironmentName): ResolvedTopology {
  return resolveTopology(name.endsWith('.yaml') ? loadTopologyFile(`test/fixtures/${name}`) : preset(name as 'dev' | 'staging' | 'prod'));
}

/** One serving app per environment, each holding that environment's `ServingStack` (not synthesized). */
export function servingApps(): Record<EnvironmentName, App> {
  const apps = {} as Record<EnvironmentName, App>;
  for (const env of ENVIRONMENTS) {
    const topology = resolvedTopology(env);
    const app = newServingApp();
    new ServingStack(app, servingStackId(topology), { topology });
    apps[env] = app;
  }
  return apps;
}

/** Each variant metric helper of an endpoint: the method, its namespace, metric name and default statistic. */
export const ENDPOINT_VARIANT_METRICS = [
  ['metricInvocations', 'AWS/SageMaker', 'Invocations', 'Sum'],
  ['metricInvocation4XXErrors', 'AWS/SageMaker', 'Invocation4XXErrors', 'Sum'],
  ['metricInvocation5XXErrors', 'AWS/SageMaker', 'Invocation5XXErrors', 'Sum'],
  ['metricModelLatency', 'AWS/SageMaker', 'ModelLatency', 'p99'],
  ['metricOverheadLatency', 'AWS/SageMaker', 'OverheadLatency', 'p99'],
  ['metricInvocationsPerInstance', 'AWS/SageMaker', 'InvocationsPerInstance', 'Sum'],
  ['metricConcurrentRequestsPerModel', 'AWS/SageMaker', 'ConcurrentRequestsPerModel', 'Maximum'],
  ['metricCpuUtilization', '/aws/sagemaker/Endpoints', 'CPUUtilization', 'Average'],
  ['metricGpuUtilization', '/aws/sagemaker/Endpoints', 'GPUUtilization', 'Average'],
  ['metricMemoryUtilization', '/aws/sagemaker/Endpoints', 'MemoryUtilization', 'Average'],
  ['metricInvocationsProcessed', 'AWS/SageMaker', 'InvocationsProcessed', 'Sum'],
  ['metricInvocationFailures', 'AWS/SageMaker', 'InvocationFailures', 'Sum'],
] as const;

export interface Finding {
  readonly rule: string;
  readonly paths: readonly string[];
}

/** Every unacknowledged finding of `packs` (by default AwsSolutions, NIST 800-53 R5 and MLServe) under `scope`. */
export function policyFindings(scope: IConstruct, packs: readonly NagPack[] = [new AwsSolutionsChecks(), new NIST80053R5Checks(), new MLServeChecks()]): Finding[] {
  return packs.flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => ({ rule: v.ruleName, paths: v.violatingResources.map((r) => r.constructPath ?? '') })),
  );
}

/** Ids of MLServe findings only. */
export function mlserveFindings(scope: IConstruct): string[] {
  return new MLServeChecks().validateScope(scope).violations.map((v) => v.ruleName);
}

export interface CfnDiagnostic {
  readonly severity: string;
  readonly ruleId: string;
  readonly message: string;
}

interface CfnValidateModule {
  CompositeEngine: new () => {
    validateTemplate(template: unknown): { diagnostics: CfnDiagnostic[] };
    free(): void;
  };
  TemplateContent: new (content: string, name?: string) => unknown;
}

/**
 * The offline CloudFormation validator aws-cdk-lib ships in its own node_modules; it is not a
 * top-level dependency, so it is loaded from there.
 */
export function validateTemplates(templates: Readonly<Record<string, unknown>>): Record<string, CfnDiagnostic[]> {
  const requireFromCdk = createRequire(require.resolve('aws-cdk-lib/package.json'));
  const validator = requireFromCdk('@aws/cloudformation-validate') as CfnValidateModule;
  const engine = new validator.CompositeEngine();
  try {
    return Object.fromEntries(
      Object.entries(templates).map(([name, template]) => [
        name,
        engine.validateTemplate(new validator.TemplateContent(JSON.stringify(template), `${name}.template.json`)).diagnostics,
      ]),
    );
  } finally {
    engine.free();
  }
}

/** Every acknowledgment recorded in the tree: where, which rule, why. */
export function acknowledgments(app: App): { path: string; rule: string; reason: string }[] {
  const out: { path: string; rule: string; reason: string }[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules' || !entry.data) continue;
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: construct.node.path, rule: rule.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

/** A JSON document CDK rendered as `Fn::Join` (it holds references), parsed with each reference as `"<ref>"`. */
export function parseJoinedJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a JSON string or Fn::Join: ${JSON.stringify(value)}`);
  return JSON.parse(join[1].map((part) => (typeof part === 'string' ? part : '<ref>')).join(join[0]));
}
