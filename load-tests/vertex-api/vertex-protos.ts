/**
 * The Vertex AI v1 API as its official protos define it: the `.proto` files that ship in
 * @google-cloud/aiplatform (build/protos; the google/api, google/protobuf and google/longrunning
 * imports from google-gax), loaded with protobufjs. From `.proto` sources protobufjs keeps every
 * `google.api.field_behavior` of a field (protos.json keeps only the last one), which the
 * REQUIRED and OUTPUT_ONLY checks need.
 *
 * `jsonProblems` checks a REST JSON value against a message type with the proto3 JSON mapping
 * (developers.google.com/protocol-buffers/docs/proto3#json): unknown fields, wrong types, more
 * than one member of a oneof, REQUIRED fields missing, OUTPUT_ONLY fields sent. Messages are the
 * shape of the API's own: `Invalid JSON payload received. Unknown name "x" at 'deployed_model'`.
 * (v1beta1's EndpointService is loaded beside v1's: the deployment provider deploys a model at zero through it.)
 *
 * Shared by the strict fake of the Vertex API in the GCP tests and by the local Vector Search of
 * `serving-stacks emulate`: one reading of the protos for both.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as protobuf from 'protobufjs';

const VERTEX_PROTOS = dirname(require.resolve('@google-cloud/aiplatform/build/protos/protos.json'));
// google-gax is @google-cloud/aiplatform's own dependency: resolve it from there.
const GAX_PROTOS = join(dirname(createRequire(require.resolve('@google-cloud/aiplatform')).resolve('google-gax')), '..', 'protos');

export const V1 = 'google.cloud.aiplatform.v1';
/** The preview API: scale to zero (DedicatedResources.scale_to_zero_spec) exists only here. */
export const V1BETA1 = 'google.cloud.aiplatform.v1beta1';

let loaded: protobuf.Root | undefined;

/**
 * EndpointService (v1 and v1beta1), ModelService and DeploymentResourcePoolService (the model-deployment provider's fake),
 * IndexService and MatchService (the local Vector Search), google.longrunning.Operations, with
 * everything they use.
 */
export function vertexProtos(): protobuf.Root {
  if (loaded) return loaded;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => [VERTEX_PROTOS, GAX_PROTOS].map((base) => join(base, target)).find((p) => existsSync(p)) ?? target;
  root.loadSync([
    'google/cloud/aiplatform/v1/endpoint_service.proto',
    'google/cloud/aiplatform/v1/model_service.proto',
    'google/cloud/aiplatform/v1/index_service.proto',
    'google/cloud/aiplatform/v1/match_service.proto',
    'google/cloud/aiplatform/v1/deployment_resource_pool_service.proto',
    'google/cloud/aiplatform/v1beta1/endpoint_service.proto',
    'google/longrunning/operations.proto',
  ]);
  root.resolveAll();
  loaded = root;
  return root;
}

export function protoFile(relative: string): string {
  return join(VERTEX_PROTOS, relative);
}

/** Every `google.api.field_behavior` of a field. */
export function fieldBehaviors(field: protobuf.Field): string[] {
  const options = (field.parsedOptions ?? []) as Record<string, unknown>[];
  return options.flatMap((o) =>
    Object.entries(o)
      .filter(([k]) => k === '(google.api.field_behavior)')
      .map(([, v]) => String(v)),
  );
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

export interface JsonCheckOptions {
  /** Skip REQUIRED checks (an update whose mask names what it changes). */
  readonly partial?: boolean;
}

/** Problems of `value` as the JSON of `type`; empty when it is valid. */
export function jsonProblems(type: protobuf.Type, value: unknown, path: string, options: JsonCheckOptions = {}): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`Invalid value at '${path || type.name}' (type.googleapis.com/${type.fullName.slice(1)}), ${JSON.stringify(value)}: a JSON object is expected`];
  }
  const problems: string[] = [];
  const seenOneofs = new Map<string, string>();
  const object = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(object)) {
    const field = type.fields[camel(key)];
    const at = path ? `${path}.${snake(camel(key))}` : snake(camel(key));
    if (!field) {
      problems.push(`Invalid JSON payload received. Unknown name "${key}" at '${path || type.name}': Cannot find field.`);
      continue;
    }
    if (v === null) continue;
    if (field.partOf) {
      const other = seenOneofs.get(field.partOf.name);
      if (other) problems.push(`Invalid value at '${at}': oneof field '${field.partOf.name}' is already set (${other}).`);
      seenOneofs.set(field.partOf.name, field.name);
    }
    if (fieldBehaviors(field).includes('OUTPUT_ONLY')) problems.push(`'${at}' is output only: a request must not set it.`);
    problems.push(...fieldProblems(field, v, at, options));
  }
  if (!options.partial) {
    for (const field of type.fieldsArray) {
      if (!fieldBehaviors(field).includes('REQUIRED')) continue;
      const v = object[field.name] ?? object[snake(field.name)];
      const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
      if (empty) problems.push(`Required field '${path ? `${path}.` : ''}${snake(field.name)}' is missing.`);
    }
  }
  return problems;
}

function fieldProblems(field: protobuf.Field, value: unknown, at: string, options: JsonCheckOptions): string[] {
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`Invalid value at '${at}': a JSON object (map) is expected, got ${JSON.stringify(value)}`];
    const keyType = (field as unknown as protobuf.MapField).keyType;
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
      ...(keyType === 'string' || /^-?\d+$/.test(k) ? [] : [`Invalid map key at '${at}': ${JSON.stringify(k)} is not a ${keyType}`]),
      ...scalarOrMessage(field, v, `${at}[${JSON.stringify(k)}]`, options),
    ]);
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return [`Invalid value at '${at}': a JSON array is expected, got ${JSON.stringify(value)}`];
    // Embeddings are long lists of floats: a number needs no further look (nor a path built for it).
    const numeric = field.type === 'float' || field.type === 'double';
    const problems: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (numeric && typeof value[i] === 'number') continue;
      problems.push(...scalarOrMessage(field, value[i], `${at}[${i}]`, options));
    }
    return problems;
  }
  return scalarOrMessage(field, value, at, options);
}

function scalarOrMessage(field: protobuf.Field, value: unknown, at: string, options: JsonCheckOptions): string[] {
  const bad = (what: string) => [`Invalid value at '${at}' (${field.type}), ${JSON.stringify(value)}: ${what}`];
  const type = field.resolvedType;
  if (type instanceof protobuf.Enum) {
    if (typeof value === 'string') return value in type.values ? [] : bad(`not one of ${Object.keys(type.values).join(', ')}`);
    return typeof value === 'number' && Number.isInteger(value) ? [] : bad('an enum name or number is expected');
  }
  if (type instanceof protobuf.Type) return wellKnownProblems(type, value, at) ?? jsonProblems(type, value, at, options);
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? [] : bad('a string is expected');
    case 'bytes':
      return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value) ? [] : bad('base64 is expected');
    case 'bool':
      return typeof value === 'boolean' ? [] : bad('true or false is expected');
    case 'float':
    case 'double':
      return typeof value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(String(value)) ? [] : bad('a number is expected');
    default: {
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return bad('an integer is expected');
      if (INT32.has(field.type) && (n < -(2 ** 31) || n >= 2 ** 31)) return bad('out of int32 range');
      if (UINT32.has(field.type) && (n < 0 || n >= 2 ** 32)) return bad('out of uint32 range');
      if (INT64.has(field.type) || INT32.has(field.type) || UINT32.has(field.type)) return [];
      return bad(`unsupported scalar type ${field.type}`);
    }
  }
}

/** The well-known types have their own JSON forms; undefined for any other message. */
function wellKnownProblems(type: protobuf.Type, value: unknown, at: string): string[] | undefined {
  const bad = (what: string) => [`Invalid value at '${at}' (${type.fullName.slice(1)}), ${JSON.stringify(value)}: ${what}`];
  switch (type.fullName) {
    case '.google.protobuf.Duration':
      return typeof value === 'string' && /^-?\d+(\.\d{1,9})?s$/.test(value) ? [] : bad('a duration such as "3.5s" is expected');
    case '.google.protobuf.Timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? [] : bad('an RFC 3339 timestamp is expected');
    case '.google.protobuf.FieldMask':
      return typeof value === 'string' && /^([a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*)?(,[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*)*$/.test(value)
        ? []
        : bad('comma-separated lowerCamelCase field paths are expected');
    case '.google.protobuf.Struct':
      return typeof value === 'object' && !Array.isArray(value) ? [] : bad('a JSON object is expected');
    case '.google.protobuf.Value':
      return [];
    case '.google.protobuf.ListValue':
      return Array.isArray(value) ? [] : bad('a JSON array is expected');
    case '.google.protobuf.Empty':
      return typeof value === 'object' && value !== null && Object.keys(value).length === 0 ? [] : bad('{} is expected');
    default:
      return undefined;
  }
}
