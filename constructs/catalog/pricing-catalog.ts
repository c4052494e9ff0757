/**
 * The pricing catalog: on-demand list prices (USD) per cloud and region, every price with its
 * unit, source, the date it was checked, a tag ([V] vendor page or docs · [S] secondary ·
 * [U] unverified or derived) and, unless verified, a low/high range (price.ts). Reports print
 * source and date next to each line. The lists live in aws-price-lists.ts and gcp-price-lists.ts;
 * a user's own price file (load-tests/PRICES-FORMAT.md) is merged over them at run time.
 */
import { AWS_AP_NORTHEAST_1, AWS_EU_WEST_1, AWS_US_EAST_1 } from './aws-price-lists';
import { GCP_ASIA_NORTHEAST1, GCP_EUROPE_WEST4, GCP_US_CENTRAL1, vertexNodeKey } from './gcp-price-lists';
import { INSTANCE_SHAPES } from './instance-shapes';
import { PRICE_TAGS, type Price } from './price';

export { CATALOG_COMPILED_ON, DEFAULT_RANGE, HOURS_PER_MONTH, PRICE_TAGS, type Price, type PriceRange, type PriceTag, type PriceUnit } from './price';
export { AWS_AP_NORTHEAST_1, AWS_EU_WEST_1, AWS_US_EAST_1 } from './aws-price-lists';
export { GCP_ASIA_NORTHEAST1, GCP_EUROPE_WEST4, GCP_US_CENTRAL1, vertexNodeKey } from './gcp-price-lists';

export interface AwsPriceList {
  readonly cloud: 'aws';
  readonly region: string;
  /** SageMaker real-time inference, per instance-hour, by instance type. */
  readonly sagemakerInstances: Readonly<Record<string, Price>>;
  /** ElastiCache node-based clusters, per node-hour, by engine and node type. */
  readonly elasticacheNodes: { readonly valkey: Readonly<Record<string, Price>>; readonly redis: Readonly<Record<string, Price>> };
  readonly elasticacheServerless: {
    readonly valkey: { readonly data: Price; readonly ecpu: Price };
    readonly redis: { readonly data: Price; readonly ecpu: Price };
  };
  readonly opensearchServerlessOcu: Price;
  /** Aurora Serverless v2 (Aurora Standard) per ACU-hour: the pgvector database. */
  readonly auroraServerlessV2Acu: Price;
  readonly sqsStandardRequests: Price;
  readonly interfaceEndpoint: Price;
  readonly kmsKey: Price;
  readonly alarm: Price;
  readonly highResolutionAlarm: Price;
  /** ECS Fargate (Linux, x86-64, on demand) per vCPU-hour and per GB-hour: the load generator fleet. */
  readonly fargateVcpu: Price;
  readonly fargateMemory: Price;
  /** Lambda (x86-64) per million requests and per GB-second: the embedding-refresh worker. */
  readonly lambdaRequests: Price;
  readonly lambdaMemory: Price;
  /** SQS FIFO queues per million requests: the embedding-refresh source queue. */
  readonly sqsFifoRequests: Price;
}

export interface GcpPriceList {
  readonly cloud: 'gcp';
  readonly region: string;
  /** Vertex AI prediction nodes (custom-trained models), per node-hour, by `vertexNodeKey`. */
  readonly vertexPredictionNodes: Readonly<Record<string, Price>>;
  /** Memorystore for Valkey (and Redis Cluster, same node types) per node-hour. */
  readonly memorystoreNodes: Readonly<Record<string, Price>>;
  /** Vertex AI Vector Search serving nodes per node-hour, by machine type. */
  readonly vectorSearchNodes: Readonly<Record<string, Price>>;
  readonly vectorSearchBuild: Price;
  /** AlloyDB per vCPU-hour, with the 8 GB of memory an N2 machine has per vCPU: the pgvector database. */
  readonly alloydbVcpu: Price;
  readonly pubsubDelivery: Price;
  readonly pscEndpoint: Price;
  readonly kmsKeyVersion: Price;
  readonly alertCondition: Price;
  /** Cloud Run jobs per vCPU-hour and per GiB-hour while a task runs: the load generator fleet. */
  readonly cloudRunJobVcpu: Price;
  readonly cloudRunJobMemory: Price;
  /** Cloud Run services (and Cloud Functions 2nd gen, which run on them), request-based billing: the embedding-refresh worker. */
  readonly cloudRunRequests: Price;
  readonly cloudRunServiceVcpu: Price;
  readonly cloudRunServiceMemory: Price;
}

/** A price list in which any price may be missing: what the cost model reads once a user's price file is merged in. */
export type SomePrices<T> = { readonly [K in keyof T]?: T[K] extends Price ? Price : SomePrices<T[K]> };
export type AwsPrices = Pick<AwsPriceList, 'cloud' | 'region'> & SomePrices<Omit<AwsPriceList, 'cloud' | 'region'>>;
export type GcpPrices = Pick<GcpPriceList, 'cloud' | 'region'> & SomePrices<Omit<GcpPriceList, 'cloud' | 'region'>>;
export type PriceList = AwsPrices | GcpPrices;

export interface PricingCatalog {
  readonly aws: readonly AwsPrices[];
  readonly gcp: readonly GcpPrices[];
  /** The user's price file merged over the shipped catalog, when there is one, and the regions it prices. */
  readonly priceFile?: { readonly path: string; readonly regions: { readonly aws: readonly string[]; readonly gcp: readonly string[] } };
}

export const PRICING_CATALOG: PricingCatalog = {
  aws: [AWS_US_EAST_1, AWS_EU_WEST_1, AWS_AP_NORTHEAST_1],
  gcp: [GCP_US_CENTRAL1, GCP_EUROPE_WEST4, GCP_ASIA_NORTHEAST1],
};

export function awsPriceList(region: string, catalog: PricingCatalog = PRICING_CATALOG): AwsPrices | undefined {
  return catalog.aws.find((l) => l.region === region);
}

export function gcpPriceList(region: string, catalog: PricingCatalog = PRICING_CATALOG): GcpPrices | undefined {
  return catalog.gcp.find((l) => l.region === region);
}

export function isPrice(value: unknown): value is Price {
  return !!value && typeof value === 'object' && 'usd' in value && 'unit' in value;
}

/** Every price of a list with its path, e.g. `sagemakerInstances.ml.m5.xlarge`. */
export function pricesOf(list: PriceList): { path: string; price: Price }[] {
  const out: { path: string; price: Price }[] = [];
  const walk = (value: unknown, path: string) => {
    if (isPrice(value)) out.push({ path, price: value });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(list, '');
  return out;
}

/**
 * Why a price list cannot be shipped: a price without a finite non-negative amount, a unit, a
 * source, a checkedOn date, a tag, (for [U]) the note saying how it was derived, or (for [S] and
 * [U]) a range that holds it.
 */
export function priceListProblems(list: PriceList): string[] {
  const problems: string[] = [];
  for (const { path, price: p } of pricesOf(list)) {
    const at = `${list.cloud} ${list.region} ${path}`;
    if (typeof p.usd !== 'number' || !Number.isFinite(p.usd) || p.usd < 0) problems.push(`${at}: usd must be a finite number >= 0, got ${p.usd}`);
    if (!p.unit) problems.push(`${at}: unit is missing`);
    if (typeof p.source !== 'string' || p.source.trim() === '') problems.push(`${at}: source is missing`);
    else if (/shared\/|\.\.\//.test(p.source)) problems.push(`${at}: source must be a public URL or a public repository file, got ${JSON.stringify(p.source)}`);
    if (typeof p.checkedOn !== 'string' || !/^\d{4}(-\d{2}){0,2}$/.test(p.checkedOn)) {
      problems.push(`${at}: checkedOn must be a date (YYYY-MM-DD, YYYY-MM or YYYY), got ${JSON.stringify(p.checkedOn)}`);
    }
    if (!(PRICE_TAGS as readonly string[]).includes(p.tag)) problems.push(`${at}: tag must be one of ${PRICE_TAGS.join(', ')}, got ${JSON.stringify(p.tag)}`);
    if (p.tag === 'U' && !p.note) problems.push(`${at}: an unverified [U] price needs a note saying how it was derived`);
    if (p.tag !== 'V' && !(typeof p.low === 'number' && typeof p.high === 'number' && p.low <= p.usd && p.usd <= p.high)) {
      problems.push(`${at}: an unverified [${p.tag}] price needs low <= usd <= high, got low ${p.low}, usd ${p.usd}, high ${p.high}`);
    }
  }
  return problems;
}

/** Instance types and Vertex nodes of the shape catalog that a price list does not price, each once. */
export function unpricedShapes(list: PriceList): string[] {
  const unpriced =
    list.cloud === 'aws'
      ? INSTANCE_SHAPES.map((s) => s.aws.instanceType).filter((t) => !list.sagemakerInstances?.[t])
      : INSTANCE_SHAPES.map((s) => vertexNodeKey(s.gcp.machineType, s.gcp.acceleratorType, s.gcp.acceleratorCount)).filter((k) => !list.vertexPredictionNodes?.[k]);
  return [...new Set(unpriced)];
}
