/**
 * A small IAM policy evaluator for resource policies in synthesized templates: explicit deny wins,
 * then any allow, else implicit deny (IAM User Guide, "Policy evaluation logic"). It resolves the
 * intrinsics CDK writes into policies and supports the condition operators our policies use; an
 * operator it does not know fails the test rather than passing silently.
 */

export interface Request {
  readonly principal: { readonly service?: string; readonly aws?: string };
  readonly action: string;
  readonly resource: string;
  /** Condition keys and their values, e.g. `aws:SourceAccount`. */
  readonly context: Readonly<Record<string, string>>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export function evaluate(document: { Statement: readonly Statement[] }, request: Request): Decision {
  const matching = document.Statement.filter((s) => principalMatches(s.Principal, request) && anyGlob(s.Action, request.action, true) && anyGlob(s.Resource ?? '*', request.resource, false) && conditionsHold(s.Condition, request.context));
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/** The template's intrinsics replaced by strings: pseudo parameters, `Ref`, `Fn::GetAtt`, `Fn::Join`. */
export function resolveIntrinsics<T>(value: T, env: { account: string; region: string; ref: (id: string) => string; getAtt: (id: string, attribute: string) => string }): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if ('Ref' in record) {
      const id = record.Ref as string;
      const pseudo: Record<string, string> = { 'AWS::AccountId': env.account, 'AWS::Region': env.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
      return pseudo[id] ?? env.ref(id);
    }
    if ('Fn::GetAtt' in record) {
      const [id, attribute] = record['Fn::GetAtt'] as [string, string];
      return env.getAtt(id, attribute);
    }
    if ('Fn::Join' in record) {
      const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(walk).join(delimiter);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v)]));
  };
  return walk(value) as T;
}

function principalMatches(principal: unknown, request: Request): boolean {
  if (principal === '*') return true;
  if (principal === undefined || principal === null || typeof principal !== 'object') return false;
  const { Service, AWS } = principal as { Service?: string | string[]; AWS?: string | string[] };
  if (Service !== undefined && request.principal.service !== undefined && list(Service).includes(request.principal.service)) return true;
  return AWS !== undefined && request.principal.aws !== undefined && list(AWS).some((a) => a === '*' || a === request.principal.aws);
}

function conditionsHold(conditions: Statement['Condition'], context: Request['context']): boolean {
  return Object.entries(conditions ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected);
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return values.includes(actual);
        case 'StringLike':
        case 'ArnLike':
          return values.some((pattern) => glob(pattern, actual, false));
        case 'Bool':
          return values.map((v) => String(v).toLowerCase()).includes(actual.toLowerCase());
        default:
          throw new Error(`policy-evaluation: condition operator ${operator} is not supported`);
      }
    }),
  );
}

function anyGlob(patterns: string | string[], value: string, caseInsensitive: boolean): boolean {
  return list(patterns).some((p) => glob(p, value, caseInsensitive));
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
