/** The fleet's hourly price, from the catalog, and the README line that states it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_EU_WEST_1, AWS_US_EAST_1, GCP_US_CENTRAL1 } from '../../constructs/catalog/pricing-catalog';
import { fleetCostPerHour } from '../../load-tests/cost/fleet-cost';

const TEN_TASKS = { tasks: 10, vcpusPerTask: 2, memoryPerTask: 4 };

describe('fleetCostPerHour', () => {
  it('prices Fargate tasks by vCPU-hour and GB-hour, and Cloud Run job tasks by vCPU-hour and GiB-hour', () => {
    const aws = fleetCostPerHour(AWS_US_EAST_1, TEN_TASKS);
    const gcp = fleetCostPerHour(GCP_US_CENTRAL1, TEN_TASKS);
    expect(aws?.usdPerHour).toBeCloseTo(10 * (2 * AWS_US_EAST_1.fargateVcpu.usd + 4 * AWS_US_EAST_1.fargateMemory.usd), 3);
    expect(gcp?.usdPerHour).toBeCloseTo(10 * (2 * GCP_US_CENTRAL1.cloudRunJobVcpu.usd + 4 * GCP_US_CENTRAL1.cloudRunJobMemory.usd), 3);
    expect(aws?.basis).toBe(`10 ECS Fargate tasks × (2 vCPU × ${AWS_US_EAST_1.fargateVcpu.usd} $/vCPU-hour + 4 × ${AWS_US_EAST_1.fargateMemory.usd} $/GB-hour) in us-east-1`);
    // Recalled prices carry a range, and the fleet's cost carries it through.
    expect(aws?.lowUsdPerHour).toBeLessThan(aws?.usdPerHour ?? 0);
    expect(aws?.highUsdPerHour).toBeGreaterThan(aws?.usdPerHour ?? 0);
  });

  it('prices other regions from their own lists', () => {
    expect(fleetCostPerHour(AWS_EU_WEST_1, TEN_TASKS)?.usdPerHour).toBeGreaterThan(fleetCostPerHour(AWS_US_EAST_1, TEN_TASKS)?.usdPerHour ?? Infinity);
  });

  it('prices nothing when a price file leaves the fleet unpriced', () => {
    expect(fleetCostPerHour({ cloud: 'aws', region: 'us-east-1' }, TEN_TASKS)).toBeUndefined();
  });

  it('the README states what the catalog prices', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const aws = fleetCostPerHour(AWS_US_EAST_1, TEN_TASKS);
    const gcp = fleetCostPerHour(GCP_US_CENTRAL1, TEN_TASKS);
    expect(readme).toContain(`about $${aws?.usdPerHour.toFixed(2)} an hour on ECS Fargate in us-east-1 ($${aws?.lowUsdPerHour.toFixed(2)}–${aws?.highUsdPerHour.toFixed(2)})`);
    expect(readme).toContain(`about $${gcp?.usdPerHour.toFixed(2)} on Cloud Run jobs in us-central1 ($${gcp?.lowUsdPerHour.toFixed(2)}–${gcp?.highUsdPerHour.toFixed(2)})`);
  });
});
