/**
 * GCP on-demand list prices for us-central1, europe-west4 and asia-northeast1.
 *
 * Vertex AI prediction nodes cost 1.15 × the Compute Engine price of the same machine (the ratio
 * of Vertex's n1-standard-4 to Compute Engine's), so each region's node prices are derived from
 * that region's Compute Engine prices as the Cloud Billing Catalog lists them (Cyclenerd's
 * generated pricing.yml). Vector Search serving nodes follow the same way at 1.4 × Compute Engine.
 * The pricing pages (cloud.google.com/<product>/pricing) draw their tables in the browser; where a
 * figure was quoted by a third party, the page is the source and the tag stays [S].
 */
import { CATALOG_COMPILED_ON, derived, price, regional, type Price } from './price';
import type { GcpPriceList } from './pricing-catalog';

/** The key of a Vertex prediction node: the machine type, plus its accelerators when it has some. */
export function vertexNodeKey(machineType: string, acceleratorType?: string, acceleratorCount = 0): string {
  return acceleratorType && acceleratorCount > 0 ? `${machineType} + ${acceleratorCount} × ${acceleratorType}` : machineType;
}

/** Cloud Billing Catalog prices as Cyclenerd's generator wrote them on 2025-03-06. */
const BILLING_CATALOG = 'Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml@0166a59e';
const VERTEX_PRICING = 'https://cloud.google.com/vertex-ai/pricing';
const MEMORYSTORE_PRICING = 'https://cloud.google.com/memorystore/valkey/pricing';

/** Compute Engine on-demand $/h per region, from the Cloud Billing Catalog (BILLING_CATALOG); G2 and A2 include their GPUs. */
interface ComputeEnginePrices {
  readonly 'e2-standard-8': number;
  readonly 'g2-standard-12': number;
  readonly 'g2-standard-16': number;
  readonly 'a2-highgpu-1g': number;
}

const COMPUTE_ENGINE: Readonly<Record<'us-central1' | 'europe-west4' | 'asia-northeast1', ComputeEnginePrices>> = {
  'us-central1': { 'e2-standard-8': 0.26804568, 'g2-standard-12': 1.000416287, 'g2-standard-16': 1.147208303, 'a2-highgpu-1g': 3.673385 },
  'europe-west4': { 'e2-standard-8': 0.29508816, 'g2-standard-12': 1.051487566, 'g2-standard-16': 1.205773326, 'a2-highgpu-1g': 3.747972 },
  'asia-northeast1': { 'e2-standard-8': 0.34386288, 'g2-standard-12': 1.284734612, 'g2-standard-16': 1.473244916, 'a2-highgpu-1g': 4.049590926 },
};
type GcpRegion = keyof typeof COMPUTE_ENGINE;

/**
 * G2 machines are one L4 plus a linear price per (1 vCPU + 4 GB): g2-standard-16 − g2-standard-12
 * is four such steps, and g2-standard-12 less twelve steps is the L4.
 */
function g2Machine(ce: ComputeEnginePrices, vcpus: number, l4s: number): number {
  const step = (ce['g2-standard-16'] - ce['g2-standard-12']) / 4;
  const l4 = ce['g2-standard-12'] - 12 * step;
  return l4s * l4 + vcpus * step;
}

/** E2 is linear in vCPUs and memory: e2-standard-N = N/8 × e2-standard-8; e2-highmem-16 from the E2 unit prices. */
const e2Standard = (ce: ComputeEnginePrices, vcpus: number) => (ce['e2-standard-8'] * vcpus) / 8;
/** Compute Engine E2 unit prices in us-central1: 0.021811 $/vCPU-h, 0.002923 $/GB-h (they reproduce e2-standard-8 0.268045). */
const E2_HIGHMEM_16_US = 16 * 0.021811 + 128 * 0.002923;

/** Vertex n1-standard-4 0.21849885 $/h [S] ÷ Compute Engine n1-standard-4 0.189999 $/h (4 × 0.031611 + 15 × 0.004237). */
const VERTEX_UPLIFT = { ratio: 1.15, low: 1.1, high: 1.2 } as const;
const VERTEX_N1_STANDARD_4 = price(0.219, 'node-hour', 'S', VERTEX_PRICING, '2026-09-08', {
  note: 'as a third-party pricing-constants file quoted the page on 2026-09-08; the training table lists 0.21849885 (api-evangelist/google-vertex-ai plans/google-vertex-ai-plans-pricing.yml, 2026-10-07)',
});

function vertexNode(computeEngineUsd: number, machine: string, region: string): Price {
  return derived(
    computeEngineUsd * VERTEX_UPLIFT.ratio,
    'node-hour',
    `Compute Engine ${machine} in ${region} ${round(computeEngineUsd)} $/h × ${VERTEX_UPLIFT.ratio} (Vertex n1-standard-4 0.2185 ÷ Compute Engine 0.19)`,
    BILLING_CATALOG,
    { low: computeEngineUsd * VERTEX_UPLIFT.low, high: computeEngineUsd * VERTEX_UPLIFT.high },
  );
}

/** Vector Search e2-standard-2 serving node 0.0938084 $/h [S] ÷ Compute Engine e2-standard-2 0.067011 $/h. */
const VECTOR_SEARCH_UPLIFT = { ratio: 1.4, low: 1.3, high: 1.5 } as const;
const VECTOR_SEARCH_E2_STANDARD_2 = price(0.0938, 'node-hour', 'S', VERTEX_PRICING, '2026-09-08', {
  note: 'as a third-party pricing-constants file quoted the page on 2026-09-08 (0.0938084, ≈ $68/month); SMALL shards (2 GiB)',
});

function vectorSearchNode(computeEngineUsd: number, machine: string, region: string, shards: string): Price {
  return derived(
    computeEngineUsd * VECTOR_SEARCH_UPLIFT.ratio,
    'node-hour',
    `${shards} shards: Compute Engine ${machine} in ${region} ${round(computeEngineUsd)} $/h × ${VECTOR_SEARCH_UPLIFT.ratio} (Vector Search e2-standard-2 0.0938 ÷ Compute Engine 0.067)`,
    BILLING_CATALOG,
    { low: computeEngineUsd * VECTOR_SEARCH_UPLIFT.low, high: computeEngineUsd * VECTOR_SEARCH_UPLIFT.high },
  );
}

const round = (usd: number) => Math.round(usd * 1e4) / 1e4;

/** The pricing calculator's hours in a month. */
const HOURS_PER_MONTH_GCP = 730;

/**
 * Memorystore for Valkey node-hours in us-central1. highmem-medium 0.1923 is quoted twice (a
 * Billing Catalog snapshot of 2026-08, and 30 nodes at ≈ $4,212 a month); shared-core-nano and
 * standard-small match Memorystore for Redis Cluster's $23.21 and $104.02 a month, and a review
 * that found this catalog 20–25 % high implies 0.0206 and 0.0961, hence their wide ranges.
 */
const MEMORYSTORE_US: Readonly<Record<string, Price>> = {
  SHARED_CORE_NANO: price(0.0318, 'node-hour', 'S', MEMORYSTORE_PRICING, '2026-08', {
    note: 'Billing Catalog snapshot quoted by a third party; Redis Cluster redis-shared-core-nano: $23.21 a month',
    range: { low: 0.0206, high: 0.035 },
  }),
  STANDARD_SMALL: price(0.1425, 'node-hour', 'S', MEMORYSTORE_PRICING, '2026-08', {
    note: 'Billing Catalog snapshot quoted by a third party; Redis Cluster redis-standard-small: $104.02 a month',
    range: { low: 0.0961, high: 0.157 },
  }),
  HIGHMEM_MEDIUM: price(0.1923, 'node-hour', 'S', MEMORYSTORE_PRICING, '2026-08', {
    note: 'Billing Catalog snapshot quoted by a third party; a release-notes summary prices 30 nodes at ≈ $4,212 a month (0.1923 $/h)',
    range: { low: 0.18, high: 0.2 },
  }),
  HIGHMEM_XLARGE: price(0.8581, 'node-hour', 'S', MEMORYSTORE_PRICING, '2026-08', { note: 'Billing Catalog snapshot quoted by a third party' }),
};

/**
 * AlloyDB per vCPU-hour with its 8 GB, from the one whole bill found: 2 vCPU 16 GB, HA, 100 GB of
 * storage at $546 a month in us-east1 (Google Cloud pricing calculator, April 2025, as a Bytebase
 * post shows it). Less the storage at $0.30 per GB-month (recalled), over 730 h, 2 nodes (active
 * and standby, both billed) and 2 vCPUs: (546 − 30) / 730 / 4.
 */
const ALLOYDB_VCPU_US = derived(
  (546 - 100 * 0.3) / HOURS_PER_MONTH_GCP / 4,
  'vCPU-hour',
  '(546 $/month − 100 GB × 0.30 $/GB-month storage) / 730 h / (2 nodes × 2 vCPUs), from a 2 vCPU 16 GB HA instance in us-east1 (pricing calculator, 2025-04); includes the 8 GB of memory per vCPU',
  'https://bytebase.vercel.app/blog/understanding-google-alloydb-pricing',
  { low: 0.15, high: 0.2 },
);

const flat = (p: Price, region: string) =>
  region === 'us-central1' ? p : regional(p, 'us-central1', { ratio: 1, low: 1, high: 1.15, basis: 'the same list price in every region (recalled)' });

function gcpRegion(region: GcpRegion): GcpPriceList {
  const ce = COMPUTE_ENGINE[region];
  const us = region === 'us-central1';
  const e2Ratio = { ratio: round(ce['e2-standard-8'] / COMPUTE_ENGINE['us-central1']['e2-standard-8']), basis: `Compute Engine e2-standard-8 ${region} / us-central1 (${BILLING_CATALOG})` };
  const e2Regional = { ...e2Ratio, low: e2Ratio.ratio * 0.95, high: e2Ratio.ratio * 1.05 };
  const node = (machine: string, usd: number) => vertexNode(usd, machine, region);
  return {
    cloud: 'gcp',
    region,
    vertexPredictionNodes: {
      'e2-standard-2': node('e2-standard-2', e2Standard(ce, 2)),
      'e2-standard-4': node('e2-standard-4', e2Standard(ce, 4)),
      'e2-standard-8': node('e2-standard-8', e2Standard(ce, 8)),
      'e2-standard-16': node('e2-standard-16', e2Standard(ce, 16)),
      [vertexNodeKey('g2-standard-4', 'NVIDIA_L4', 1)]: node('g2-standard-4', g2Machine(ce, 4, 1)),
      [vertexNodeKey('g2-standard-8', 'NVIDIA_L4', 1)]: node('g2-standard-8', g2Machine(ce, 8, 1)),
      [vertexNodeKey('g2-standard-24', 'NVIDIA_L4', 2)]: node('g2-standard-24', g2Machine(ce, 24, 2)),
      [vertexNodeKey('g2-standard-48', 'NVIDIA_L4', 4)]: node('g2-standard-48', g2Machine(ce, 48, 4)),
      // A2 machines scale linearly with their GPUs (12 vCPUs, 85 GB and one A100 each).
      ...Object.fromEntries(
        [1, 2, 4, 8].map((gpus) => [vertexNodeKey(`a2-highgpu-${gpus}g`, 'NVIDIA_TESLA_A100', gpus), node(`a2-highgpu-${gpus}g`, gpus * ce['a2-highgpu-1g'])]),
      ),
      // N1 and A3 prices exist for us-central1 only: elsewhere they are listed as not priced.
      ...(us && {
        'n1-standard-4': VERTEX_N1_STANDARD_4,
        [vertexNodeKey('n1-standard-4', 'NVIDIA_TESLA_T4', 1)]: derived(
          VERTEX_N1_STANDARD_4.usd + 0.35 * VERTEX_UPLIFT.ratio,
          'node-hour',
          'Vertex n1-standard-4 0.219 [S] + T4 (Compute Engine 0.35 $/h, recalled) × 1.15',
          VERTEX_PRICING,
        ),
        [vertexNodeKey('a3-highgpu-8g', 'NVIDIA_H100_80GB', 8)]: derived(
          88.2537 * VERTEX_UPLIFT.ratio,
          'node-hour',
          'recalled Compute Engine a3-highgpu-8g 88.2537 $/h × 1.15: an order of magnitude, re-check',
          'https://cloud.google.com/compute/vm-instance-pricing',
        ),
      }),
    },
    memorystoreNodes: us
      ? MEMORYSTORE_US
      : Object.fromEntries(Object.entries(MEMORYSTORE_US).map(([type, p]) => [type, regional(p, 'us-central1', e2Regional)])),
    vectorSearchNodes: {
      'e2-standard-2': us ? VECTOR_SEARCH_E2_STANDARD_2 : vectorSearchNode(e2Standard(ce, 2), 'e2-standard-2', region, 'SMALL'),
      'e2-standard-16': vectorSearchNode(e2Standard(ce, 16), 'e2-standard-16', region, 'MEDIUM (20 GiB)'),
      'e2-highmem-16': vectorSearchNode(E2_HIGHMEM_16_US * e2Ratio.ratio, 'e2-highmem-16', region, 'LARGE (50 GiB)'),
    },
    vectorSearchBuild: flat(
      price(3, 'GiB built', 'S', VERTEX_PRICING, '2026-09-08', {
        note: 'per GiB of data processed by a build or update, as a third-party pricing-constants file quoted the page on 2026-09-08',
      }),
      region,
    ),
    alloydbVcpu: us ? ALLOYDB_VCPU_US : regional(ALLOYDB_VCPU_US, 'us-central1', e2Regional, 'https://cloud.google.com/alloydb/pricing'),
    pubsubDelivery: price(40, 'TiB delivered', 'V', 'https://cloud.google.com/pubsub/pricing', CATALOG_COMPILED_ON, {
      note: 'one global price; after 10 GiB free a month (not deducted); at least 1,000 bytes billed per publish, push or pull request',
    }),
    pscEndpoint: flat(
      price(0.01, 'endpoint-hour', 'U', 'https://cloud.google.com/vpc/network-pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: Private Service Connect consumer endpoint (forwarding rule) per hour; data processing ($0.01/GB) not included',
      }),
      region,
    ),
    kmsKeyVersion: flat(
      price(0.06, 'key-version-month', 'U', 'https://cloud.google.com/kms/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: active software key version per month; rotation adds versions',
      }),
      region,
    ),
    alertCondition: flat(
      price(0.1, 'condition-month', 'U', 'https://cloud.google.com/stackdriver/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: per alerting-policy condition per month; time series scanned not included',
      }),
      region,
    ),
    cloudRunJobVcpu: flat(
      price(0.0648, 'vCPU-hour', 'U', 'https://cloud.google.com/run/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: 0.000018 $ per vCPU-second, tier 1 regions (us-central1, europe-west4 and asia-northeast1 among them), billed while a job task runs; the monthly free tier is not deducted',
      }),
      region,
    ),
    cloudRunJobMemory: flat(
      price(0.0072, 'GiB-hour', 'U', 'https://cloud.google.com/run/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: 0.000002 $ per GiB-second, tier 1 regions, billed while a job task runs',
      }),
      region,
    ),
    cloudRunRequests: flat(
      price(0.4, 'million requests', 'U', 'https://cloud.google.com/run/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: services with request-based billing (Cloud Functions 2nd gen included); the free tier (2 M requests a month) is not deducted',
      }),
      region,
    ),
    cloudRunServiceVcpu: flat(
      price(0.0864, 'vCPU-hour', 'U', 'https://cloud.google.com/run/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: 0.000024 $ per vCPU-second, request-based billing, tier 1 regions, billed while an instance handles at least one request',
      }),
      region,
    ),
    cloudRunServiceMemory: flat(
      price(0.009, 'GiB-hour', 'U', 'https://cloud.google.com/run/pricing', CATALOG_COMPILED_ON, {
        note: 'recalled: 0.0000025 $ per GiB-second, request-based billing, tier 1 regions',
      }),
      region,
    ),
  };
}

export const GCP_US_CENTRAL1 = gcpRegion('us-central1');
export const GCP_EUROPE_WEST4 = gcpRegion('europe-west4');
export const GCP_ASIA_NORTHEAST1 = gcpRegion('asia-northeast1');
