/**
 * Warnings for compute requests a cloud serves on more accelerators than asked: `a100 × 1` runs
 * on SageMaker's 8-GPU ml.p4d.24xlarge, `l4 × 2` on the 4-GPU ml.g6.12xlarge, `h100 × 1` on
 * Vertex's 8-GPU a3-highgpu-8g. The topology is valid and deploys; the warning says what was
 * asked, what each cloud runs and what one replica costs a month, so nobody pays for eight GPUs
 * by surprise. Every command that reads a topology prints the same lines (`formatWarning`).
 *
 * Only accelerators warn. GPUs come whole and each cloud sells them in its own steps (1 or 8
 * H100s on SageMaker, 8 on Vertex), so one round-up can multiply the bill by eight and differ
 * between the clouds. CPU shapes double from one size to the next on both clouds alike, so a
 * vCPU or memory request rounds up to less than twice what it needs, the same way on both: the
 * shape catalog (`serving-stacks shapes`) shows the sizes.
 *
 * A pure function of a resolved topology and a price list rather than part of the resolved
 * topology: the prices come from the catalog a command was given (`--prices`), and resolving a
 * topology needs none.
 */
import type { ShapeRequest } from './catalog/instance-shapes';
import type { Cloud } from './parity';
import { awsPriceList, gcpPriceList, HOURS_PER_MONTH, PRICING_CATALOG, vertexNodeKey, type PricingCatalog } from './catalog/pricing-catalog';
import type { ResolvedTopology, ResolvedVariant } from './resolved-topology';
import { awsHardware, describeAccelerators, describeHardware, gcpHardware, type MachineHardware } from './shape-realisation';

/** The warning's id, also the CDK annotation id a stack can acknowledge. */
export const ACCELERATOR_ROUND_UP = 'accelerator-rounded-up';

export interface DeliveredMachine extends MachineHardware {
  readonly region: string;
  /** One replica for a month (730 h) at the catalog's on-demand price; null when the region's list has no price for the machine. */
  readonly monthlyUsdPerReplica: number | null;
}

export interface ShapeWarning {
  readonly kind: typeof ACCELERATOR_ROUND_UP;
  /** The spec field, e.g. `endpoints[1].compute.accelerator`. */
  readonly path: string;
  readonly endpoint: string;
  /** The variants that run on this request (variants without their own compute share the endpoint's). */
  readonly variants: readonly string[];
  readonly requested: ShapeRequest;
  readonly delivered: { readonly aws: DeliveredMachine; readonly gcp: DeliveredMachine };
  /** The clouds whose machine has more accelerators than asked. */
  readonly roundedUp: readonly Cloud[];
  /** The line after `warning: <path>: `. */
  readonly message: string;
}

const CLOUD_NAMES: Readonly<Record<Cloud, string>> = { aws: 'AWS', gcp: 'GCP' };

export function shapeWarnings(topology: ResolvedTopology, catalog: PricingCatalog = PRICING_CATALOG): ShapeWarning[] {
  const warnings = new Map<string, ShapeWarning>();
  for (const endpoint of topology.endpoints) {
    for (const variant of endpoint.variants) {
      const path = `${variant.requested.path}.accelerator`;
      const seen = warnings.get(path);
      if (seen) {
        warnings.set(path, { ...seen, variants: [...seen.variants, variant.name] });
        continue;
      }
      const warning = roundUpWarning(variant, path, endpoint.name, topology.regions, catalog);
      if (warning) warnings.set(path, warning);
    }
  }
  return [...warnings.values()];
}

/** The line every command prints (on stderr). */
export function formatWarning(warning: Pick<ShapeWarning, 'path' | 'message'>): string {
  return `warning: ${warning.path}: ${warning.message}`;
}

function roundUpWarning(
  variant: ResolvedVariant,
  path: string,
  endpoint: string,
  regions: ResolvedTopology['regions'],
  catalog: PricingCatalog,
): ShapeWarning | undefined {
  const asked = variant.requested.accelerator;
  if (asked.type === 'none') return undefined;
  const delivered = {
    aws: priced(awsHardware(variant.aws.instanceType), regions.aws, awsPriceList(regions.aws, catalog)?.sagemakerInstances?.[variant.aws.instanceType]?.usd),
    gcp: priced(
      gcpHardware(variant.gcp),
      regions.gcp,
      gcpPriceList(regions.gcp, catalog)?.vertexPredictionNodes?.[vertexNodeKey(variant.gcp.machineType, variant.gcp.acceleratorType, variant.gcp.acceleratorCount)]?.usd,
    ),
  };
  const roundedUp = (['aws', 'gcp'] as const).filter((cloud) => (delivered[cloud].accelerator?.count ?? 0) > asked.count);
  if (roundedUp.length === 0) return undefined;
  return {
    kind: ACCELERATOR_ROUND_UP,
    path,
    endpoint,
    variants: [variant.name],
    requested: { cpus: variant.requested.cpus, memoryGiB: variant.requested.memoryGiB, accelerator: asked },
    delivered,
    roundedUp,
    message: roundUpMessage(variant.requested, delivered, roundedUp),
  };
}

function priced(hardware: MachineHardware, region: string, hourlyUsd: number | undefined): DeliveredMachine {
  return { ...hardware, region, monthlyUsdPerReplica: hourlyUsd === undefined ? null : Math.round(hourlyUsd * HOURS_PER_MONTH * 100) / 100 };
}

/**
 * `asked for 1 × A100; AWS rounds up to 8. AWS: ml.p4d.24xlarge (8 × A100, 96 vCPUs, 1152 GiB),
 * $27,512/month per replica in us-east-1. GCP: a2-highgpu-1g (…), $3,168/month per replica in us-central1.`
 */
function roundUpMessage(requested: ShapeRequest, delivered: ShapeWarning['delivered'], roundedUp: readonly Cloud[]): string {
  const asked = [
    describeAccelerators(requested.accelerator),
    ...(requested.cpus !== undefined ? [`${requested.cpus} vCPUs`] : []),
    ...(requested.memoryGiB !== undefined ? [`${requested.memoryGiB} GiB`] : []),
  ].join(', ');
  const counts = new Set(roundedUp.map((cloud) => delivered[cloud].accelerator?.count));
  const who =
    roundedUp.length === 2 ? (counts.size === 1 ? `both clouds round up to ${[...counts][0]}` : `AWS rounds up to ${delivered.aws.accelerator?.count}, GCP to ${delivered.gcp.accelerator?.count}`) : `${CLOUD_NAMES[roundedUp[0]]} rounds up to ${delivered[roundedUp[0]].accelerator?.count}`;
  const machine = (m: DeliveredMachine) =>
    `${CLOUD_NAMES[m.cloud]}: ${describeHardware(m)}, ${m.monthlyUsdPerReplica === null ? `price unavailable in ${m.region}` : `${usd(m.monthlyUsdPerReplica)}/month per replica in ${m.region}`}.`;
  return `asked for ${asked}; ${who}. ${machine(delivered.aws)} ${machine(delivered.gcp)}`;
}

const usd = (value: number) => `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
