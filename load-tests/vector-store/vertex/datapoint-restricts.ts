/**
 * Vector Search filtering (https://cloud.google.com/vertex-ai/docs/vector-search/filtering):
 * a query's restricts are an AND across namespaces and an OR within one; a token on a query's deny
 * list excludes every datapoint carrying it, and a namespace with only deny tokens lets everything
 * else through, as an absent namespace does. A token on a datapoint's deny list excludes it from
 * queries that ask for that token. Numeric restricts compare the datapoint's value in a namespace
 * with the query's by the query's operator; a datapoint without a value in that namespace is
 * excluded, since it cannot satisfy the comparison.
 */

/** IndexDatapoint.Restriction in REST JSON. */
export interface RestrictionJson {
  readonly namespace?: string;
  readonly allowList?: readonly string[];
  readonly denyList?: readonly string[];
}

/** IndexDatapoint.NumericRestriction in REST JSON: int64 arrives as a string or a number, the operator as a name or a number. */
export interface NumericRestrictionJson {
  readonly namespace?: string;
  readonly valueInt?: string | number;
  readonly valueFloat?: number | string;
  readonly valueDouble?: number | string;
  readonly op?: string | number;
}

/** IndexDatapoint.NumericRestriction.Operator, by name and by number (index.proto). */
const OPERATORS = ['OPERATOR_UNSPECIFIED', 'LESS', 'LESS_EQUAL', 'EQUAL', 'GREATER_EQUAL', 'GREATER', 'NOT_EQUAL'] as const;
export type NumericOperator = Exclude<(typeof OPERATORS)[number], 'OPERATOR_UNSPECIFIED'>;

/** What filtering needs of a stored datapoint. */
export interface DatapointAttributes {
  readonly tokens: ReadonlyMap<string, { readonly allow: ReadonlySet<string>; readonly deny: ReadonlySet<string> }>;
  readonly numbers: ReadonlyMap<string, number>;
}

export interface QueryRestricts {
  readonly tokens: readonly { readonly namespace: string; readonly allow: readonly string[]; readonly deny: readonly string[] }[];
  readonly numbers: readonly { readonly namespace: string; readonly op: NumericOperator; readonly value: number }[];
}

export function numericValue(r: NumericRestrictionJson): number | undefined {
  const raw = r.valueInt ?? r.valueFloat ?? r.valueDouble;
  return raw === undefined ? undefined : Number(raw);
}

export function operatorName(op: string | number | undefined): (typeof OPERATORS)[number] | undefined {
  if (op === undefined) return 'OPERATOR_UNSPECIFIED';
  if (typeof op === 'number') return OPERATORS[op];
  return (OPERATORS as readonly string[]).includes(op) ? (op as (typeof OPERATORS)[number]) : undefined;
}

/** A datapoint's restricts as a lookup; problems (duplicate namespaces, an operator on a datapoint) come back as messages. */
export function datapointAttributes(
  restricts: readonly RestrictionJson[] = [],
  numericRestricts: readonly NumericRestrictionJson[] = [],
): { attributes: DatapointAttributes; problems: string[] } {
  const problems: string[] = [];
  const tokens = new Map<string, { allow: Set<string>; deny: Set<string> }>();
  for (const r of restricts) {
    const namespace = r.namespace ?? '';
    if (tokens.has(namespace)) problems.push(`restricts: namespace "${namespace}" appears more than once; list every token of a namespace in one restriction`);
    tokens.set(namespace, { allow: new Set(r.allowList ?? []), deny: new Set(r.denyList ?? []) });
  }
  const numbers = new Map<string, number>();
  for (const r of numericRestricts) {
    const namespace = r.namespace ?? '';
    if (numbers.has(namespace)) problems.push(`numericRestricts: namespace "${namespace}" appears more than once; a datapoint has one value per namespace`);
    if (operatorName(r.op) !== 'OPERATOR_UNSPECIFIED') problems.push(`numericRestricts: namespace "${namespace}" sets op ${JSON.stringify(r.op)}; an operator belongs in a query, not in a datapoint`);
    const value = numericValue(r);
    if (value === undefined || Number.isNaN(value)) problems.push(`numericRestricts: namespace "${namespace}" has no valueInt, valueFloat or valueDouble`);
    else numbers.set(namespace, value);
  }
  return { attributes: { tokens, numbers }, problems };
}

/** A query's restricts, or the problems that make it unusable (a numeric restrict without an operator or value). */
export function queryRestricts(
  restricts: readonly RestrictionJson[] = [],
  numericRestricts: readonly NumericRestrictionJson[] = [],
): { restricts: QueryRestricts; problems: string[] } {
  const problems: string[] = [];
  const numbers: { namespace: string; op: NumericOperator; value: number }[] = [];
  for (const r of numericRestricts) {
    const namespace = r.namespace ?? '';
    const op = operatorName(r.op);
    const value = numericValue(r);
    if (op === undefined || op === 'OPERATOR_UNSPECIFIED') {
      problems.push(`numericRestricts: namespace "${namespace}" needs op, one of ${OPERATORS.slice(1).join(', ')}; got ${JSON.stringify(r.op)}`);
    } else if (value === undefined || Number.isNaN(value)) {
      problems.push(`numericRestricts: namespace "${namespace}" needs one of valueInt, valueFloat, valueDouble`);
    } else {
      numbers.push({ namespace, op, value });
    }
  }
  const tokens = restricts.map((r) => ({ namespace: r.namespace ?? '', allow: r.allowList ?? [], deny: r.denyList ?? [] }));
  return { restricts: { tokens, numbers }, problems };
}

export function hasRestricts(query: QueryRestricts): boolean {
  return query.tokens.length > 0 || query.numbers.length > 0;
}

export function matchesRestricts(point: DatapointAttributes, query: QueryRestricts): boolean {
  for (const q of query.tokens) {
    const own = point.tokens.get(q.namespace);
    if (q.deny.some((t) => own?.allow.has(t))) return false;
    if (q.allow.length === 0) continue;
    if (!q.allow.some((t) => own?.allow.has(t))) return false;
    if (q.allow.some((t) => own?.deny.has(t))) return false;
  }
  for (const q of query.numbers) {
    const v = point.numbers.get(q.namespace);
    if (v === undefined || !compare(v, q.op, q.value)) return false;
  }
  return true;
}

function compare(v: number, op: NumericOperator, q: number): boolean {
  switch (op) {
    case 'LESS':
      return v < q;
    case 'LESS_EQUAL':
      return v <= q;
    case 'EQUAL':
      return v === q;
    case 'GREATER_EQUAL':
      return v >= q;
    case 'GREATER':
      return v > q;
    case 'NOT_EQUAL':
      return v !== q;
  }
}
