/**
 * A user's own price list (negotiated rates, or a region the catalog lacks) as JSON, validated
 * and merged over the shipped catalog: each price it names replaces the catalog's, the rest stay.
 * The format is documented in load-tests/PRICES-FORMAT.md.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatPath, issueProblem, valueAtPath } from '../../constructs/spec/parse-topology';
import { price, PRICE_TAGS, type Price, type PriceUnit } from '../../constructs/catalog/price';
import {
  PRICING_CATALOG,
  type AwsPrices,
  type GcpPrices,
  type PriceList,
  type PricingCatalog,
} from '../../constructs/catalog/pricing-catalog';
import { formatProblems, type TopologyProblem } from '../../constructs/spec/topology-error';

export const PRICE_FILE_FORMAT_VERSION = 1;

const date = z.string().regex(/^\d{4}(-\d{2}){0,2}$/, 'a date: YYYY-MM-DD, YYYY-MM or YYYY');
const usd = z.number().min(0);

const entry = z.union([
  usd,
  z
    .strictObject({
      usd,
      source: z.string().min(1).optional(),
      checkedOn: date.optional(),
      tag: z.enum(PRICE_TAGS).optional(),
      note: z.string().min(1).optional(),
      low: usd.optional(),
      high: usd.optional(),
    })
    .refine((e) => (e.low ?? e.usd) <= e.usd && e.usd <= (e.high ?? e.usd), { message: 'needs low <= usd <= high' }),
]);
type Entry = z.infer<typeof entry>;

const byKey = (key: z.ZodString) => z.record(key, entry);
const INSTANCE = z.string().regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/, 'a SageMaker instance type such as ml.g6.xlarge');
const CACHE_NODE = z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'an ElastiCache node type such as cache.r7g.large');
const ANY_KEY = z.string().min(1);

const serverlessEngine = z.strictObject({ data: entry.optional(), ecpu: entry.optional() });
const awsRegion = z.strictObject({
  sagemakerInstances: byKey(INSTANCE).optional(),
  elasticacheNodes: z.strictObject({ valkey: byKey(CACHE_NODE).optional(), redis: byKey(CACHE_NODE).optional() }).optional(),
  elasticacheServerless: z.strictObject({ valkey: serverlessEngine.optional(), redis: serverlessEngine.optional() }).optional(),
  opensearchServerlessOcu: entry.optional(),
  auroraServerlessV2Acu: entry.optional(),
  sqsStandardRequests: entry.optional(),
  interfaceEndpoint: entry.optional(),
  kmsKey: entry.optional(),
  alarm: entry.optional(),
  highResolutionAlarm: entry.optional(),
  fargateVcpu: entry.optional(),
  fargateMemory: entry.optional(),
  lambdaRequests: entry.optional(),
  lambdaMemory: entry.optional(),
  sqsFifoRequests: entry.optional(),
});
const gcpRegion = z.strictObject({
  vertexPredictionNodes: byKey(ANY_KEY).optional(),
  memorystoreNodes: byKey(z.string().regex(/^[A-Z0-9_]+$/, 'a Memorystore node type such as STANDARD_SMALL')).optional(),
  vectorSearchNodes: byKey(ANY_KEY).optional(),
  vectorSearchBuild: entry.optional(),
  alloydbVcpu: entry.optional(),
  pubsubDelivery: entry.optional(),
  pscEndpoint: entry.optional(),
  kmsKeyVersion: entry.optional(),
  alertCondition: entry.optional(),
  cloudRunJobVcpu: entry.optional(),
  cloudRunJobMemory: entry.optional(),
  cloudRunRequests: entry.optional(),
  cloudRunServiceVcpu: entry.optional(),
  cloudRunServiceMemory: entry.optional(),
});

export const priceFileSchema = z.strictObject({
  formatVersion: z.literal(PRICE_FILE_FORMAT_VERSION),
  /** Where the prices come from (a contract, a quote, a page): every entry's source unless it names its own. */
  source: z.string().min(1),
  /** When they were agreed or checked: every entry's date unless it names its own. */
  checkedOn: date,
  /** The tag of every entry that names none: V (the user vouches for the rate) unless said otherwise. */
  tag: z.enum(PRICE_TAGS).default('V'),
  aws: z.record(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as eu-west-1'), awsRegion).optional(),
  gcp: z.record(z.string().regex(/^[a-z]+-[a-z]+\d+$/, 'a GCP region such as europe-west4'), gcpRegion).optional(),
});
export type PriceFile = z.infer<typeof priceFileSchema>;

/** The unit each price of a list is in, by its category (the first segment of its path). */
const UNITS: Readonly<Record<string, PriceUnit | Readonly<Record<string, PriceUnit>>>> = {
  sagemakerInstances: 'instance-hour',
  elasticacheNodes: 'node-hour',
  elasticacheServerless: { data: 'GB-hour', ecpu: 'million ECPUs' },
  opensearchServerlessOcu: 'OCU-hour',
  auroraServerlessV2Acu: 'ACU-hour',
  sqsStandardRequests: 'million requests',
  interfaceEndpoint: 'endpoint-AZ-hour',
  kmsKey: 'key-month',
  alarm: 'alarm-month',
  highResolutionAlarm: 'alarm-month',
  vertexPredictionNodes: 'node-hour',
  memorystoreNodes: 'node-hour',
  vectorSearchNodes: 'node-hour',
  vectorSearchBuild: 'GiB built',
  alloydbVcpu: 'vCPU-hour',
  pubsubDelivery: 'TiB delivered',
  pscEndpoint: 'endpoint-hour',
  kmsKeyVersion: 'key-version-month',
  alertCondition: 'condition-month',
  fargateVcpu: 'vCPU-hour',
  fargateMemory: 'GB-hour',
  lambdaRequests: 'million requests',
  lambdaMemory: 'GB-hour',
  sqsFifoRequests: 'million requests',
  cloudRunJobVcpu: 'vCPU-hour',
  cloudRunJobMemory: 'GiB-hour',
  cloudRunRequests: 'million requests',
  cloudRunServiceVcpu: 'vCPU-hour',
  cloudRunServiceMemory: 'GiB-hour',
};

function unitAt(path: readonly string[]): PriceUnit {
  const unit = UNITS[path[0]];
  return typeof unit === 'string' ? unit : unit[path[path.length - 1]];
}

export class PriceFileError extends Error {
  override readonly name = 'PriceFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly TopologyProblem[],
  ) {
    super(formatProblems(`--prices ${file}`, problems));
  }
}

/** Reads, validates and merges a price file over `catalog`. */
export function loadPriceFile(path: string, catalog: PricingCatalog = PRICING_CATALOG): PricingCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `not valid JSON (${e.message})` : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new PriceFileError(path, [{ path: '', message: reason }]);
  }
  return mergePriceFile(parsePriceFile(json, path), path, catalog);
}

export function parsePriceFile(json: unknown, path: string): PriceFile {
  const result = priceFileSchema.safeParse(json);
  if (result.success) return result.data;
  throw new PriceFileError(
    path,
    result.error.issues.map((issue) =>
      issue.code === 'invalid_union'
        ? {
            path: formatPath(issue.path),
            value: valueAtPath(json, issue.path),
            message: 'must be a price: a number (USD per unit) or an object with usd and optional source, checkedOn, tag, note, low, high',
          }
        : issueProblem(issue, json, priceFileSchema),
    ),
  );
}

/** The catalog with the file's prices in place of the catalog's; a region only the file prices gets a list of its own. */
export function mergePriceFile(file: PriceFile, path: string, catalog: PricingCatalog = PRICING_CATALOG): PricingCatalog {
  const problems: TopologyProblem[] = [];
  const toPrice = (e: Entry, at: readonly string[]): Price => {
    const fields = typeof e === 'number' ? { usd: e } : e;
    const tag = fields.tag ?? file.tag;
    if (tag === 'U' && !fields.note) problems.push({ path: formatPath(at), message: 'an unverified [U] price needs a note saying how it was derived' });
    const range = fields.low !== undefined || fields.high !== undefined ? { low: fields.low ?? fields.usd, high: fields.high ?? fields.usd } : undefined;
    return price(fields.usd, unitAt(at.slice(2)), tag, fields.source ?? file.source, fields.checkedOn ?? file.checkedOn, { note: fields.note, range });
  };
  const overlay = (base: unknown, patch: unknown, at: readonly string[]): unknown => {
    if (typeof patch === 'number' || (typeof patch === 'object' && patch !== null && 'usd' in patch)) return toPrice(patch as Entry, at);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown> | undefined) };
    for (const [key, value] of Object.entries(patch as Record<string, unknown>)) out[key] = overlay(out[key], value, [...at, key]);
    return out;
  };
  const merge = <L extends PriceList>(cloud: L['cloud'], lists: readonly L[], patches: Readonly<Record<string, unknown>> | undefined): L[] => {
    const merged = new Map(lists.map((l) => [l.region, l]));
    for (const [region, patch] of Object.entries(patches ?? {})) {
      merged.set(region, overlay(merged.get(region) ?? { cloud, region }, patch, [cloud, region]) as L);
    }
    return [...merged.values()];
  };
  const next: PricingCatalog = {
    aws: merge<AwsPrices>('aws', catalog.aws, file.aws),
    gcp: merge<GcpPrices>('gcp', catalog.gcp, file.gcp),
    priceFile: { path, regions: { aws: Object.keys(file.aws ?? {}), gcp: Object.keys(file.gcp ?? {}) } },
  };
  if (problems.length > 0) throw new PriceFileError(path, problems);
  return next;
}
