/**
 * `awsFacts`: the `ServingFacts` of a synthesized `ServingStack` template, read from the template
 * alone. Instance types become hardware through the shape catalog, and SageMaker's CPU and GPU
 * utilisation (summed over cores and GPUs) is divided back to a per-replica percentage with it.
 */
import { INSTANCE_SHAPES, type InstanceShape } from '../../constructs';
import { awsPipelineFacts } from './aws-pipeline-facts';
import { referencedId, referencesIn, rendered, Template, type CloudFormationTemplate } from './cloudformation-template';
import { arrayAt, isObject, numberAt, objectAt, pathAt, round2, specName, stringAt, type FactScope, type JsonObject } from './json-values';
import type {
  CacheFacts,
  Component,
  EncryptedResource,
  EndpointFacts,
  QueueFacts,
  ReachableResource,
  ScalingTarget,
  ServingFacts,
  VariantFacts,
  VectorStoreFacts,
} from './serving-facts';

export type { CloudFormationTemplate } from './cloudformation-template';

/** The one template of a `synthesizeServingTemplates` result, checked for the shape this module reads. */
export function singleTemplate(templates: Readonly<Record<string, unknown>>): CloudFormationTemplate {
  const all = Object.values(templates);
  if (all.length !== 1) throw new Error(`expected one serving stack, got ${all.length}: ${Object.keys(templates).join(', ')}`);
  const resources = pathAt(all[0], 'Resources');
  if (!isObject(resources) || !Object.values(resources).every((r) => typeof pathAt(r, 'Type') === 'string')) {
    throw new Error('the template has no Resources with a Type each');
  }
  return all[0] as CloudFormationTemplate;
}

/**
 * Types that neither hold data nor open a way in: policies, roles, alarms, scaling, routing and the
 * like. Anything not here and not read below is reported as unclassified.
 */
const TYPES_WITHOUT_DATA = new Set([
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::EC2::FlowLog',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPCEndpoint',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::ElastiCache::User',
  'AWS::ElastiCache::UserGroup',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  // Deployment-time handlers (custom resources: the scaling release, the vector index) and a
  // pipeline's worker (read in aws-pipeline-facts.ts); their code holds no data, the worker's
  // environment names and addresses only.
  'AWS::Lambda::Function',
  'Custom::SageMakerScalingRelease',
  'AWS::OpenSearchServerless::AccessPolicy',
  // The index's documents live in the collection, encrypted by the collection's policy.
  'Custom::VectorIndex',
  // CDK's custom resources that close the default security group and empty buckets on delete.
  'Custom::VpcRestrictDefaultSG',
  'Custom::S3AutoDeleteObjects',
  'AWS::OpenSearchServerless::VpcEndpoint',
  'AWS::RDS::DBSubnetGroup',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Subscription',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::Model',
]);

/** Types read below for data at rest or reachability. */
const TYPES_READ = new Set([
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::Subnet',
  'AWS::EC2::VPC',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Logs::LogGroup',
  'AWS::OpenSearchServerless::Collection',
  'AWS::OpenSearchServerless::SecurityPolicy',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SageMaker::EndpointConfig',
]);

/** OpenSearch k-NN space types in the spec's words (OpenSearch documentation, "Spaces"). */
const SPACE_TYPES: Readonly<Record<string, VectorStoreFacts['metric']>> = { cosinesimil: 'cosine', innerproduct: 'dot-product', l2: 'euclidean' };

/** SQS defaults when a queue leaves them unset (SQS API reference, CreateQueue): 30 s visibility, 4 days retention. */
const SQS_DEFAULTS = { visibilityTimeoutSeconds: 30, retentionSeconds: 345_600 } as const;

export function awsFacts(template: CloudFormationTemplate, scope: FactScope): ServingFacts {
  const t = new Template(template);
  const endpointOfConfig = new Map<string, string>();
  const endpoints: Record<string, EndpointFacts> = {};
  const endpointNames = new Map<string, string>();
  for (const [id, p] of t.ofType('AWS::SageMaker::Endpoint')) {
    // A/B, async and serverless endpoints carry a 4-hex hash of their mode and variant names (resolveTopology).
    const name = specName(stringAt(p.EndpointName) ?? id, scope).replace(/-[0-9a-f]{4}$/, '');
    endpointNames.set(id, name);
    const configId = referencedId(p.EndpointConfigName);
    if (configId) endpointOfConfig.set(configId, name);
    endpoints[name] = endpointFacts(t, id, configId ? t.props(configId) : {});
  }
  const endpointOf = (configId: string): Component => `endpoint:${endpointOfConfig.get(configId) ?? configId}`;

  const { queues, queueOf } = queueFacts(t, scope);
  const pipelines = awsPipelineFacts(t, { queueOf, endpointOf: endpointNames });
  return {
    cloud: 'aws',
    endpoints,
    queues,
    featureCache: cacheFacts(t),
    vectorStore: vectorStoreFacts(t),
    pipelines: pipelines.pipelines,
    network: { createdByStack: t.ofType('AWS::EC2::VPC').length > 0 },
    dataAtRest: dataAtRest(t, scope, endpointOf, queueOf, pipelines.componentOf),
    reachability: [...reachability(t, endpointOf), ...pipelines.reachability],
    unclassified: [...new Set(t.all().map(([, type]) => type).filter((type) => !TYPES_WITHOUT_DATA.has(type) && !TYPES_READ.has(type)))],
  };
}

/**
 * The catalog shape an instance type realises; of several (ml.g6.12xlarge serves l4-2 and l4-4),
 * the one sized for all its GPUs, since the template does not say which the topology asked for.
 */
function shapeOfInstance(instanceType: string | undefined): InstanceShape | undefined {
  const shapes = INSTANCE_SHAPES.filter((s) => s.aws.instanceType === instanceType);
  return shapes.find((s) => s.accelerator.count === s.aws.acceleratorCount) ?? shapes[0];
}

function endpointFacts(t: Template, endpointId: string, config: JsonObject): EndpointFacts {
  const productionVariants = arrayAt(config.ProductionVariants).map(objectAt);
  const mode = productionVariants.some((v) => isObject(v.ServerlessConfig)) ? 'serverless' : isObject(config.AsyncInferenceConfig) ? 'async' : 'realtime';
  // Weights are relative: SageMaker routes weight / sum of weights (ProductionVariant InitialVariantWeight, default 1).
  const weights = productionVariants.map((v) => numberAt(v.InitialVariantWeight) ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);

  const targets = new Map<string, string>();
  for (const [id, p] of t.ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    const match = /^endpoint\/@ref:([^/]+)\/variant\/(.+)$/.exec(rendered(p.ResourceId) ?? '');
    if (match && match[1] === endpointId) targets.set(match[2], id);
  }
  const variants: Record<string, VariantFacts> = {};
  productionVariants.forEach((v, i) => {
    const variantName = stringAt(v.VariantName) ?? `#${i}`;
    const instanceType = stringAt(v.InstanceType);
    const shape = shapeOfInstance(instanceType);
    const targetId = targets.get(variantName);
    const initial = numberAt(v.InitialInstanceCount);
    const target = targetId ? t.props(targetId) : undefined;
    variants[variantName] = {
      weight: round2((weights[i] / total) * 100),
      replicas:
        initial === undefined
          ? undefined
          : { min: numberAt(target?.MinCapacity) ?? initial, max: numberAt(target?.MaxCapacity) ?? initial, initial },
      // Serverless variants run on CPU only (SageMaker Serverless Inference feature exclusions).
      accelerator:
        instanceType === undefined
          ? { type: 'none', count: 0 }
          : shape
            ? { type: shape.accelerator.type, count: shape.aws.acceleratorCount }
            : { type: `unknown ${instanceType}`, count: 0 },
      scalingTargets: targetId
        ? t
            .ofType('AWS::ApplicationAutoScaling::ScalingPolicy')
            .filter(([, p]) => referencedId(p.ScalingTargetId) === targetId)
            .map(([, p]) => scalingTarget(p, instanceType, shape))
            .sort((a, b) => a.metric.localeCompare(b.metric))
        : [],
    };
  });
  return { mode, variants };
}

/**
 * Target tracking in per-replica terms. Invocations per instance are per minute (SageMaker
 * "Define a scaling policy"); CPUUtilization and GPUUtilization are summed over cores and GPUs
 * (0–100 × vCPUs or GPUs, SageMaker "Monitor with CloudWatch"), so they are divided back.
 */
function scalingTarget(policy: JsonObject, instanceType: string | undefined, shape: InstanceShape | undefined): ScalingTarget {
  const config = objectAt(policy.TargetTrackingScalingPolicyConfiguration);
  const value = numberAt(config.TargetValue) ?? Number.NaN;
  const predefined = stringAt(pathAt(config, 'PredefinedMetricSpecification', 'PredefinedMetricType'));
  if (predefined === 'SageMakerVariantInvocationsPerInstance') return { metric: 'invocations', value };
  if (predefined === 'SageMakerVariantConcurrentRequestsPerModelHighResolution') return { metric: 'concurrency', value };
  const metricName = stringAt(pathAt(config, 'CustomizedMetricSpecification', 'MetricName'));
  // Async endpoints realise a concurrency target on their queue per instance.
  if (metricName === 'ApproximateBacklogSizePerInstance') return { metric: 'concurrency', value };
  if (!shape) throw new Error(`aws-facts: cannot read a ${metricName ?? predefined} target per replica on ${instanceType}: not in the shape catalog`);
  if (metricName === 'CPUUtilization') return { metric: 'cpu', value: round2(value / shape.aws.vcpus) };
  if (metricName === 'GPUUtilization') return { metric: 'gpu', value: round2(value / shape.accelerator.count) };
  throw new Error(`aws-facts: unknown scaling metric ${metricName ?? predefined}`);
}

function queueFacts(t: Template, scope: FactScope): { queues: Record<string, QueueFacts>; queueOf: Map<string, string> } {
  const deadLetterQueues = new Set(t.ofType('AWS::SQS::Queue').map(([, p]) => referencedId(pathAt(p, 'RedrivePolicy', 'deadLetterTargetArn'))));
  const queues: Record<string, QueueFacts> = {};
  const queueOf = new Map<string, string>();
  for (const [id, p] of t.ofType('AWS::SQS::Queue')) {
    if (deadLetterQueues.has(id)) continue;
    // FIFO queue names end in .fifo (SQS Developer Guide, "FIFO queue and message identifiers").
    const name = specName(stringAt(p.QueueName) ?? id, scope).replace(/\.fifo$/, '');
    const deadLetterId = referencedId(pathAt(p, 'RedrivePolicy', 'deadLetterTargetArn'));
    queueOf.set(id, name);
    if (deadLetterId) queueOf.set(deadLetterId, name);
    queues[name] = {
      maxDeliveryAttempts: numberAt(pathAt(p, 'RedrivePolicy', 'maxReceiveCount')),
      // Redrive moves messages within the account without a grant (SQS Developer Guide, dead-letter queues).
      deadLetter: deadLetterId && t.type(deadLetterId) === 'AWS::SQS::Queue' ? { retained: true, permitted: true } : undefined,
      ackTimeoutSeconds: numberAt(p.VisibilityTimeout) ?? SQS_DEFAULTS.visibilityTimeoutSeconds,
      retentionHours: round2((numberAt(p.MessageRetentionPeriod) ?? SQS_DEFAULTS.retentionSeconds) / 3600),
    };
  }
  return { queues, queueOf };
}

function cacheFacts(t: Template): CacheFacts | undefined {
  const serverless = t.ofType('AWS::ElastiCache::ServerlessCache');
  const groups = t.ofType('AWS::ElastiCache::ReplicationGroup');
  if (serverless.length + groups.length > 1) throw new Error('aws-facts: more than one feature cache');
  if (serverless.length === 1) {
    // ElastiCache Serverless stores data redundantly across zones and manages its own replicas (ElastiCache User Guide, "Serverless").
    return { engine: cacheEngine(serverless[0][1].Engine), deployment: 'serverless', multiZone: true };
  }
  if (groups.length === 1) {
    const p = groups[0][1];
    return { engine: cacheEngine(p.Engine), deployment: 'nodes', replicas: numberAt(p.ReplicasPerNodeGroup) ?? 0, multiZone: p.MultiAZEnabled === true };
  }
  return undefined;
}

function cacheEngine(engine: unknown): CacheFacts['engine'] {
  if (engine === 'valkey' || engine === 'redis') return engine;
  throw new Error(`aws-facts: cache engine ${String(engine)} is neither valkey nor redis`);
}

function vectorStoreFacts(t: Template): VectorStoreFacts | undefined {
  if (t.ofType('AWS::OpenSearchServerless::Collection').length > 0) {
    // The index body is the JSON the in-VPC handler sends as `PUT /<index>` (OpenSearch's own field names).
    const fields = t.ofType('Custom::VectorIndex').flatMap(([, p]) => Object.values(objectAt(pathAt(JSON.parse(stringAt(p.IndexBody) ?? '{}'), 'mappings', 'properties'))));
    const vector = fields.map(objectAt).find((f) => f.type === 'knn_vector');
    return {
      engine: 'managed',
      dimensions: numberAt(vector?.dimension),
      metric: SPACE_TYPES[stringAt(pathAt(vector, 'method', 'space_type')) ?? ''],
    };
  }
  const cluster = t.ofType('AWS::RDS::DBCluster').find(([, p]) => p.Engine === 'aurora-postgresql');
  // The pgvector table and index are the application's migrations: the template has no schema.
  return cluster ? { engine: 'pgvector' } : undefined;
}

interface KeyUse {
  readonly customerManaged: boolean;
  readonly detail: string;
}

/** A key this stack manages and rotates, or what it is instead. */
function keyUse(t: Template, value: unknown): KeyUse {
  const id = referencedId(value);
  if (id && t.type(id) === 'AWS::KMS::Key') {
    const rotated = t.props(id).EnableKeyRotation === true;
    return { customerManaged: rotated, detail: rotated ? `KMS key ${id}, rotated` : `KMS key ${id} without rotation` };
  }
  return { customerManaged: false, detail: value === undefined ? 'no key: AWS-owned or AWS-managed encryption' : `key ${JSON.stringify(value)} is not one this stack manages` };
}

function dataAtRest(
  t: Template,
  scope: FactScope,
  endpointOf: (configId: string) => Component,
  queueOf: Map<string, string>,
  pipelineOf: ReadonlyMap<string, Component>,
): EncryptedResource[] {
  const out: EncryptedResource[] = [];
  const add = (component: Component, resource: string, use: KeyUse, exemption?: string) =>
    out.push({ component, resource, ...use, ...(use.customerManaged || !exemption ? {} : { exemption }) });

  const configReferences = t.ofType('AWS::SageMaker::EndpointConfig').map(([id, p]) => ({ component: endpointOf(id), refs: referencesIn(p) }));
  const referencedByConfig = (id: string) => configReferences.find((c) => c.refs.has(id))?.component;
  const alarmTopics = new Set(t.ofType('AWS::CloudWatch::Alarm').flatMap(([, p]) => [...referencesIn(p.AlarmActions)]));
  const logDestinations = new Set(t.ofType('AWS::S3::Bucket').map(([, p]) => referencedId(pathAt(p, 'LoggingConfiguration', 'DestinationBucketName'))));
  const flowLogGroups = new Set(t.ofType('AWS::EC2::FlowLog').map(([, p]) => referencedId(p.LogGroupName)));

  for (const [id, p] of t.ofType('AWS::SageMaker::EndpointConfig')) {
    const component = endpointOf(id);
    const nvme = arrayAt(p.ProductionVariants)
      .map((v) => stringAt(objectAt(v).InstanceType))
      .filter((type): type is string => shapeOfInstance(type)?.aws.localNvme === true);
    add(
      component,
      `AWS::SageMaker::EndpointConfig ${id} (instance volumes)`,
      keyUse(t, p.KmsKeyId),
      nvme.length > 0
        ? `${[...new Set(nvme)].join(', ')} keep data on local NVMe storage SageMaker encrypts with a hardware key; ` +
          'CreateEndpointConfig rejects a KmsKeyId for them (SageMaker API reference, CreateEndpointConfig KmsKeyId)'
        : undefined,
    );
    if (isObject(p.DataCaptureConfig)) add(component, `AWS::SageMaker::EndpointConfig ${id} (data capture)`, keyUse(t, p.DataCaptureConfig.KmsKeyId));
    if (isObject(p.AsyncInferenceConfig)) {
      add(component, `AWS::SageMaker::EndpointConfig ${id} (async output)`, keyUse(t, pathAt(p.AsyncInferenceConfig, 'OutputConfig', 'KmsKeyId')));
    }
  }
  for (const [id, p] of t.ofType('AWS::SQS::Queue')) add(`queue:${queueOf.get(id) ?? id}`, `AWS::SQS::Queue ${id}`, keyUse(t, p.KmsMasterKeyId));
  for (const [id, p] of t.ofType('AWS::SNS::Topic')) {
    add(referencedByConfig(id) ?? (alarmTopics.has(id) ? 'monitoring' : 'shared'), `AWS::SNS::Topic ${id}`, keyUse(t, p.KmsMasterKeyId));
  }
  for (const [id, p] of t.ofType('AWS::S3::Bucket')) {
    const byDefault = objectAt(pathAt(arrayAt(pathAt(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration'))[0], 'ServerSideEncryptionByDefault'));
    const accessLogs = logDestinations.has(id);
    add(
      referencedByConfig(id) ?? 'shared',
      `AWS::S3::Bucket ${id}`,
      byDefault.SSEAlgorithm === 'aws:kms'
        ? keyUse(t, byDefault.KMSMasterKeyID)
        : { customerManaged: false, detail: `default encryption ${String(byDefault.SSEAlgorithm ?? 'none')}` },
      accessLogs && byDefault.SSEAlgorithm === 'AES256'
        ? 'S3 server access log delivery writes only to SSE-S3 buckets (Amazon S3 User Guide, "Enabling Amazon S3 server access logging")'
        : undefined,
    );
  }
  for (const [id, p] of t.ofType('AWS::Logs::LogGroup')) {
    const name = stringAt(p.LogGroupName) ?? '';
    const endpoint = /^\/aws\/sagemaker\/Endpoints\/(.+)$/.exec(name)?.[1];
    const component: Component =
      pipelineOf.get(id) ??
      (endpoint ? `endpoint:${specName(endpoint, scope)}` : flowLogGroups.has(id) ? 'network' : name.startsWith('/aws/rds/') ? 'vectorStore' : 'shared');
    add(component, `AWS::Logs::LogGroup ${id} ${name}`, keyUse(t, p.KmsKeyId));
  }
  for (const [id, p] of t.ofType('AWS::ElastiCache::ServerlessCache')) add('featureCache', `AWS::ElastiCache::ServerlessCache ${id}`, keyUse(t, p.KmsKeyId));
  for (const [id, p] of t.ofType('AWS::ElastiCache::ReplicationGroup')) {
    add(
      'featureCache',
      `AWS::ElastiCache::ReplicationGroup ${id}`,
      p.AtRestEncryptionEnabled === true ? keyUse(t, p.KmsKeyId) : { customerManaged: false, detail: 'AtRestEncryptionEnabled is not true' },
    );
  }
  const encryptionPolicies = t
    .ofType('AWS::OpenSearchServerless::SecurityPolicy')
    .filter(([, p]) => p.Type === 'encryption')
    .map(([, p]) => objectAt(parsePolicy(p.Policy)));
  for (const [id, p] of t.ofType('AWS::OpenSearchServerless::Collection')) {
    const policy = encryptionPolicies.find((e) => coversCollection(e, stringAt(p.Name)));
    add(
      'vectorStore',
      `AWS::OpenSearchServerless::Collection ${id}`,
      policy && policy.AWSOwnedKey === false
        ? keyUse(t, refFromRendered(policy.KmsARN))
        : { customerManaged: false, detail: policy ? 'encryption policy uses an AWS-owned key' : 'no encryption policy covers the collection' },
    );
  }
  for (const [id, p] of t.ofType('AWS::RDS::DBCluster')) {
    const storage = p.StorageEncrypted === true ? keyUse(t, p.KmsKeyId) : { customerManaged: false, detail: 'StorageEncrypted is not true' };
    add('vectorStore', `AWS::RDS::DBCluster ${id} (storage)`, storage);
    if (p.ManageMasterUserPassword === true) add('vectorStore', `AWS::RDS::DBCluster ${id} (master password secret)`, keyUse(t, pathAt(p, 'MasterUserSecret', 'KmsKeyId')));
  }
  for (const [id, p] of t.ofType('AWS::RDS::DBInstance')) {
    if (p.EnablePerformanceInsights === true) add('vectorStore', `AWS::RDS::DBInstance ${id} (Performance Insights)`, keyUse(t, p.PerformanceInsightsKMSKeyId));
  }
  return out;
}

/** A policy document, with references as `@ref:<id>` strings. */
function parsePolicy(value: unknown): unknown {
  const text = rendered(value);
  if (text === undefined) throw new Error(`aws-facts: cannot read the policy document ${JSON.stringify(value)}`);
  return JSON.parse(text);
}

function refFromRendered(value: unknown): unknown {
  const match = /^@ref:(.+)$/.exec(stringAt(value) ?? '');
  return match ? { Ref: match[1] } : value;
}

/** Whether a policy rule names the collection, exactly or by a `prefix*` pattern (OpenSearch Serverless policy resources). */
function coversCollection(statement: JsonObject, collectionName: string | undefined): boolean {
  const resource = `collection/${collectionName}`;
  return arrayAt(statement.Rules).some((rule) =>
    arrayAt(objectAt(rule).Resource).some((pattern) => pattern === resource || (typeof pattern === 'string' && pattern.endsWith('*') && resource.startsWith(pattern.slice(0, -1)))),
  );
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

function reachability(t: Template, endpointOf: (configId: string) => Component): ReachableResource[] {
  const out: ReachableResource[] = [];
  const modelEndpoint = new Map<string, Component>();
  for (const [configId, p] of t.ofType('AWS::SageMaker::EndpointConfig')) {
    for (const v of arrayAt(p.ProductionVariants)) {
      const modelId = referencedId(objectAt(v).ModelName);
      if (modelId) modelEndpoint.set(modelId, endpointOf(configId));
    }
  }
  for (const [id, p] of t.ofType('AWS::SageMaker::Model')) {
    const vpc = objectAt(p.VpcConfig);
    const inVpc = arrayAt(vpc.Subnets).length > 0 && arrayAt(vpc.SecurityGroupIds).length > 0;
    out.push({
      component: modelEndpoint.get(id) ?? 'shared',
      resource: `AWS::SageMaker::Model ${id}`,
      private: inVpc,
      detail: inVpc ? 'VpcConfig: the model runs in the VPC subnets' : 'no VpcConfig: the model container runs outside the VPC',
    });
  }
  for (const [id, p] of t.ofType('AWS::OpenSearchServerless::SecurityPolicy')) {
    if (p.Type !== 'network') continue;
    for (const statement of arrayAt(parsePolicy(p.Policy)).map(objectAt)) {
      const open = statement.AllowFromPublic !== false;
      out.push({
        component: 'vectorStore',
        resource: `AWS::OpenSearchServerless::SecurityPolicy ${id}`,
        private: !open,
        detail: open ? 'AllowFromPublic is not false' : `only from VPC endpoints ${JSON.stringify(statement.SourceVPCEs)}`,
      });
    }
  }
  for (const [id, p] of t.ofType('AWS::RDS::DBInstance')) {
    const isPrivate = p.PubliclyAccessible === false;
    out.push({ component: 'vectorStore', resource: `AWS::RDS::DBInstance ${id}`, private: isPrivate, detail: `PubliclyAccessible ${String(p.PubliclyAccessible)}` });
  }
  for (const [id, p] of [...t.ofType('AWS::ElastiCache::ServerlessCache'), ...t.ofType('AWS::ElastiCache::ReplicationGroup')]) {
    const inSubnets = arrayAt(p.SubnetIds).length > 0 || p.CacheSubnetGroupName !== undefined;
    out.push({ component: 'featureCache', resource: `ElastiCache ${id}`, private: inSubnets, detail: inSubnets ? 'in the VPC subnets' : 'no subnets' });
  }
  for (const [id] of t.ofType('AWS::EC2::VPC')) {
    // Gateways and public addresses are not classified types: a template with one fails on `unclassified`.
    out.push({ component: 'network', resource: `AWS::EC2::VPC ${id}`, private: true, detail: 'no internet or NAT gateway and no public address in the template' });
  }
  for (const [id, p] of t.ofType('AWS::EC2::Subnet')) {
    if (p.MapPublicIpOnLaunch === true) out.push({ component: 'network', resource: `AWS::EC2::Subnet ${id}`, private: false, detail: 'MapPublicIpOnLaunch' });
  }
  const ingress = [
    ...t.ofType('AWS::EC2::SecurityGroup').flatMap(([id, p]) => arrayAt(p.SecurityGroupIngress).map((rule) => [`AWS::EC2::SecurityGroup ${id}`, objectAt(rule)] as const)),
    ...t.ofType('AWS::EC2::SecurityGroupIngress').map(([id, p]) => [`AWS::EC2::SecurityGroupIngress ${id}`, p] as const),
  ];
  for (const [resource, rule] of ingress) {
    const source = stringAt(rule.CidrIp) ?? stringAt(rule.CidrIpv6);
    if (source && WORLD.has(source)) out.push({ component: 'network', resource, private: false, detail: `ingress from ${source}` });
  }
  return out;
}
