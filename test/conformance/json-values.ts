/** Reading untyped JSON (CloudFormation properties, Pulumi inputs) without `any`. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one. */
export function objectAt(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** The array at `value`, or an empty one. */
export function arrayAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** `value.a.b.c`, following objects only. */
export function pathAt(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), value);
}

/** Counts are compared as percentages and ratios; two decimals are all a spec can ask for. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** `<topology>-<environment>-x` → `x`: the name the spec gave, as both clouds prefix it. */
export function specName(cloudName: string, scope: FactScope): string {
  const prefix = `${scope.name}-${scope.environment}-`;
  return cloudName.startsWith(prefix) ? cloudName.slice(prefix.length) : cloudName;
}

/** Which topology an output realises: every resource name starts with its name and environment. */
export interface FactScope {
  readonly name: string;
  readonly environment: string;
}
