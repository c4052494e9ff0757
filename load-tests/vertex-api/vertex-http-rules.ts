/**
 * The REST surface of the Vertex AI v1 methods the model-deployment provider may call and the local
 * Vector Search serves (and the v1beta1 EndpointService, for deploying a model at zero), from the
 * `google.api.http` annotations in the official protos (EndpointService, ModelService,
 * DeploymentResourcePoolService, IndexService, MatchService), plus the
 * long-running operations binding that @google-cloud/aiplatform's REST client uses
 * (build/src/v1/endpoint_service_client.js, `lroOptions.httpRules`, selector
 * google.longrunning.Operations.GetOperation).
 *
 * `routeRequest` maps a verb and path to the method, its path variables and the request message;
 * `requestProblems` checks the body and query against that message (vertex-protos.ts).
 */
import { readFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { fieldBehaviors, jsonProblems, V1, V1BETA1, vertexProtos } from './vertex-protos';

export type HttpVerb = 'get' | 'post' | 'patch' | 'delete' | 'put';

export interface HttpRule {
  /** `EndpointService.DeployModel`, `Operations.GetOperation` … */
  readonly method: string;
  /** The API version whose protos define the request message. */
  readonly version: 'v1' | 'v1beta1';
  readonly verb: HttpVerb;
  readonly template: string;
  /** `*` for the whole request, a field name, or none (GET, DELETE). */
  readonly body?: string;
  readonly request: protobuf.Type;
  readonly pattern: RegExp;
  /** Request field paths bound by the path, in order (`endpoint`, `endpoint.name`). */
  readonly variables: readonly string[];
}

/** Query parameters every Google REST API accepts besides request fields (system parameters). */
const SYSTEM_PARAMETERS = new Set(['$alt', 'alt', 'key', 'prettyPrint', 'fields', 'quotaUser', 'callback', '$callback', 'upload_protocol', 'uploadType']);

/** A path template (`/v1/{endpoint=projects/*\/locations/*\/endpoints/*}:deployModel`) as a regex. */
export function templatePattern(template: string): { pattern: RegExp; variables: string[] } {
  const variables: string[] = [];
  // A `*` segment holds no custom verb: `pools/x:queryDeployedModels` is not GetDeploymentResourcePool of `x:queryDeployedModels`.
  const segment = (s: string) => (s === '**' ? '.+' : s === '*' ? '[^/:]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const source = template.replace(/\{([^}=]+)(?:=([^}]+))?\}|([^{]+)/g, (_m, name: string | undefined, inner: string | undefined, literal: string | undefined) => {
    if (literal !== undefined) return literal.split('/').map((s) => (s.includes(':') ? s.split(':').map(segment).join(':') : segment(s))).join('/');
    variables.push(name!);
    return `(${(inner ?? '*').split('/').map(segment).join('/')})`;
  });
  return { pattern: new RegExp(`^${source}$`), variables };
}

function rule(method: string, version: HttpRule['version'], verb: HttpVerb, template: string, body: string | undefined, request: protobuf.Type): HttpRule {
  return { method, version, verb, template, body, request, ...templatePattern(template) };
}

let rules: HttpRule[] | undefined;

export function vertexHttpRules(): HttpRule[] {
  if (rules) return rules;
  const root = vertexProtos();
  const found: HttpRule[] = [];
  const services = [
    [V1, 'v1', 'EndpointService'],
    [V1, 'v1', 'ModelService'],
    [V1, 'v1', 'IndexService'],
    [V1, 'v1', 'MatchService'],
    [V1, 'v1', 'DeploymentResourcePoolService'],
    [V1BETA1, 'v1beta1', 'EndpointService'],
  ] as const;
  for (const [pkg, version, service] of services) {
    const protoService = root.lookupService(`${pkg}.${service}`);
    for (const m of Object.values(protoService.methods)) {
      const http = (m.parsedOptions ?? []).find((o: Record<string, unknown>) => '(google.api.http)' in o)?.['(google.api.http)'] as Record<string, string> | undefined;
      if (!http) continue;
      const verb = (['get', 'post', 'patch', 'delete', 'put'] as const).find((v) => v in http)!;
      // Request types are named relative to the service's package.
      found.push(rule(`${service}.${m.name}`, version, verb, http[verb], http.body, protoService.lookupType(m.requestType)));
    }
  }
  const getOperation = root.lookupType('google.longrunning.GetOperationRequest');
  for (const template of operationGetTemplates()) found.push(rule('Operations.GetOperation', 'v1', 'get', template, undefined, getOperation));
  rules = found;
  return found;
}

/** The `/v1/` GET bindings of GetOperation in the REST client's `lroOptions.httpRules`. */
export function operationGetTemplates(): string[] {
  const client = readFileSync(require.resolve('@google-cloud/aiplatform/build/src/v1/endpoint_service_client.js'), 'utf8');
  const start = client.indexOf("selector: 'google.longrunning.Operations.GetOperation'");
  const end = client.indexOf('selector:', start + 10);
  return [...client.slice(start, end).matchAll(/get: '(\/v1\/[^']+)'/g)].map((m) => m[1]);
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export interface Routed {
  readonly rule: HttpRule;
  /** Path variables by request field path. */
  readonly variables: Readonly<Record<string, string>>;
}

export function routeRequest(verb: string, path: string): Routed | undefined {
  for (const r of vertexHttpRules()) {
    if (r.verb !== verb.toLowerCase()) continue;
    const match = r.pattern.exec(path);
    if (match) return { rule: r, variables: Object.fromEntries(r.variables.map((v, i) => [v, match[i + 1]])) };
  }
  return undefined;
}

/**
 * What the API would refuse in this request: the body against the message the rule's `body`
 * names, fields bound by the path not repeated in a `*` body, query parameters that are not
 * request fields. A request whose message has an `update_mask` is checked without REQUIRED.
 */
export function requestProblems(routed: Routed, query: URLSearchParams, body: unknown): string[] {
  const { rule: r } = routed;
  const partial = 'updateMask' in r.request.fields;
  const problems: string[] = [];
  if (r.body === '*') {
    const bound = new Set(Object.keys(routed.variables).map((v) => v.split('.')[0]));
    const object = (body ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(object)) if (bound.has(key)) problems.push(`'${key}' is bound by the URL path and must not be in the body`);
    const pathFields = Object.fromEntries([...bound].map((f) => [f, routed.variables[f] ?? {}]));
    problems.push(...jsonProblems(r.request, { ...object, ...pathFields }, '', { partial }));
  } else if (r.body) {
    const field = r.request.fields[r.body];
    problems.push(...jsonProblems(field.resolvedType as protobuf.Type, body ?? {}, r.body, { partial }));
  } else if (body !== undefined && body !== '') {
    problems.push(`${r.verb.toUpperCase()} ${r.template} takes no body`);
  }
  if (r.body !== '*') {
    // Path variables are named as in the proto (`deployment_resource_pool`), fields in protobufjs's camelCase.
    const bound = new Set([...Object.keys(routed.variables).map((v) => camelCase(v.split('.')[0])), r.body]);
    for (const field of r.request.fieldsArray) {
      if (!bound.has(field.name) && fieldBehaviors(field).includes('REQUIRED') && !query.has(field.name)) {
        problems.push(`Required field '${field.name}' is missing (a query parameter of ${r.verb.toUpperCase()} ${r.template}).`);
      }
    }
  }
  for (const key of query.keys()) {
    if (SYSTEM_PARAMETERS.has(key)) continue;
    const field = r.request.fields[key.split('.')[0]];
    if (!field || key.split('.')[0] === r.body) problems.push(`Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`);
  }
  return problems;
}
