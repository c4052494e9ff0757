/**
 * AWS on-demand list prices: us-east-1 from the sources each price cites, eu-west-1 and
 * ap-northeast-1 carried from us-east-1 by a regional ratio (every such price is [U] and says so).
 *
 * The vendor pricing pages (aws.amazon.com/<service>/pricing) draw their tables in the browser,
 * so where a figure was read from the AWS Price List API by a third party, the source is the
 * public offer file (no credentials needed) that holds it, and the tag stays [S] until someone
 * re-reads it there.
 */
import { CATALOG_COMPILED_ON, derived, price, regional, type Price, type RegionalRatio } from './price';
import type { AwsPriceList } from './pricing-catalog';

const offerFile = (service: string, region: string) =>
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`;

const SAGEMAKER_OFFER = offerFile('AmazonSageMaker', 'us-east-1');
const ELASTICACHE_OFFER = offerFile('AmazonElastiCache', 'us-east-1');
const FMBENCH = 'aws-samples/foundation-model-benchmarking-tool fmbench/configs/pricing.yml@f92381d';
/** Figures a third-party cost tool read from the AWS Price List API on 2026-10-02 (usage types NodeUsage:<type>). */
const ELASTICACHE_READ = 'read from the AWS Price List API by a third-party cost tool on 2026-10-02';

/** A SageMaker real-time inference instance-hour. */
const sagemaker = (usd: number, source: string, checkedOn: string, details?: Parameters<typeof price>[5]) =>
  price(usd, 'instance-hour', 'S', source, checkedOn, details);

const ML_M5_XLARGE = sagemaker(0.23, SAGEMAKER_OFFER, '2026-09-28', {
  note: 'usage type USE1-Host:ml.m5.xlarge as read from the AWS Price List API by third parties (2026-06-27, 2026-09-28); FMBench pricing.yml also 0.23; a zircon.tech blog (2025-10) says 0.269',
  range: { low: 0.23, high: 0.269 },
});

/** ElastiCache node-hour prices for the cache node types the topology uses (cache-shapes.ts). */
function elasticacheNode(engine: 'Valkey' | 'Redis OSS', usd: number): Price {
  return price(usd, 'node-hour', 'S', ELASTICACHE_OFFER, '2026-10-02', {
    note: `${engine} on-demand, ${ELASTICACHE_READ}${engine === 'Valkey' ? '; 0.8 × the Redis OSS price, as AWS prices node-based Valkey 20 % lower' : ''}`,
    range: { low: usd * 0.95, high: usd * 1.05 },
  });
}

const REDIS_OSS_NODES: Readonly<Record<string, number>> = {
  'cache.t4g.small': 0.032,
  'cache.t4g.medium': 0.065,
  'cache.r7g.large': 0.219,
  'cache.r7g.xlarge': 0.437,
  'cache.r7g.2xlarge': 0.873,
};
const VALKEY_NODES: Readonly<Record<string, number>> = {
  'cache.t4g.small': 0.0256,
  'cache.t4g.medium': 0.052,
  'cache.r7g.large': 0.1752,
  'cache.r7g.xlarge': 0.3496,
  'cache.r7g.2xlarge': 0.6984,
};

const nodes = (engine: 'Valkey' | 'Redis OSS', table: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(table).map(([type, usd]) => [type, elasticacheNode(engine, usd)]));

const USAGE_AI_SERVERLESS = 'https://www.usage.ai/blogs/aws/database-savings-plans/elasticache/serverless-pricing/';
const AWS_DATABASE_BLOG_SERVERLESS = 'https://aws.amazon.com/blogs/database/unlock-on-demand-cost-optimized-performance-with-amazon-elasticache-serverless/';

export const AWS_US_EAST_1: AwsPriceList = {
  cloud: 'aws',
  region: 'us-east-1',
  sagemakerInstances: {
    'ml.m5.large': sagemaker(0.115, 'JHUAPL-DTC-TA2/wiki docs/sagemaker_instances.md', CATALOG_COMPILED_ON, { note: 'the wiki page is undated' }),
    'ml.m5.xlarge': ML_M5_XLARGE,
    'ml.m5.2xlarge': derived(2 * ML_M5_XLARGE.usd, 'instance-hour', '2 × ml.m5.xlarge: SageMaker prices scale with size within a family (FMBench: ml.c5.xlarge 0.204, 2xlarge 0.408, 4xlarge 0.816)', FMBENCH),
    'ml.m5.4xlarge': derived(4 * ML_M5_XLARGE.usd, 'instance-hour', '4 × ml.m5.xlarge, linear within the family as above', FMBENCH),
    'ml.g4dn.xlarge': sagemaker(0.7364, FMBENCH, '2025'),
    'ml.g6.xlarge': sagemaker(1.1267, SAGEMAKER_OFFER, '2026', {
      note: 'usage type USE1-Host:ml.g6.xlarge as read from the AWS Price List API by a third party; code constants elsewhere say 1.127 or 1.13, blogs up to 1.32',
      range: { low: 1.1267, high: 1.32 },
    }),
    'ml.g6.2xlarge': sagemaker(1.222, FMBENCH, '2025'),
    'ml.g6.12xlarge': sagemaker(5.752, FMBENCH, '2025'),
    'ml.g5.xlarge': sagemaker(1.4084, FMBENCH, '2025', { note: 'a wring.co blog says 1.21', range: { low: 1.21, high: 1.4084 } }),
    'ml.p4d.24xlarge': sagemaker(37.688, FMBENCH, '2025'),
    'ml.p5.48xlarge': sagemaker(113.068, FMBENCH, '2025', { note: 'another FMBench config says 98.32', range: { low: 98.32, high: 113.068 } }),
    'ml.p5.4xlarge': sagemaker(7.912, SAGEMAKER_OFFER, '2026-09-27', {
      note:
        'usage type USE1-Host:ml.p5.4xlarge as read from the AWS Price List API by third parties (2026-09-27), with ml.p5.48xlarge at 63.296 (8 × 7.912) after AWS cut P5 prices in June 2025; ' +
        'the ml.p5.48xlarge above (113.068, FMBench 2025) predates that cut, and one eighth of it is the high end',
      range: { low: 7.912, high: 113.068 / 8 },
    }),
  },
  elasticacheNodes: { valkey: nodes('Valkey', VALKEY_NODES), redis: nodes('Redis OSS', REDIS_OSS_NODES) },
  elasticacheServerless: {
    valkey: {
      data: price(0.084, 'GB-hour', 'S', USAGE_AI_SERVERLESS, '2026-06', { note: 'usage.ai citing AWS; at least 100 MB of data is billed (aws.amazon.com/elasticache/pricing)' }),
      ecpu: price(0.0023, 'million ECPUs', 'S', USAGE_AI_SERVERLESS, '2026-06', { note: 'usage.ai citing AWS; 1 ECPU per KB read or written (aws.amazon.com/elasticache/pricing)' }),
    },
    redis: {
      data: price(0.125, 'GB-hour', 'S', AWS_DATABASE_BLOG_SERVERLESS, '2024-02', { note: 'the blog\'s worked example; at least 1 GB of data is billed' }),
      ecpu: price(0.0034, 'million ECPUs', 'S', AWS_DATABASE_BLOG_SERVERLESS, '2024-02', { note: 'the blog\'s worked example' }),
    },
  },
  opensearchServerlessOcu: price(0.24, 'OCU-hour', 'S', 'https://aws.amazon.com/opensearch-service/pricing/', CATALOG_COMPILED_ON, {
    note: 'quoted by a re:Post answer and awsnegotiations.com; the page draws its table in the browser. S3-backed storage ($/GB-month) is billed apart and not included',
    range: { low: 0.22, high: 0.26 },
  }),
  auroraServerlessV2Acu: price(0.12, 'ACU-hour', 'S', 'https://aws.amazon.com/rds/aurora/pricing/', '2026-05', {
    note:
      'Aurora Standard, as awsnegotiations.com (Aurora Serverless v2 pricing, 2026-05) and c3x.dev quote the page; the high end is Aurora I/O-Optimized (recalled). Storage ($/GB-month) and I/O requests are billed apart and not included',
    range: { low: 0.12, high: 0.16 },
  }),
  sqsStandardRequests: price(0.4, 'million requests', 'S', 'https://aws.amazon.com/sqs/pricing/', '2026', {
    note: 'quoted by 2026 guides (factualminds, cloudburn, unanswered.io); the first 1 M requests a month are free and not deducted',
  }),
  interfaceEndpoint: price(0.01, 'endpoint-AZ-hour', 'U', 'https://aws.amazon.com/privatelink/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled list price per endpoint per availability zone; data processed ($0.01/GB) is not included',
  }),
  kmsKey: price(1, 'key-month', 'U', 'https://aws.amazon.com/kms/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled list price per customer-managed key; requests ($0.03 per 10,000) are not included',
  }),
  alarm: price(0.1, 'alarm-month', 'U', 'https://aws.amazon.com/cloudwatch/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: standard-resolution metric alarm',
  }),
  highResolutionAlarm: price(0.3, 'alarm-month', 'U', 'https://aws.amazon.com/cloudwatch/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: high-resolution metric alarm',
  }),
  fargateVcpu: price(0.04048, 'vCPU-hour', 'U', 'https://aws.amazon.com/fargate/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: Linux/x86 on demand, billed per second with a 1-minute minimum; ARM (Graviton) is about 20 % less, Fargate Spot up to 70 % less',
  }),
  fargateMemory: price(0.004445, 'GB-hour', 'U', 'https://aws.amazon.com/fargate/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: Linux/x86 on demand; 20 GB of ephemeral storage included',
  }),
  lambdaRequests: price(0.2, 'million requests', 'U', 'https://aws.amazon.com/lambda/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled; the monthly free tier (1 M requests) is not deducted',
  }),
  lambdaMemory: price(0.06, 'GB-hour', 'U', 'https://aws.amazon.com/lambda/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: 0.0000166667 $ per GB-second, x86-64, first 6 billion GB-seconds a month, billed per millisecond; Arm is about 20 % less; the free tier (400,000 GB-s) is not deducted',
  }),
  sqsFifoRequests: price(0.5, 'million requests', 'U', 'https://aws.amazon.com/sqs/pricing/', CATALOG_COMPILED_ON, {
    note: 'recalled: FIFO queues, first 100 billion requests a month; each 64 KB chunk of a payload is one request; the first 1 M requests a month are free and not deducted',
  }),
};

/**
 * Other regions follow us-east-1 by the EC2 on-demand ratio of m5.xlarge (us-east-1 0.192 $/h),
 * which the managed services' regional tables track roughly; the range allows for services that
 * deviate. Request-priced services (SQS, KMS, CloudWatch alarms) keep the us-east-1 price, which
 * they charge in most regions, within +15 %.
 */
const EC2_ON_DEMAND = 'EC2 on-demand m5.xlarge (aws.amazon.com/ec2/pricing/on-demand, recalled)';
const COMPUTE_RATIO: Readonly<Record<string, RegionalRatio>> = {
  'eu-west-1': { ratio: 1.1146, low: 1.05, high: 1.17, basis: `${EC2_ON_DEMAND}: eu-west-1 0.214 / us-east-1 0.192` },
  'ap-northeast-1': { ratio: 1.2917, low: 1.15, high: 1.35, basis: `${EC2_ON_DEMAND}: ap-northeast-1 0.248 / us-east-1 0.192` },
};
const FLAT: RegionalRatio = { ratio: 1, low: 1, high: 1.15, basis: 'the same list price in most regions (recalled)' };

/** Each derived price points at the region's own offer file (AWS Price List service codes), where the real figure can be read. */
function awsRegion(region: keyof typeof COMPUTE_RATIO): AwsPriceList {
  const from = AWS_US_EAST_1;
  const compute = (service: string) => (p: Price) => regional(p, from.region, COMPUTE_RATIO[region], offerFile(service, region));
  const flat = (service: string) => (p: Price) => regional(p, from.region, FLAT, offerFile(service, region));
  const each = (record: Readonly<Record<string, Price>>, service: string) =>
    Object.fromEntries(Object.entries(record).map(([k, p]) => [k, compute(service)(p)]));
  const cache = compute('AmazonElastiCache');
  return {
    cloud: 'aws',
    region,
    sagemakerInstances: each(from.sagemakerInstances, 'AmazonSageMaker'),
    elasticacheNodes: { valkey: each(from.elasticacheNodes.valkey, 'AmazonElastiCache'), redis: each(from.elasticacheNodes.redis, 'AmazonElastiCache') },
    elasticacheServerless: {
      valkey: { data: cache(from.elasticacheServerless.valkey.data), ecpu: cache(from.elasticacheServerless.valkey.ecpu) },
      redis: { data: cache(from.elasticacheServerless.redis.data), ecpu: cache(from.elasticacheServerless.redis.ecpu) },
    },
    opensearchServerlessOcu: compute('AmazonES')(from.opensearchServerlessOcu),
    auroraServerlessV2Acu: compute('AmazonRDS')(from.auroraServerlessV2Acu),
    sqsStandardRequests: flat('AWSQueueService')(from.sqsStandardRequests),
    interfaceEndpoint: compute('AmazonVPC')(from.interfaceEndpoint),
    kmsKey: flat('awskms')(from.kmsKey),
    alarm: flat('AmazonCloudWatch')(from.alarm),
    highResolutionAlarm: flat('AmazonCloudWatch')(from.highResolutionAlarm),
    fargateVcpu: compute('AmazonECS')(from.fargateVcpu),
    fargateMemory: compute('AmazonECS')(from.fargateMemory),
    lambdaRequests: flat('AWSLambda')(from.lambdaRequests),
    lambdaMemory: flat('AWSLambda')(from.lambdaMemory),
    sqsFifoRequests: flat('AWSQueueService')(from.sqsFifoRequests),
  };
}

export const AWS_EU_WEST_1 = awsRegion('eu-west-1');
export const AWS_AP_NORTHEAST_1 = awsRegion('ap-northeast-1');
