/**
 * `EmbeddingRefreshPipeline`: the embedding-refresh worker (pipelines/embedding-refresh/) as a Lambda
 * function fed by the topology's ordered (FIFO) queue through an event source mapping that reports
 * partial batch failures. It runs in the private subnets with its own security group and role, may
 * invoke the embedder endpoint, write the vector store and read the queue (and decrypt it), and
 * nothing else. An alarm fires when the oldest waiting message is older than the pipeline's SLO; the
 * queue's own alarm already fires on any dead letter.
 *
 * The code is bundled offline with esbuild in process (the pattern of the vector-index handler,
 * aws/private/bundled-handler.ts), not through NodejsFunction: NodejsFunction's local bundling spawns
 * the esbuild binary with a command line the asset hash does not cover, where this bundle's hash is the
 * output's, so the snapshot changes exactly when the deployed code does.
 */
import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ResolvedEmbeddingRefresh, ResolvedVectorStore } from '../constructs';
import type { IModelEndpoint } from './model-endpoint/model-endpoint-base';
import { acknowledge, acknowledgeCompliance } from './private/acknowledge';
import { notifyTopic } from './private/alarm-action';
import { bundledHandlerCode, HANDLER_RUNTIME } from './private/bundled-handler';
import { allowLogGroupEncryption } from './private/component-key';
import { ManagedPolicyGrantee } from './private/managed-policy-grantee';
import type { VectorStore } from './vector-store/vector-store';
import type { WorkQueue } from './work-queue';

/** The Lambda entry; it imports the AWS SDK and the worker core, never CDK. */
export const EMBEDDING_REFRESH_ENTRY = join(__dirname, '..', 'pipelines', 'embedding-refresh', 'lambda', 'index.ts');
/** The database user the worker connects as with IAM authentication (pgvector engine). */
export const PGVECTOR_WORKER_USER = 'embedding_refresh';

export interface EmbeddingRefreshPipelineProps {
  readonly pipeline: ResolvedEmbeddingRefresh;
  /** The source queue: ordered (FIFO), so each document's messages are handled one at a time. */
  readonly queue: WorkQueue;
  /** The endpoint that embeds; real-time or serverless. */
  readonly embedder: IModelEndpoint;
  readonly vectorStore: VectorStore;
  /** The store's settings the worker checks vectors against. */
  readonly vectorStoreSpec: Pick<ResolvedVectorStore, 'dimensions' | 'engine'>;
  readonly vpc: ec2.IVpc;
  /** @default - the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Where the VPC's interface endpoints (SageMaker Runtime, CloudWatch Logs) listen: HTTPS egress is
   * allowed to this range only.
   * @default - the VPC's CIDR block
   */
  readonly interfaceEndpointPeer?: ec2.IPeer;
  /** Topic the alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** What happens to the function's logs when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
}

export class EmbeddingRefreshPipeline extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly eventSource: lambda.EventSourceMapping;
  /** Fires when the oldest waiting message is older than the SLO (enqueue → searchable). */
  readonly latencyAlarm: cloudwatch.Alarm;
  /** Fires when whole invocations fail (every message of the batch goes back to the queue). */
  readonly errorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EmbeddingRefreshPipelineProps) {
    super(scope, id);
    const p = props.pipeline;
    const stack = Stack.of(this);
    const key = props.vectorStore.encryptionKey;

    const logGroupName = `/ml-serving-stacks/${stack.stackName}/embedding-refresh`;
    allowLogGroupEncryption(key, logGroupName);
    const logGroup = new logs.LogGroup(this, 'Logs', { logGroupName, encryptionKey: key, retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: props.removalPolicy });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Embedding-refresh worker: HTTPS to the VPC interface endpoints and the vector store only',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(props.interfaceEndpointPeer ?? ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'SageMaker Runtime and CloudWatch Logs interface endpoints');
    this.securityGroup.connections.allowToDefaultPort(props.vectorStore, 'Embedding-refresh worker to the vector store');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Embedding-refresh worker: reads ${p.sourceQueue}, invokes ${p.embedder}, writes the vector store`,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Embedding-refresh worker: its logs, its network interfaces, its queue, its embedder and its vector store',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`] }),
        // What Lambda needs to attach the function to the VPC (AWSLambdaVPCAccessExecutionRole's actions);
        // EC2 offers no resource-level scoping for them.
        new iam.PolicyStatement({
          actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: ['*'],
        }),
      ],
    });
    const grantee = new ManagedPolicyGrantee(this.role, policy);
    // The event source mapping polls with the function's role: receive, delete, change visibility, and decrypt (kms:Decrypt on the queue key).
    props.queue.grantConsume(grantee);
    props.embedder.grantInvoke(grantee);
    const environment: Record<string, string> = {
      EMBEDDER_ENDPOINT_NAME: props.embedder.endpointName,
      EMBEDDER_MAX_BATCH: String(p.batchSize),
      VECTOR_DIMENSIONS: String(props.vectorStoreSpec.dimensions),
      VECTOR_STORE_ENGINE: props.vectorStoreSpec.engine,
    };
    const openSearch = props.vectorStore.openSearch;
    const database = props.vectorStore.database;
    // Grants go through a read-only view of the role, so none lands in an inline policy; the managed
    // policy carries the IAM side of each grant instead.
    const roleView = iam.Role.fromRoleArn(this, 'RoleRef', this.role.roleArn, { mutable: false });
    if (openSearch) {
      // Names the role in the collection's data access policy (ReadDocument, WriteDocument); aoss:APIAccessAll is IAM's half.
      openSearch.grantReadWrite(roleView);
      policy.addStatements(new iam.PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: [openSearch.collection.attrArn] }));
      environment.OPENSEARCH_COLLECTION_ENDPOINT = openSearch.endpointAddress;
      if (openSearch.indexName) environment.OPENSEARCH_INDEX = openSearch.indexName;
    } else if (database) {
      database.grantConnect(grantee, PGVECTOR_WORKER_USER);
      environment.DATABASE_HOST = props.vectorStore.endpointAddress;
      environment.DATABASE_USER = PGVECTOR_WORKER_USER;
      // The cluster's port is not Postgres's default (5433 here): the worker must not guess it.
      environment.DATABASE_PORT = Token.asString(database.clusterEndpoint.port);
      // The Node.js 20 runtime trusts the RDS CA only through this bundle (Lambda Developer Guide, "Establishing TLS connections", Node.js runtimes).
      environment.NODE_EXTRA_CA_CERTS = '/var/runtime/ca-cert.pem';
    }
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Only the EC2 network-interface actions Lambda needs to attach the worker to the VPC use "*": EC2 does not scope them to resources (Lambda Developer Guide, "Giving Lambda functions access to a VPC").',
    );
    acknowledge(policy, `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:*]`, 'Log streams are created under generated names in this one log group.');

    this.function = new lambda.Function(this, 'Function', {
      description: `Embeds documents from ${p.sourceQueue} with ${p.embedder} and writes them into the vector store, newest version wins`,
      code: bundledHandlerCode(EMBEDDING_REFRESH_ENTRY),
      handler: 'index.handler',
      runtime: HANDLER_RUNTIME,
      timeout: Duration.seconds(p.timeoutSeconds),
      memorySize: p.memoryMiB,
      reservedConcurrentExecutions: p.concurrency,
      environment,
      // A reference rather than the role itself: Lambda would add a DependsOn the role's ARN already implies.
      role: roleView,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [this.securityGroup],
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
    // Lambda checks the role's network-interface permissions when it creates a VPC function.
    this.function.node.addDependency(policy);
    acknowledgeCompliance(
      this.function,
      'LambdaDLQ',
      'The SQS event source mapping invokes the worker synchronously; a message that keeps failing goes to the source queue\'s own dead-letter queue after maxReceiveCount, which is alarmed. A function DLQ only catches asynchronous invocations.',
    );

    this.eventSource = new lambda.EventSourceMapping(this, 'Source', {
      target: this.function,
      eventSourceArn: props.queue.queue.queueArn,
      batchSize: p.batchSize,
      maxConcurrency: p.concurrency,
      reportBatchItemFailures: true,
    });
    // The mapping checks the role can read the queue when it is created.
    this.eventSource.node.addDependency(policy);

    this.latencyAlarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
      alarmDescription: `embedding refresh: the oldest message on ${p.sourceQueue} has waited longer than the ${p.maxLatencySeconds} s freshness SLO`,
      metric: props.queue.queue.metricApproximateAgeOfOldestMessage({ period: Duration.seconds(p.latencyAlarmEvaluation.periodSeconds), statistic: 'Maximum' }),
      threshold: p.maxLatencySeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: p.latencyAlarmEvaluation.evaluationPeriods,
      datapointsToAlarm: p.latencyAlarmEvaluation.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notifyTopic(this.latencyAlarm, props.alarmTopic);
    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorAlarm', {
      alarmDescription: 'embedding refresh: invocations failed as a whole (misconfiguration or an unreachable store); their batches return to the queue',
      metric: this.function.metricErrors({ period: Duration.seconds(p.latencyAlarmEvaluation.periodSeconds), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: p.latencyAlarmEvaluation.evaluationPeriods,
      datapointsToAlarm: p.latencyAlarmEvaluation.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notifyTopic(this.errorAlarm, props.alarmTopic);
  }
}
