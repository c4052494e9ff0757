/**
 * The pricing catalog: on-demand list prices (USD) per cloud and region, every price with its
 * unit, source, the date it was checked and a tag from ../shared/reference/pricing.md:
 * [V] vendor pricing page or docs · [S] secondary (third-party constants, blog, guide) ·
 * [U] unverified or derived (the note says how). Reports print source and date next to each line.
 *
 * Where pricing.md has no price for something the topology uses, the price is derived here in
 * code from prices that are in it (the note gives the arithmetic), or, failing that, recalled
 * from the vendor's page and marked [U] for re-checking. Re-check every [S]/[U] price on the
 * vendor pages pricing.md lists before quoting a number.
 */
import { INSTANCE_SHAPES } from './instance-shapes';

export const PRICE_TAGS = ['V', 'S', 'U'] as const;
export type PriceTag = (typeof PRICE_TAGS)[number];

export type PriceUnit =
  | 'instance-hour'
  | 'node-hour'
  | 'GB-hour'
  | 'million ECPUs'
  | 'OCU-hour'
  | 'GiB built'
  | 'million requests'
  | 'TiB delivered'
  | 'key-month'
  | 'key-version-month'
  | 'alarm-month'
  | 'condition-month'
  | 'endpoint-AZ-hour'
  | 'endpoint-hour';

export interface Price {
  readonly usd: number;
  readonly unit: PriceUnit;
  /** A URL, or `owner/repo path` for a file in a public repository. */
  readonly source: string;
  /** When the price was checked against its source: YYYY-MM-DD, or YYYY-MM where the source gives only a month. */
  readonly checkedOn: string;
  readonly tag: PriceTag;
  /** How a derived price was computed, or what conflicts with it. Required for [U]. */
  readonly note?: string;
}

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
  readonly sqsStandardRequests: Price;
  readonly interfaceEndpoint: Price;
  readonly kmsKey: Price;
  readonly alarm: Price;
  readonly highResolutionAlarm: Price;
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
  readonly pubsubDelivery: Price;
  readonly pscEndpoint: Price;
  readonly kmsKeyVersion: Price;
  readonly alertCondition: Price;
}

export type PriceList = AwsPriceList | GcpPriceList;

/** The key of a Vertex prediction node: the machine type, plus its accelerators when it has some. */
export function vertexNodeKey(machineType: string, acceleratorType?: string, acceleratorCount = 0): string {
  return acceleratorType && acceleratorCount > 0 ? `${machineType} + ${acceleratorCount} × ${acceleratorType}` : machineType;
}

/** The date this catalog was compiled from pricing.md and the sources it cites. */
export const CATALOG_COMPILED_ON = '2026-11-25';

const PRICING_MD = '../shared/reference/pricing.md';
const FMBENCH = 'aws-samples/foundation-model-benchmarking-tool fmbench/configs/pricing.yml@f92381d';
const GCP_CONSTANTS = 'third-party GCP pricing-constants file on GitHub, cited in pricing.md (origin repo not pinned)';

function price(usd: number, unit: PriceUnit, tag: PriceTag, source: string, checkedOn: string, note?: string): Price {
  return { usd, unit, tag, source, checkedOn, note };
}

/** A price derived in code; always [U], with the arithmetic in the note and what it starts from in the source. */
function derived(usd: number, unit: PriceUnit, note: string, source = PRICING_MD): Price {
  return { usd: Math.round(usd * 10_000) / 10_000, unit, tag: 'U', source, checkedOn: CATALOG_COMPILED_ON, note };
}

const GCE_PRICING_RECALLED = `cloud.google.com/compute/vm-instance-pricing (recalled) with ${PRICING_MD}`;

// --- AWS us-east-1 --------------------------------------------------------------------------

const ML_M5_XLARGE = price(0.23, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON, 'zircon.tech blog (2025-10) says 0.269 (pricing.md)');

/** ElastiCache for Redis OSS r6g.large ≈ 0.25 $/h [U] (pricing.md, one blog), 13.07 GiB: the per-GiB rate nodes are derived from. */
const ELASTICACHE_REDIS_PER_GIB_HOUR = 0.25 / 13.07;
/** "Valkey ~20 % below Redis OSS" (pricing.md). */
const VALKEY_DISCOUNT = 0.8;

/** ElastiCache node memory (GiB), cache-shapes.ts. */
const ELASTICACHE_NODE_GIB: Readonly<Record<string, number>> = {
  'cache.t4g.small': 1.37,
  'cache.t4g.medium': 3.09,
  'cache.r7g.large': 13.07,
  'cache.r7g.xlarge': 26.32,
  'cache.r7g.2xlarge': 52.82,
};

function elasticacheNodes(discount: number, engine: string): Record<string, Price> {
  return Object.fromEntries(
    Object.entries(ELASTICACHE_NODE_GIB).map(([type, gib]) => [
      type,
      derived(
        gib * ELASTICACHE_REDIS_PER_GIB_HOUR * discount,
        'node-hour',
        `${engine}: ${gib} GiB × (Redis OSS cache.r6g.large 0.25 $/h ÷ 13.07 GiB)${discount !== 1 ? ` × ${discount} (Valkey ~20 % below Redis OSS)` : ''}`,
      ),
    ]),
  );
}

export const AWS_US_EAST_1: AwsPriceList = {
  cloud: 'aws',
  region: 'us-east-1',
  sagemakerInstances: {
    'ml.m5.large': price(0.115, 'instance-hour', 'S', 'JHUAPL-DTC-TA2/wiki docs/sagemaker_instances.md (undated)', CATALOG_COMPILED_ON),
    'ml.m5.xlarge': ML_M5_XLARGE,
    'ml.m5.2xlarge': derived(2 * ML_M5_XLARGE.usd, 'instance-hour', '2 × ml.m5.xlarge: SageMaker prices scale with size within a family (FMBench: c5.xlarge 0.204, 2xlarge 0.408, 4xlarge 0.816)'),
    'ml.m5.4xlarge': derived(4 * ML_M5_XLARGE.usd, 'instance-hour', '4 × ml.m5.xlarge, linear within the family as above'),
    'ml.g4dn.xlarge': price(0.7364, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON),
    'ml.g6.xlarge': price(1.127, 'instance-hour', 'S', 'third-party code constants cited in pricing.md (1.127 / 1.1267 / 1.13)', CATALOG_COMPILED_ON),
    'ml.g6.2xlarge': price(1.222, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON),
    'ml.g6.12xlarge': price(5.752, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON),
    'ml.g5.xlarge': price(1.4084, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON, 'wring.co blog says 1.21 (pricing.md)'),
    'ml.p4d.24xlarge': price(37.688, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON),
    'ml.p5.48xlarge': price(113.068, 'instance-hour', 'S', FMBENCH, CATALOG_COMPILED_ON, 'another FMBench config says 98.32'),
  },
  elasticacheNodes: { valkey: elasticacheNodes(VALKEY_DISCOUNT, 'Valkey'), redis: elasticacheNodes(1, 'Redis OSS') },
  elasticacheServerless: {
    valkey: {
      data: price(0.084, 'GB-hour', 'S', 'usage.ai citing AWS (pricing.md)', '2026-06', 'minimum 100 MB of data [V] (AWS pricing page)'),
      ecpu: price(0.0023, 'million ECPUs', 'S', 'usage.ai citing AWS (pricing.md)', '2026-06', '1 ECPU per KB read or written [V]'),
    },
    redis: {
      data: price(0.125, 'GB-hour', 'S', 'AWS Database Blog example; Momento blog (pricing.md)', '2024-02', 'minimum 1 GB of data [S]'),
      ecpu: price(0.0034, 'million ECPUs', 'S', 'AWS Database Blog example; Momento blog (pricing.md)', '2024-02'),
    },
  },
  opensearchServerlessOcu: price(0.24, 'OCU-hour', 'S', 're:Post answer; awsnegotiations.com (pricing.md)', CATALOG_COMPILED_ON, 'OCU = 1 vCPU / 6 GB [V]; S3-backed storage billed extra, not included'),
  sqsStandardRequests: price(0.4, 'million requests', 'S', '2026 guides: factualminds, cloudburn, unanswered.io (pricing.md)', '2026', 'first 1 M requests a month free, not deducted'),
  interfaceEndpoint: price(0.01, 'endpoint-AZ-hour', 'U', 'aws.amazon.com/privatelink/pricing', CATALOG_COMPILED_ON, 'recalled list price, not in pricing.md; data processed ($0.01/GB) not included'),
  kmsKey: price(1, 'key-month', 'U', 'aws.amazon.com/kms/pricing', CATALOG_COMPILED_ON, 'recalled list price, not in pricing.md; requests ($0.03 per 10,000) not included'),
  alarm: price(0.1, 'alarm-month', 'U', 'aws.amazon.com/cloudwatch/pricing', CATALOG_COMPILED_ON, 'recalled: standard-resolution metric alarm; not in pricing.md'),
  highResolutionAlarm: price(0.3, 'alarm-month', 'U', 'aws.amazon.com/cloudwatch/pricing', CATALOG_COMPILED_ON, 'recalled: high-resolution metric alarm; not in pricing.md'),
};

// --- GCP us-central1 ------------------------------------------------------------------------

/** Vertex prediction vs Compute Engine: n1-standard-4 0.219 vs 0.19 (pricing.md). */
const VERTEX_UPLIFT = 1.15;
/** Vertex g2-standard-4 + L4: pricing.md gives ≈ 0.81–0.85 (GCE 0.70–0.72 × ~1.15); the midpoint. */
const VERTEX_G2_STANDARD_4 = 0.83;
/** GCE list prices recalled from cloud.google.com/compute/vm-instance-pricing, not in pricing.md: only their ratios are used. */
const GCE_G2 = { 'g2-standard-4': 0.7069, 'g2-standard-8': 0.8536, 'g2-standard-48': 4.0007 } as const;
/** E2 is priced linearly in vCPUs and memory; e2-standard-4 on Vertex ≈ 0.154 (GCE ≈ 0.134 × ~1.15, pricing.md). */
const VERTEX_E2_STANDARD_4 = 0.154;

const VERTEX_N1_STANDARD_4 = price(0.219, 'node-hour', 'S', GCP_CONSTANTS, '2026-09-08', 'Vertex training reference 0.21849885 (api-evangelist/google-vertex-ai, 2026-10-07)');

function g2Node(machineType: keyof typeof GCE_G2): Price {
  if (machineType === 'g2-standard-4') {
    return derived(VERTEX_G2_STANDARD_4, 'node-hour', 'midpoint of pricing.md\'s 0.81–0.85 (GCE 0.70–0.72 × ~1.15 Vertex uplift)');
  }
  const ratio = GCE_G2[machineType] / GCE_G2['g2-standard-4'];
  return derived(
    VERTEX_G2_STANDARD_4 * ratio,
    'node-hour',
    `Vertex g2-standard-4 0.83 × GCE ${machineType} / g2-standard-4 (${GCE_G2[machineType]} / ${GCE_G2['g2-standard-4']}, recalled GCE list prices)`,
    GCE_PRICING_RECALLED,
  );
}

/** Memorystore for Valkey node memory (GB), cache-shapes.ts. */
const MEMORYSTORE_NODE_GB: Readonly<Record<string, number>> = {
  SHARED_CORE_NANO: 1.4,
  STANDARD_SMALL: 6.5,
  HIGHMEM_MEDIUM: 13,
  HIGHMEM_XLARGE: 58,
};
/** Recalled Memorystore for Valkey standard-small ≈ 0.12 $/h for 6.5 GB; pricing.md has no Valkey price. */
const MEMORYSTORE_PER_GB_HOUR = 0.12 / 6.5;

/** Vector Search serving nodes cost ≈ 1.4 × GCE: e2-standard-2 0.0938 [S] vs GCE ≈ 0.067 (recalled). */
const VECTOR_SEARCH_UPLIFT = 0.0938 / 0.067;

export const GCP_US_CENTRAL1: GcpPriceList = {
  cloud: 'gcp',
  region: 'us-central1',
  vertexPredictionNodes: {
    'e2-standard-2': derived(VERTEX_E2_STANDARD_4 / 2, 'node-hour', 'e2-standard-4 ≈ 0.154 (pricing.md) ÷ 2: E2 is linear in vCPUs and memory'),
    'e2-standard-4': derived(VERTEX_E2_STANDARD_4, 'node-hour', 'pricing.md: GCE ≈ 0.134 × ~1.15 Vertex uplift'),
    'e2-standard-8': derived(VERTEX_E2_STANDARD_4 * 2, 'node-hour', 'e2-standard-4 ≈ 0.154 × 2'),
    'e2-standard-16': derived(VERTEX_E2_STANDARD_4 * 4, 'node-hour', 'e2-standard-4 ≈ 0.154 × 4'),
    'n1-standard-4': VERTEX_N1_STANDARD_4,
    [vertexNodeKey('n1-standard-4', 'NVIDIA_TESLA_T4', 1)]: derived(
      VERTEX_N1_STANDARD_4.usd + 0.35 * VERTEX_UPLIFT,
      'node-hour',
      'n1-standard-4 0.219 [S] + T4 (GCE 0.35 × ~1.15 Vertex uplift); pricing.md ≈ 0.62',
    ),
    [vertexNodeKey('g2-standard-4', 'NVIDIA_L4', 1)]: g2Node('g2-standard-4'),
    [vertexNodeKey('g2-standard-8', 'NVIDIA_L4', 1)]: g2Node('g2-standard-8'),
    [vertexNodeKey('g2-standard-48', 'NVIDIA_L4', 4)]: g2Node('g2-standard-48'),
    [vertexNodeKey('a2-highgpu-8g', 'NVIDIA_TESLA_A100', 8)]: derived(
      29.3876 * VERTEX_UPLIFT,
      'node-hour',
      'recalled GCE a2-highgpu-8g 29.3876 $/h (not in pricing.md) × ~1.15 Vertex uplift: an order of magnitude, re-check',
      GCE_PRICING_RECALLED,
    ),
    [vertexNodeKey('a3-highgpu-8g', 'NVIDIA_H100_80GB', 8)]: derived(
      88.2537 * VERTEX_UPLIFT,
      'node-hour',
      'recalled GCE a3-highgpu-8g 88.2537 $/h (not in pricing.md) × ~1.15 Vertex uplift: an order of magnitude, re-check',
      GCE_PRICING_RECALLED,
    ),
  },
  memorystoreNodes: Object.fromEntries(
    Object.entries(MEMORYSTORE_NODE_GB).map(([type, gb]) => [
      type,
      derived(
        gb * MEMORYSTORE_PER_GB_HOUR,
        'node-hour',
        `${gb} GB × (recalled Memorystore for Valkey standard-small ≈ 0.12 $/h ÷ 6.5 GB); pricing.md: price not captured`,
        'cloud.google.com/memorystore/docs/valkey/pricing (recalled)',
      ),
    ]),
  ),
  vectorSearchNodes: {
    'e2-standard-2': price(0.0938, 'node-hour', 'S', GCP_CONSTANTS, '2026-09-08', '≈ $68/month; SMALL shards (2 GiB)'),
    'e2-standard-16': derived(
      0.536 * VECTOR_SEARCH_UPLIFT,
      'node-hour',
      'MEDIUM shards (20 GiB): recalled GCE e2-standard-16 0.536 $/h × 1.4 (Vector Search e2-standard-2 0.0938 ÷ GCE 0.067)',
      GCE_PRICING_RECALLED,
    ),
    'e2-highmem-16': derived(
      0.7236 * VECTOR_SEARCH_UPLIFT,
      'node-hour',
      'LARGE shards (50 GiB): recalled GCE e2-highmem-16 0.7236 $/h × 1.4 as above',
      GCE_PRICING_RECALLED,
    ),
  },
  vectorSearchBuild: price(3, 'GiB built', 'S', GCP_CONSTANTS, '2026-09-08', 'per GiB of data processed by a build or update'),
  pubsubDelivery: price(40, 'TiB delivered', 'V', 'cloud.google.com/pubsub/pricing', CATALOG_COMPILED_ON, 'after 10 GiB free a month (not deducted); at least 1,000 bytes billed per publish, push or pull request'),
  pscEndpoint: price(0.01, 'endpoint-hour', 'U', 'cloud.google.com/vpc/network-pricing (Private Service Connect)', CATALOG_COMPILED_ON, 'recalled: consumer endpoint (forwarding rule) per hour; data processing ($0.01/GB) not included'),
  kmsKeyVersion: price(0.06, 'key-version-month', 'U', 'cloud.google.com/security-key-management/pricing', CATALOG_COMPILED_ON, 'recalled: active software key version per month; rotation adds versions'),
  alertCondition: price(0.1, 'condition-month', 'U', 'cloud.google.com/stackdriver/pricing (alerting)', CATALOG_COMPILED_ON, 'recalled: per alerting-policy condition per month; time series scanned not included'),
};

export const PRICING_CATALOG: { readonly aws: readonly AwsPriceList[]; readonly gcp: readonly GcpPriceList[] } = {
  aws: [AWS_US_EAST_1],
  gcp: [GCP_US_CENTRAL1],
};

export function awsPriceList(region: string): AwsPriceList | undefined {
  return PRICING_CATALOG.aws.find((l) => l.region === region);
}

export function gcpPriceList(region: string): GcpPriceList | undefined {
  return PRICING_CATALOG.gcp.find((l) => l.region === region);
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

function isPrice(value: unknown): value is Price {
  return !!value && typeof value === 'object' && 'usd' in value && 'unit' in value;
}

/**
 * Why a price list cannot be shipped: a price without a finite non-negative amount, a unit, a
 * source, a checkedOn date, a tag, or (for [U]) the note saying how it was derived.
 */
export function priceListProblems(list: PriceList): string[] {
  const problems: string[] = [];
  for (const { path, price: p } of pricesOf(list)) {
    const at = `${list.cloud} ${list.region} ${path}`;
    if (typeof p.usd !== 'number' || !Number.isFinite(p.usd) || p.usd < 0) problems.push(`${at}: usd must be a finite number >= 0, got ${p.usd}`);
    if (!p.unit) problems.push(`${at}: unit is missing`);
    if (typeof p.source !== 'string' || p.source.trim() === '') problems.push(`${at}: source is missing`);
    if (typeof p.checkedOn !== 'string' || !/^\d{4}(-\d{2}){0,2}$/.test(p.checkedOn)) {
      problems.push(`${at}: checkedOn must be a date (YYYY-MM-DD, YYYY-MM or YYYY), got ${JSON.stringify(p.checkedOn)}`);
    }
    if (!(PRICE_TAGS as readonly string[]).includes(p.tag)) problems.push(`${at}: tag must be one of ${PRICE_TAGS.join(', ')}, got ${JSON.stringify(p.tag)}`);
    if (p.tag === 'U' && !p.note) problems.push(`${at}: an unverified [U] price needs a note saying how it was derived`);
  }
  return problems;
}

/** Instance types and Vertex nodes of the shape catalog that a price list does not price. */
export function unpricedShapes(list: PriceList): string[] {
  if (list.cloud === 'aws') return INSTANCE_SHAPES.map((s) => s.aws.instanceType).filter((t) => !list.sagemakerInstances[t]);
  return INSTANCE_SHAPES.map((s) => vertexNodeKey(s.gcp.machineType, s.gcp.acceleratorType, s.gcp.acceleratorCount)).filter(
    (k) => !list.vertexPredictionNodes[k],
  );
}
