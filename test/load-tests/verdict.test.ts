/**
 * The verdict's rules on hand-made bands: a clear winner only when one cloud is cheaper and
 * lower-risk across both bands; overlapping bands leave no clear winner on that measure (and the
 * paragraph says so); split risk measures give no lower-risk cloud; cost drivers and the
 * assumptions the answer depends on.
 */
import { describe, expect, it } from 'vitest';
import type { Cloud } from '../../constructs';
import type { Assumption } from '../../constructs/assumptions';
import { costLine, type CostCategory, type CostLine } from '../../load-tests/cost/cost-lines';
import type { CloudSensitivity, SensitivityCaseFigures } from '../../load-tests/report';
import { decideVerdict, verdictSummary, type VerdictInputs } from '../../load-tests/report';
import type { SimulatedProfile } from '../../load-tests/simulator/simulation-result';

type Figures = [cost: number | null, refusedShare: number, sloMinutes: number, replicaHours?: number];

function figures([cost, refusedShare, sloViolationMinutes, replicaHours = 10]: Figures): SensitivityCaseFigures {
  return {
    monthlyCostUsd: cost,
    monthlyCostAtSimulatedLoadUsd: cost,
    arrivals: 1_000_000,
    droppedRequests: refusedShare * 1_000_000,
    refusedShare,
    sloViolationMinutes,
    replicaHours,
  };
}

function cloud(low: Figures, base: Figures, high: Figures): CloudSensitivity {
  return { low: figures(low), base: figures(base), high: figures(high) };
}

function line(category: CostCategory, item: string, monthlyUsd: number, tag: 'V' | 'S' | 'U' = 'V'): CostLine {
  return costLine(
    { category, item, resource: item, quantity: 1, quantityPer: 'month', basis: 'test' },
    { usd: monthlyUsd, unit: 'key-month', source: 'https://example.com/prices', checkedOn: '2026-12-01', tag, ...(tag !== 'V' && { low: monthlyUsd, high: monthlyUsd }) },
  );
}

const LINES: VerdictInputs['costLines'] = {
  aws: [line('endpoints', 'ranker', 1000), line('vector-store', 'OpenSearch OCU', 5000, 'U'), line('cache', 'valkey', 400), line('queues', 'sqs', 50)],
  gcp: [line('endpoints', 'ranker', 1100), line('vector-store', 'Vector Search', 800), line('cache', 'valkey', 300, 'S'), line('queues', 'pubsub', 20)],
};

const RANGED: Assumption = {
  name: 'provisioning.gpu-instance',
  cloud: 'both',
  value: 360,
  unit: 's',
  source: 'https://example.com/provisioning',
  tag: 'U',
  low: 240,
  high: 480,
  favourableEnd: 'lower',
  description: 'test',
};
const NARROW: Assumption = { ...RANGED, name: 'metric.publish-delay', cloud: 'gcp', value: 60, low: 50, high: 70 };
const VERIFIED: Assumption = { ...RANGED, name: 'metric.period', tag: 'V', value: 60, low: undefined, high: undefined, favourableEnd: undefined };
const AWS_ONLY: Assumption = { ...RANGED, name: 'sagemaker.only', cloud: 'aws', value: 10, low: 5, high: 40 };
const REGISTER = [NARROW, VERIFIED, RANGED, AWS_ONLY];

/** Every name read by both clouds' models, unless a test says otherwise. */
const READ_ALL = { aws: REGISTER.map((a) => a.name), gcp: REGISTER.map((a) => a.name) };

function verdict(sensitivity: Record<Cloud, CloudSensitivity>, read: VerdictInputs['read'] = READ_ALL) {
  return decideVerdict({ sensitivity, costLines: LINES, register: REGISTER, read });
}

const PROFILE: SimulatedProfile = { name: 'breaking-news', description: 'test', hours: 24, minutes: 1440, unit: 'relative', spikeStartMinute: 864, peakSource: 'topology' };
const summary = (sensitivity: Record<Cloud, CloudSensitivity>, profile: SimulatedProfile = PROFILE) =>
  verdictSummary(verdict(sensitivity), { sensitivity, profile, regions: { aws: 'us-east-1', gcp: 'us-central1' } });

// GCP cheaper and lower-risk, with every band apart from AWS's.
const APART = {
  aws: cloud([6000, 0.004, 20, 9], [6450, 0.005, 25, 10], [7000, 0.006, 30, 11]),
  gcp: cloud([2000, 0.001, 5, 9], [2220, 0.0012, 8, 10], [2500, 0.002, 12, 11]),
};

describe('decideVerdict', () => {
  it('names a clear winner when one cloud is cheaper and lower-risk across both bands', () => {
    const v = verdict(APART);
    expect(v).toMatchObject({ cheaperCloud: 'gcp', lowerSpikeRiskCloud: 'gcp', clearWinner: true });
    expect(v.costRatio).toBeCloseTo(6450 / 2220, 12);
    expect(v.bands).toEqual({ monthlyCostUsd: 'gcp', refusedShare: 'gcp', sloViolationMinutes: 'gcp' });
  });

  it('has no clear winner when the cost bands overlap, and says so', () => {
    const sensitivity = { aws: cloud([2400, 0.004, 20], [6450, 0.005, 25], [7000, 0.006, 30]), gcp: APART.gcp };
    const v = verdict(sensitivity);
    expect(v).toMatchObject({ cheaperCloud: 'gcp', lowerSpikeRiskCloud: 'gcp', clearWinner: false });
    expect(v.bands.monthlyCostUsd).toBe('overlap');
    expect(summary(sensitivity)).toContain('which overlap: no clear winner on cost');
    expect(summary(sensitivity)).toContain('No clear winner: the bands overlap on cost.');
  });

  it('has no clear winner when a risk measure\'s bands overlap, even though base says lower', () => {
    const sensitivity = { aws: cloud([6000, 0.004, 10], [6450, 0.005, 25], [7000, 0.006, 30]), gcp: APART.gcp };
    const v = verdict(sensitivity);
    expect(v).toMatchObject({ lowerSpikeRiskCloud: 'gcp', clearWinner: false, bands: { refusedShare: 'gcp', sloViolationMinutes: 'overlap' } });
    expect(summary(sensitivity)).toContain('which overlap: no clear winner on SLO minutes');
  });

  it('treats bands that only touch as overlapping', () => {
    const sensitivity = { aws: cloud([2500, 0.004, 20], [6450, 0.005, 25], [7000, 0.006, 30]), gcp: APART.gcp };
    expect(verdict(sensitivity).bands.monthlyCostUsd).toBe('overlap');
  });

  it('has no lower-risk cloud when refused share and SLO minutes disagree', () => {
    const sensitivity = { aws: cloud([6000, 0.0001, 20], [6450, 0.0002, 25], [7000, 0.0003, 30]), gcp: APART.gcp };
    const v = verdict(sensitivity);
    expect(v).toMatchObject({ cheaperCloud: 'gcp', lowerSpikeRiskCloud: null, clearWinner: false });
    expect(summary(sensitivity)).toContain('neither cloud is lower-risk on both measures');
  });

  it('has no clear winner when the cheaper cloud is the riskier one', () => {
    const sensitivity = { aws: cloud([6000, 0.0001, 1], [6450, 0.0002, 2], [7000, 0.0003, 3]), gcp: APART.gcp };
    const v = verdict(sensitivity);
    expect(v).toMatchObject({ cheaperCloud: 'gcp', lowerSpikeRiskCloud: 'aws', clearWinner: false });
    expect(summary(sensitivity)).toContain('the cheaper cloud is the riskier one');
  });

  it('lets a tied risk measure stand beside a won one, but not two tied ones', () => {
    const tiedSlo = { aws: cloud([6000, 0.004, 0], [6450, 0.005, 0], [7000, 0.006, 0]), gcp: cloud([2000, 0.001, 0], [2220, 0.0012, 0], [2500, 0.002, 0]) };
    expect(verdict(tiedSlo)).toMatchObject({ lowerSpikeRiskCloud: 'gcp', clearWinner: true, bands: { sloViolationMinutes: 'tied' } });
    const level = { aws: cloud([6000, 0, 0], [6450, 0, 0], [7000, 0, 0]), gcp: cloud([2000, 0, 0], [2220, 0, 0], [2500, 0, 0]) };
    expect(verdict(level)).toMatchObject({ cheaperCloud: 'gcp', lowerSpikeRiskCloud: null, clearWinner: false });
    expect(summary(level)).toContain('the clouds are level on risk in every case');
  });

  it('leaves cost undecided when a cloud is unpriced', () => {
    const sensitivity = { aws: cloud([null, 0.004, 20], [null, 0.005, 25], [null, 0.006, 30]), gcp: APART.gcp };
    expect(verdict(sensitivity)).toMatchObject({ cheaperCloud: null, costRatio: null, costDrivers: [], clearWinner: false, bands: { monthlyCostUsd: null } });
    expect(summary(sensitivity)).toContain('Cost cannot be compared: no prices for AWS us-east-1.');
  });

  it('names the cost categories that make most of the difference, largest first', () => {
    // AWS 6450 vs GCP 2220: the vector store makes 4200 of the 4230 difference; cache and queues add 130, endpoints take 100 back.
    const v = verdict(APART);
    expect(v.costDrivers.map((d) => d.category)).toEqual(['vector-store']);
    expect(v.costDrivers[0]).toMatchObject({ awsMonthlyUsd: 5000, gcpMonthlyUsd: 800 });
    expect(v.costDrivers[0].differenceUsd).toBeCloseTo(4200, 9);
    expect(v.costDrivers[0].lines.map((l) => [l.cloud, l.tag])).toEqual([['aws', 'U'], ['gcp', 'V']]);
  });

  it('depends on the unverified ranged assumptions of the clouds whose simulated figures moved, widest range first', () => {
    // Only AWS's figures moved: the GCP-only assumption is left out, the verified one never counts.
    const awsMoved = { aws: APART.aws, gcp: cloud([2000, 0.0012, 8], [2220, 0.0012, 8], [2500, 0.0012, 8]) };
    expect(verdict(awsMoved).dependsOn).toEqual(['sagemaker.only', 'provisioning.gpu-instance']);
    expect(verdict(APART).dependsOn).toEqual(['sagemaker.only', 'provisioning.gpu-instance', 'metric.publish-delay']);
    const nothingMoved = { aws: cloud([6000, 0.005, 25], [6450, 0.005, 25], [7000, 0.005, 25]), gcp: awsMoved.gcp };
    expect(verdict(nothingMoved).dependsOn).toEqual([]);
    expect(summary(nothingMoved)).toContain('No unverified assumption with a range moves the simulated figures');
  });

  it('leaves out an assumption no model looked up in the moved runs', () => {
    expect(verdict(APART, { aws: ['provisioning.gpu-instance', 'metric.period'], gcp: [] }).dependsOn).toEqual(['provisioning.gpu-instance']);
    expect(verdict(APART, { aws: [], gcp: ['metric.publish-delay', 'sagemaker.only'] }).dependsOn).toEqual(['metric.publish-delay']);
  });
});

describe('verdictSummary', () => {
  it('says which cloud costs less and by how much, which rides the spike with less risk, what drives it and what it depends on', () => {
    const text = summary(APART);
    expect(text).toMatch(/^GCP costs less: \$2,220 a month at minimum replicas against AWS's \$6,450 \(AWS 2\.91× as much; bands AWS \$6,000–\$7,000, GCP \$2,000–\$2,500\)\./);
    expect(text).toContain('GCP rides the spike with less risk: it refuses 0.12 % of requests against 0.50 % and breaches its SLO in 8 minutes against 25');
    expect(text).toContain('The cost difference is mostly vector-store ($5,000 on AWS, $800 on GCP), partly at unverified prices.');
    expect(text).toContain('The simulated figures move with 3 unverified assumptions: sagemaker.only, provisioning.gpu-instance, metric.publish-delay');
    expect(text).toMatch(/Clear winner: GCP, cheaper and lower-risk across both bands\.$/);
  });

  it('speaks of the traffic, not a spike, for a profile without one', () => {
    const { spikeStartMinute: _, ...steady } = PROFILE;
    expect(summary(APART, { ...steady, name: 'steady' })).toContain('Under the steady profile GCP rides the traffic with less risk');
  });

  it('opens by saying the peak was derived from capacity when no traffic was given', () => {
    expect(summary(APART, { ...PROFILE, peakSource: 'capacity' })).toMatch(/^No traffic was given, so each endpoint's peak was derived from its capacity/);
    expect(summary(APART, { ...PROFILE, peakSource: 'peak-rps' })).toMatch(/^GCP costs less/);
  });
});
