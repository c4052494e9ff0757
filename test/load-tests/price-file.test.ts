/** A user's price file: validated with errors that name the path, the bad value and what is allowed; merged over the catalog. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology } from '../../constructs';
import { AWS_US_EAST_1, awsPriceList, gcpPriceList, PRICING_CATALOG } from '../../constructs/catalog/pricing-catalog';
import { loadPriceFile, mergePriceFile, parsePriceFile, PriceFileError } from '../../load-tests/cost/price-file';
import { priceTopology } from '../../load-tests/cost/topology-cost';

const dir = mkdtempSync(join(tmpdir(), 'price-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NEGOTIATED = {
  formatVersion: 1,
  source: 'ACME enterprise agreement 2026, annex B',
  checkedOn: '2026-11-30',
  aws: {
    'us-east-1': {
      sagemakerInstances: { 'ml.g6.xlarge': 0.95 },
      opensearchServerlessOcu: { usd: 0.2, note: '17 % off list' },
    },
    'sa-east-1': { sagemakerInstances: { 'ml.m5.xlarge': { usd: 0.37, tag: 'S', source: 'https://aws.amazon.com/sagemaker/pricing/', checkedOn: '2026-11' } } },
  },
  gcp: { 'us-central1': { memorystoreNodes: { STANDARD_SMALL: { usd: 0.12, tag: 'U', note: 'quote 2026-11, 16 % off' } } } },
};

const problemsOf = (json: unknown): string => {
  try {
    parsePriceFile(json, 'prices.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PriceFileError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
};

describe('price files', () => {
  it('replace the catalog prices they name and keep the rest, in the catalog\'s units', () => {
    const catalog = mergePriceFile(parsePriceFile(NEGOTIATED, 'prices.json'), 'prices.json');
    const aws = awsPriceList('us-east-1', catalog)!;
    expect(aws.sagemakerInstances?.['ml.g6.xlarge']).toEqual({
      usd: 0.95,
      unit: 'instance-hour',
      tag: 'V',
      source: 'ACME enterprise agreement 2026, annex B',
      checkedOn: '2026-11-30',
    });
    expect(aws.opensearchServerlessOcu).toMatchObject({ usd: 0.2, unit: 'OCU-hour', note: '17 % off list' });
    expect(aws.sagemakerInstances?.['ml.m5.xlarge']).toBe(AWS_US_EAST_1.sagemakerInstances['ml.m5.xlarge']);
    expect(gcpPriceList('us-central1', catalog)!.memorystoreNodes?.STANDARD_SMALL).toMatchObject({ usd: 0.12, tag: 'U', low: 0.09, high: 0.15 });
    expect(awsPriceList('sa-east-1', catalog)).toEqual({
      cloud: 'aws',
      region: 'sa-east-1',
      sagemakerInstances: { 'ml.m5.xlarge': { usd: 0.37, unit: 'instance-hour', tag: 'S', source: 'https://aws.amazon.com/sagemaker/pricing/', checkedOn: '2026-11', low: 0.333, high: 0.407 } },
    });
    expect(catalog.priceFile).toEqual({ path: 'prices.json', regions: { aws: ['us-east-1', 'sa-east-1'], gcp: ['us-central1'] } });
    expect(awsPriceList('us-east-1')).toBe(AWS_US_EAST_1);
    expect(PRICING_CATALOG.aws.map((l) => l.region)).not.toContain('sa-east-1');
  });

  it('price a topology with the negotiated rates and say where each total\'s prices came from', () => {
    const path = join(dir, 'prices.json');
    writeFileSync(path, JSON.stringify(NEGOTIATED));
    const topology = resolveTopology(
      parseTopology(
        {
          name: 'tiny',
          environment: 'dev',
          regions: { aws: 'sa-east-1', gcp: 'us-central1' },
          endpoints: [{ name: 'scorer', model: { image: { aws: '123456789012.dkr.ecr.sa-east-1.amazonaws.com/s:1', gcp: 'us-docker.pkg.dev/p/s/s:1' } }, compute: { cpus: 4, memoryGiB: 16 }, scaling: { min: 2, max: 3 } }],
        },
        'test',
      ),
    );
    const cost = priceTopology(topology, { catalog: loadPriceFile(path) });
    expect(cost.clouds.aws.lines.find((l) => l.item === 'scorer/primary')).toMatchObject({ unitPriceUsd: 0.37, hourlyUsd: 0.74 });
    expect(cost.clouds.aws.basis.priceList).toEqual({ region: 'sa-east-1', from: 'price file', catalogCompiledOn: '2026-12-06', priceFile: path });
    expect(cost.clouds.gcp.basis.priceList.from).toBe('catalog and price file');
  });

  it.each([
    ['formatVersion: must be one of 1, got 2', { ...NEGOTIATED, formatVersion: 2 }],
    ['checkedOn: must be a date: YYYY-MM-DD, YYYY-MM or YYYY, got "yesterday"', { ...NEGOTIATED, checkedOn: 'yesterday' }],
    ['source: required (string)', { formatVersion: 1, checkedOn: '2026-11-30' }],
    ['tag: must be one of "V", "S", "U", got "X"', { ...NEGOTIATED, tag: 'X' }],
    ['unknown field "azure"; allowed: formatVersion, source, checkedOn, tag, aws, gcp', { ...NEGOTIATED, azure: {} }],
    ['aws.us-east-1: unknown field "sagemaker"; allowed: sagemakerInstances, elasticacheNodes,', { ...NEGOTIATED, aws: { 'us-east-1': { sagemaker: {} } } }],
    ['aws.US East: has an invalid key: an AWS region such as eu-west-1', { ...NEGOTIATED, aws: { 'US East': {} } }],
    ['aws.us-east-1.sagemakerInstances.g6.xlarge: has an invalid key: a SageMaker instance type such as ml.g6.xlarge', { ...NEGOTIATED, aws: { 'us-east-1': { sagemakerInstances: { 'g6.xlarge': 1 } } } }],
    ['aws.us-east-1.kmsKey: must be a price: a number (USD per unit) or an object with usd and optional source, checkedOn, tag, note, low, high, got "one dollar"', { ...NEGOTIATED, aws: { 'us-east-1': { kmsKey: 'one dollar' } } }],
    ['aws.us-east-1.kmsKey: must be >= 0, got -1', { ...NEGOTIATED, aws: { 'us-east-1': { kmsKey: -1 } } }],
    ['gcp.us-central1.pscEndpoint: needs low <= usd <= high', { ...NEGOTIATED, gcp: { 'us-central1': { pscEndpoint: { usd: 0.01, low: 0.02 } } } }],
  ])('reject a file with "%s"', (message, json) => {
    const text = problemsOf(json);
    expect(text).toContain('--prices prices.json:');
    expect(text).toContain(message);
  });

  it('reject an unverified [U] price without the note saying how it was derived', () => {
    const file = parsePriceFile({ ...NEGOTIATED, tag: 'U', aws: { 'us-east-1': { kmsKey: 0.9 } }, gcp: undefined }, 'prices.json');
    expect(() => mergePriceFile(file, 'prices.json')).toThrow('aws.us-east-1.kmsKey: an unverified [U] price needs a note saying how it was derived');
  });

  it('report a file that is missing or not JSON', () => {
    expect(() => loadPriceFile(join(dir, 'none.json'))).toThrow(/cannot read it \(ENOENT\)/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "formatVersion": 1,');
    expect(() => loadPriceFile(broken)).toThrow(/not valid JSON/);
  });
});
