/**
 * The embedding-refresh pipeline as a CloudFormation template realises it: the Lambda function an
 * SQS event source mapping feeds, what may invoke it, its limits, what its role may reach, and the
 * alarms on its queue. Read from the template alone.
 */
import { referencedId, referencesIn, rendered, type Template } from './cloudformation-template';
import { arrayAt, isObject, numberAt, objectAt, pathAt } from './json-values';
import type { Component, PipelineFacts, ReachableResource } from './serving-facts';

/**
 * The one queue-fed worker a topology has today. A second event source mapping target fails the
 * extraction until the extractor learns to tell the pipelines apart.
 */
const PIPELINE = 'embeddingRefresh';

/** Lambda defaults when a function or mapping leaves them unset (Lambda API reference: CreateFunction, CreateEventSourceMapping for SQS). */
const LAMBDA_DEFAULTS = { timeoutSeconds: 3, memoryMiB: 128, sqsBatchSize: 10 } as const;

/** What Lambda needs to attach a function to a VPC (AWSLambdaVPCAccessExecutionRole); EC2 scopes none of them to resources. */
const VPC_ACCESS_ACTIONS = new Set([
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);
/** What an SQS event source mapping polls with, as the function's role (Lambda developer guide, "Using Lambda with Amazon SQS"). */
const SQS_CONSUME_ACTIONS = new Set(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
const OWN_LOG_ACTIONS = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);
/** Document reads and writes in an OpenSearch Serverless data access policy, and the lookups they need. */
const AOSS_DOCUMENT_PERMISSIONS = new Set(['aoss:DescribeCollectionItems', 'aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument']);

export interface AwsPipelineContext {
  /** Spec queue name by the logical id of the queue or its dead-letter queue. */
  readonly queueOf: ReadonlyMap<string, string>;
  /** Spec endpoint name by the logical id of its AWS::SageMaker::Endpoint. */
  readonly endpointOf: ReadonlyMap<string, string>;
}

export interface AwsPipelines {
  readonly pipelines: Record<string, PipelineFacts>;
  /** The pipeline component of the worker's own resources (its log group), by logical id. */
  readonly componentOf: ReadonlyMap<string, Component>;
  readonly reachability: ReachableResource[];
}

export function awsPipelineFacts(t: Template, context: AwsPipelineContext): AwsPipelines {
  const mappings = t.ofType('AWS::Lambda::EventSourceMapping');
  const workers = [...new Set(mappings.map(([, p]) => referencedId(p.FunctionName)).filter((id): id is string => id !== undefined))];
  if (workers.length > 1) throw new Error(`aws-facts: ${workers.length} queue-fed functions (${workers.join(', ')}); only one pipeline is known`);
  if (workers.length === 0) return { pipelines: {}, componentOf: new Map(), reachability: [] };

  const functionId = workers[0];
  const fn = t.props(functionId);
  const own = mappings.filter(([, p]) => referencedId(p.FunctionName) === functionId).map(([, p]) => p);
  const sourceIds = own.map((p) => referencedId(p.EventSourceArn)).filter((id): id is string => id !== undefined && t.type(id) === 'AWS::SQS::Queue');
  const source = sourceIds.length === 1 ? sourceIds[0] : undefined;
  const sourceQueue = source ? t.props(source) : {};
  const deadLetterId = referencedId(pathAt(sourceQueue, 'RedrivePolicy', 'deadLetterTargetArn'));
  const logGroupId = referencedId(pathAt(fn, 'LoggingConfig', 'LogGroup'));
  const roleId = referencedId(fn.Role);
  const component: Component = `pipeline:${PIPELINE}`;

  const triggers = [
    ...sourceIds.map((id) => `queue:${context.queueOf.get(id) ?? id}`),
    ...own.filter((p) => !sourceIds.includes(referencedId(p.EventSourceArn) ?? '')).map((p) => `event source ${rendered(p.EventSourceArn) ?? JSON.stringify(p.EventSourceArn)}`),
    // Resource-based permissions let a service or account invoke the function directly.
    ...t
      .ofType('AWS::Lambda::Permission')
      .filter(([, p]) => referencedId(p.FunctionName) === functionId)
      .map(([, p]) => `principal ${rendered(p.Principal) ?? JSON.stringify(p.Principal)}`),
  ].sort();

  const batchSizes = [...new Set(own.map((p) => numberAt(p.BatchSize) ?? LAMBDA_DEFAULTS.sqsBatchSize))];
  const batchSize = batchSizes.length === 1 ? batchSizes[0] : Number.NaN;
  // Both bound the invocations at once: reserved concurrency for the function, MaximumConcurrency for each mapping's pollers.
  const bounds = [numberAt(fn.ReservedConcurrentExecutions), ...own.map((p) => numberAt(pathAt(p, 'ScalingConfig', 'MaximumConcurrency')))].filter((n): n is number => n !== undefined);

  const pipeline: PipelineFacts = {
    triggers,
    ordered: sourceQueue.FifoQueue === true,
    batchSize,
    // A Lambda execution environment handles one invocation, so one batch, at a time.
    messagesPerInstance: batchSize,
    maxInstances: bounds.length > 0 ? Math.min(...bounds) : undefined,
    timeoutSeconds: numberAt(fn.Timeout) ?? LAMBDA_DEFAULTS.timeoutSeconds,
    memoryMiB: numberAt(fn.MemorySize) ?? LAMBDA_DEFAULTS.memoryMiB,
    maxDeliveryAttempts: numberAt(pathAt(sourceQueue, 'RedrivePolicy', 'maxReceiveCount')),
    grants: roleId ? roleGrants(t, roleId, { source, logGroupId, endpointOf: context.endpointOf }) : ['no role'],
    alarms: {
      oldestMessageAgeSeconds: source ? alarmThreshold(t, 'ApproximateAgeOfOldestMessage', source) : undefined,
      deadLetters: deadLetterId ? alarmThreshold(t, 'ApproximateNumberOfMessagesVisible', deadLetterId) : undefined,
    },
  };

  const vpc = objectAt(fn.VpcConfig);
  const inVpc = arrayAt(vpc.SubnetIds).length > 0 && arrayAt(vpc.SecurityGroupIds).length > 0;
  const reachability: ReachableResource[] = [
    {
      component,
      resource: `AWS::Lambda::Function ${functionId}`,
      private: inVpc,
      // A function attached to a VPC sends all its traffic through the VPC (Lambda developer guide, "Giving Lambda functions access to resources in an Amazon VPC").
      detail: inVpc ? 'VpcConfig: all egress leaves through the VPC subnets' : 'no VpcConfig: egress leaves from the Lambda service network',
    },
  ];
  return { pipelines: { [PIPELINE]: pipeline }, componentOf: new Map(logGroupId ? [[logGroupId, component]] : []), reachability };
}

interface Plumbing {
  /** The queue the mapping polls with the function's role. */
  readonly source?: string;
  readonly logGroupId?: string;
  readonly endpointOf: ReadonlyMap<string, string>;
}

/** What the role may reach, in the words `PipelineFacts.grants` uses, beyond consuming its source, its logs and its network interfaces. */
function roleGrants(t: Template, roleId: string, plumbing: Plumbing): string[] {
  const names = (value: unknown) => arrayAt(value).some((r) => referencedId(r) === roleId);
  const role = t.props(roleId);
  const documents = [
    ...t
      .ofType('AWS::IAM::ManagedPolicy')
      .filter(([, p]) => names(p.Roles))
      .map(([, p]) => p.PolicyDocument),
    ...t
      .ofType('AWS::IAM::Policy')
      .filter(([, p]) => names(p.Roles))
      .map(([, p]) => p.PolicyDocument),
    ...arrayAt(role.Policies).map((p) => objectAt(p).PolicyDocument),
  ];
  const sourceKey = plumbing.source ? referencedId(t.props(plumbing.source).KmsMasterKeyId) : undefined;
  const grants = new Set<string>(arrayAt(role.ManagedPolicyArns).map((arn) => `managed policy ${rendered(arn) ?? JSON.stringify(arn)}`));
  let collectionApi = false;
  for (const statement of documents.flatMap((d) => arrayAt(pathAt(d, 'Statement'))).map(objectAt)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).map(String);
    const only = (allowed: ReadonlySet<string>) => actions.every((a) => allowed.has(a));
    for (const resource of Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) {
      // Pseudo parameters (AWS::AccountId, AWS::Region) are part of ARNs, not resources of the stack.
      const refs = [...referencesIn(resource)].filter((id) => !id.startsWith('AWS::'));
      const onlyRef = (id: string | undefined) => id !== undefined && refs.length > 0 && refs.every((r) => r === id);
      const refType = refs.length === 1 ? t.type(refs[0]) : undefined;
      if (only(OWN_LOG_ACTIONS) && onlyRef(plumbing.logGroupId)) continue;
      if (only(VPC_ACCESS_ACTIONS) && resource === '*') continue;
      if (only(SQS_CONSUME_ACTIONS) && onlyRef(plumbing.source)) continue;
      if (only(new Set(['kms:Decrypt'])) && onlyRef(sourceKey)) continue;
      if (only(new Set(['sagemaker:InvokeEndpoint'])) && refType === 'AWS::SageMaker::Endpoint') {
        grants.add(`invoke endpoint:${plumbing.endpointOf.get(refs[0]) ?? refs[0]}`);
      } else if (only(new Set(['aoss:APIAccessAll'])) && refType === 'AWS::OpenSearchServerless::Collection') {
        // IAM's half of collection access; the data access policy decides what on (below).
        collectionApi = true;
      } else if (only(new Set(['rds-db:connect'])) && refType === 'AWS::RDS::DBCluster') {
        // IAM database authentication as one database user; its table privileges are the application's migrations.
        grants.add('write vectorStore');
      } else {
        grants.add(`${[...actions].sort().join(',')} on ${rendered(resource) ?? JSON.stringify(resource)}`);
      }
    }
  }
  if (collectionApi) {
    const permissions = collectionPermissions(t, roleId);
    const documentsOnly = permissions.every((p) => AOSS_DOCUMENT_PERMISSIONS.has(p));
    if (permissions.includes('aoss:WriteDocument') && documentsOnly) grants.add('write vectorStore');
    else grants.add(`aoss:APIAccessAll with ${permissions.join(',') || 'no data access rule'} on vectorStore`);
  }
  return [...grants].sort();
}

/** Permissions OpenSearch Serverless data access policies give the role, sorted. */
function collectionPermissions(t: Template, roleId: string): string[] {
  const permissions = new Set<string>();
  for (const [, p] of t.ofType('AWS::OpenSearchServerless::AccessPolicy')) {
    if (p.Type !== 'data') continue;
    const text = rendered(p.Policy);
    if (text === undefined) throw new Error(`aws-facts: cannot read the data access policy ${JSON.stringify(p.Policy)}`);
    for (const rule of arrayAt(JSON.parse(text)).map(objectAt)) {
      if (!arrayAt(rule.Principal).some((principal) => typeof principal === 'string' && principal.startsWith(`@ref:${roleId}`))) continue;
      for (const r of arrayAt(rule.Rules).map(objectAt)) arrayAt(r.Permission).forEach((x) => permissions.add(String(x)));
    }
  }
  return [...permissions].sort();
}

/** The lowest threshold of an alarm that notifies someone when `metric` of the queue `queueId` rises above it. */
function alarmThreshold(t: Template, metric: string, queueId: string): number | undefined {
  const thresholds = t
    .ofType('AWS::CloudWatch::Alarm')
    .map(([, p]) => p)
    .filter(
      (p) =>
        p.Namespace === 'AWS/SQS' &&
        p.MetricName === metric &&
        arrayAt(p.AlarmActions).length > 0 &&
        p.ComparisonOperator === 'GreaterThanThreshold' &&
        arrayAt(p.Dimensions).some((d) => isObject(d) && d.Name === 'QueueName' && referencedId(d.Value) === queueId),
    )
    .map((p) => numberAt(p.Threshold))
    .filter((n): n is number => n !== undefined);
  return thresholds.length > 0 ? Math.min(...thresholds) : undefined;
}
