/**
 * What a load generator fleet costs per hour while it runs: tasks × (vCPUs × the vCPU-hour price +
 * memory × the memory-hour price), on ECS Fargate or Cloud Run jobs, from the pricing catalog.
 * Both bill per second while a task runs (Fargate with a one-minute minimum), so a 10-minute
 * test costs a sixth of this; the requests it sends are billed by the endpoint, not here.
 */
import type { AwsPrices, GcpPrices, Price } from '../../constructs/catalog/pricing-catalog';

export interface FleetSize {
  readonly tasks: number;
  readonly vcpusPerTask: number;
  /** GB on Fargate, GiB on Cloud Run: each cloud's own memory unit. */
  readonly memoryPerTask: number;
}

export interface FleetHourlyCost {
  readonly usdPerHour: number;
  readonly lowUsdPerHour: number;
  readonly highUsdPerHour: number;
  readonly basis: string;
  /** The prices used, for their source, date and tag. */
  readonly prices: readonly Price[];
}

export function fleetCostPerHour(prices: AwsPrices | GcpPrices, size: FleetSize): FleetHourlyCost | undefined {
  const [vcpu, memory, service] =
    prices.cloud === 'aws' ? [prices.fargateVcpu, prices.fargateMemory, 'ECS Fargate'] : [prices.cloudRunJobVcpu, prices.cloudRunJobMemory, 'Cloud Run job'];
  if (!vcpu || !memory) return undefined;
  const at = (pick: (p: Price) => number) => round(size.tasks * (size.vcpusPerTask * pick(vcpu) + size.memoryPerTask * pick(memory)));
  return {
    usdPerHour: at((p) => p.usd),
    lowUsdPerHour: at((p) => p.low ?? p.usd),
    highUsdPerHour: at((p) => p.high ?? p.usd),
    basis: `${size.tasks} ${service} tasks × (${size.vcpusPerTask} vCPU × ${vcpu.usd} $/${vcpu.unit} + ${size.memoryPerTask} × ${memory.usd} $/${memory.unit}) in ${prices.region}`,
    prices: [vcpu, memory],
  };
}

function round(usd: number): number {
  return Math.round(usd * 1000) / 1000;
}
