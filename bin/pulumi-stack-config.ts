/**
 * What the Pulumi CLI does with `Pulumi.yaml` and `Pulumi.<stack>.yaml` before it starts the
 * program, reproduced from its source (pulumi/pulumi at 1b5949891b3c, August 2026):
 *
 * - sdk/go/common/workspace/loaders.go: `LoadProjectBytes` (shorthand rewrite, then
 *   `Project.Validate`), `LoadProjectStackBytes` (`stackConfigNamespacedWithProject`);
 * - sdk/go/common/workspace/project.go: `RewriteShorthandConfigValues`, `Project.Validate`,
 *   `ValidateConfigValue`;
 * - sdk/go/common/resource/config/key.go: `ParseKey`;
 * - pkg/workspace/config.go: `mergeConfig`, `validateStackConfigValues`,
 *   `missingStackConfigurationKeysError`.
 *
 * Error messages are the CLI's, word for word, so a test can show what a user would see, and
 * `serving-stacks plan --cloud gcp --stack NAME` reads a stack's config exactly as `pulumi preview`
 * would hand it to the program.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ProjectConfigType {
  readonly type?: string;
  readonly description?: string;
  readonly items?: { readonly type: string };
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret?: boolean;
}

export interface PulumiProject {
  readonly name: string;
  readonly config: Readonly<Record<string, ProjectConfigType>>;
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** `configKeyIsNamespacedByProject` */
function namespacedByProject(projectName: string, key: string): boolean {
  return !key.includes(':') || key.startsWith(`${projectName}:`);
}

/** `ValidateConfigValue` for the scalar types and arrays of them. */
export function validConfigValue(type: string, items: { readonly type: string } | undefined, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^[+-]?\d+$/.test(value));
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return Array.isArray(value) && items !== undefined && value.every((v) => validConfigValue(items.type, undefined, v));
  }
}

/** `LoadProjectBytes`: the shorthand rewrite, then `Project.Validate`. */
export function loadProject(text: string): PulumiProject {
  const raw = parse(text) as { name?: string; config?: Record<string, unknown> };
  if (!raw?.name) throw new Error("project is missing a 'name' attribute");
  const config: Record<string, ProjectConfigType> = {};
  for (const [key, value] of Object.entries(raw.config ?? {})) {
    // Shorthand: a project key's bare value is its default; another namespace's is its value.
    if (isPrimitive(value) || Array.isArray(value)) config[key] = namespacedByProject(raw.name, key) ? { default: value } : { value };
    else config[key] = value as ProjectConfigType;
  }
  for (const [key, c] of Object.entries(config)) {
    if (c.default !== undefined && c.value !== undefined) throw new Error(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    if (namespacedByProject(raw.name, key)) {
      if (c.type === 'array' && !c.items) {
        throw new Error(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
      }
      if (c.type !== undefined && c.default !== undefined && !validConfigValue(c.type, c.items, c.default)) {
        throw new Error(`The default value specified for configuration key '${key}' is not of the expected type '${c.items ? `array<${c.items.type}>` : c.type}'`);
      }
    } else {
      if (c.type !== undefined) throw new Error(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
      if (c.default !== undefined) {
        throw new Error(
          `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
        );
      }
      if (c.value === undefined) throw new Error(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
    }
  }
  return { name: raw.name, config };
}

/** A stack's scalar config values are strings (`config.Value`; `createConfigValue` for project defaults). */
function asConfigValue(value: unknown): unknown {
  return isPrimitive(value) ? String(value) : value;
}

/** `ParseKey`: `<namespace>:<name>`, or the old `<namespace>:config:<name>`. */
export function parseConfigKey(key: string): { namespace: string; name: string } {
  const parts = key.split(':');
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && parts[1] === 'config') return { namespace: parts[0], name: parts[2] };
  throw new Error(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
}

/** `LoadProjectStackBytes`: the stack file's config, keys without a namespace given the project's. */
export function loadStackConfig(project: PulumiProject, text: string): Map<string, unknown> {
  const raw = parse(text) as { config?: Record<string, unknown> } | null;
  const config = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw?.config ?? {})) {
    const namespaced = key.includes(':') ? key : `${project.name}:${key}`;
    parseConfigKey(namespaced);
    config.set(namespaced, asConfigValue(value));
  }
  return config;
}

/** `formatMissingKeys` and `missingStackConfigurationKeysError`. */
function missingKeysError(stack: string, keys: string[]): Error {
  const sorted = [...keys].sort();
  const list =
    sorted.length === 1
      ? `'${sorted[0]}'`
      : sorted.map((k, i) => (i === sorted.length - 1 ? `and '${k}'` : i === sorted.length - 2 ? `'${k}' ` : `'${k}', `)).join('');
  return new Error(`Stack '${stack}' is missing configuration ${sorted.length > 1 ? 'values' : 'value'} ${list}`);
}

/**
 * `mergeConfig` with validation on (what `pulumi preview` and `pulumi up` run): project values and
 * defaults fill what the stack leaves unset; a project key with neither, unset by the stack, is
 * missing; typed keys are checked against the stack's values. Returns the config the program sees.
 */
export function mergeStackConfig(stack: string, project: PulumiProject, stackConfig: ReadonlyMap<string, unknown>): Map<string, unknown> {
  const merged = new Map(stackConfig);
  const missing: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const c = project.config[key];
    const full = key.includes(':') ? key : `${project.name}:${key}`;
    const { namespace } = parseConfigKey(full);
    if (merged.has(full)) continue;
    const hasValue = c.value !== undefined;
    const hasDefault = c.default !== undefined;
    if (!hasValue && !hasDefault && namespace === project.name) missing.push(key);
    else if (hasValue || hasDefault) merged.set(full, asConfigValue(hasDefault ? c.default : c.value));
  }
  if (missing.length > 0) throw missingKeysError(stack, missing);
  for (const key of Object.keys(project.config).sort()) {
    const c = project.config[key];
    const full = key.includes(':') ? key : `${project.name}:${key}`;
    if (c.type === undefined || !merged.has(full)) continue;
    if (!validConfigValue(c.type, c.items, merged.get(full))) {
      throw new Error(`Stack '${stack}' with configuration key '${key}' must be of type '${c.items ? `array<${c.items.type}>` : c.type}'`);
    }
  }
  return merged;
}

/** The stacks that have a `Pulumi.<stack>.yaml` beside `Pulumi.yaml` in `root`. */
export function stackNames(root: string): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/**
 * The config a stack's program sees: `Pulumi.yaml` in `root` merged with `Pulumi.<stack>.yaml`
 * (or `.yml`), as the CLI merges them. Throws the CLI's own message when the merge fails.
 */
export function readStackConfig(root: string, stack: string): Map<string, unknown> {
  const file = ['yaml', 'yml'].map((ext) => join(root, `Pulumi.${stack}.${ext}`)).find((f) => existsSync(f));
  if (!file) throw new Error(`no stack file Pulumi.${stack}.yaml in ${root}; stacks here: ${stackNames(root).join(', ') || 'none'}`);
  const project = loadProject(readFileSync(join(root, 'Pulumi.yaml'), 'utf8'));
  return mergeStackConfig(stack, project, loadStackConfig(project, readFileSync(file, 'utf8')));
}
