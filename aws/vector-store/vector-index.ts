/**
 * `VectorIndex`: an OpenSearch Serverless index created from inside the VPC. A collection whose
 * network policy admits only its VPC endpoint refuses requests from outside it, including the ones
 * `AWS::OpenSearchServerless::Index` makes on CloudFormation's behalf; so a Lambda function in the
 * private subnets creates, checks and deletes the index through the VPC endpoint, signing as its own
 * role, which the collection's data access policy names. The CDK provider framework (outside the
 * VPC) relays CloudFormation's events to it and reports the result.
 */
import { join } from 'node:path';
import { CustomResource, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeCompliance } from '../private/acknowledge';
import { bundledHandlerCode, HANDLER_RUNTIME } from '../private/bundled-handler';
import { allowLogGroupEncryption } from '../private/component-key';
import type { VectorIndexBody } from '../private/vector-index-mapping';

/** Where the handler's code lives; it imports the AWS SDK only, never CDK. */
const HANDLER_ENTRY = join(__dirname, '..', 'handlers', 'vector-index', 'index.ts');
/**
 * The handler retries while a new collection's data access policy and endpoint DNS settle; Lambda
 * allows 15 minutes, and the provider framework waits as long for the handler.
 */
const HANDLER_TIMEOUT = Duration.minutes(14);

export interface VectorIndexProps {
  readonly collection: opensearchserverless.CfnCollection;
  /** The index name; a new name is a new index (the old one is deleted unless retained). */
  readonly indexName: string;
  /** Settings and mappings, sent as the body of `PUT /<index>`. */
  readonly body: VectorIndexBody;
  readonly vpc: ec2.IVpc;
  /**
   * Subnets the handler runs in: they must reach the collection's VPC endpoint.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The collection's VPC endpoint: the handler is allowed to it on HTTPS. */
  readonly collectionEndpointConnections: ec2.Connections;
  /** Key for the handler's log group. */
  readonly encryptionKey: kms.IKey;
  /** What happens to the index (and the handler's logs) when the resource leaves the stack or is replaced. */
  readonly removalPolicy: RemovalPolicy;
}

export class VectorIndex extends Construct {
  readonly indexName: string;
  /** The role the handler signs with; the collection's data access policy must let it manage the index. */
  readonly handlerRole: iam.Role;
  readonly handler: lambda.Function;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: VectorIndexProps) {
    super(scope, id);
    this.indexName = props.indexName;
    const stack = Stack.of(this);

    // Named after the construct path without `Default` ids, as logical ids are: an engine's children
    // sit under the VectorStore's `Default` child and keep the names they had before the split.
    const path = this.node.path.split('/').slice(1).filter((part) => part !== 'Default');
    const logGroupName = `/ml-serving-stacks/${stack.stackName}/${path.join('/')}`;
    allowLogGroupEncryption(props.encryptionKey, logGroupName);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    const writeLogs = new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`] });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.indexName} index handler: HTTPS to the collection endpoint only`,
      allowAllOutbound: false,
    });
    securityGroup.connections.allowTo(props.collectionEndpointConnections, ec2.Port.tcp(443), 'Index handler to the collection endpoint');

    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Creates and deletes the ${props.indexName} index from inside the VPC`,
    });
    const handlerPolicy = new iam.ManagedPolicy(this, 'HandlerPolicy', {
      description: 'Index handler: its logs, its network interfaces, and API access to one collection',
      roles: [this.handlerRole],
      statements: [
        writeLogs,
        new iam.PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: [props.collection.attrArn] }),
        // What Lambda needs to attach the function to the VPC (AWSLambdaVPCAccessExecutionRole's actions);
        // EC2 offers no resource-level scoping for them.
        new iam.PolicyStatement({
          actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: ['*'],
        }),
      ],
    });
    acknowledge(
      handlerPolicy,
      'AwsSolutions-IAM5[Resource::*]',
      'Only the EC2 network-interface actions Lambda needs to attach the index handler to the VPC use "*": EC2 does not scope them to resources (Lambda Developer Guide, "Giving Lambda functions access to a VPC").',
    );

    this.handler = new lambda.Function(this, 'Handler', {
      description: `Creates, checks and deletes the ${props.indexName} OpenSearch Serverless index through the collection's VPC endpoint`,
      code: bundledHandlerCode(HANDLER_ENTRY),
      handler: 'index.handler',
      runtime: HANDLER_RUNTIME,
      timeout: HANDLER_TIMEOUT,
      memorySize: 256,
      // A reference rather than the role itself: Lambda would add a DependsOn the role's ARN already implies.
      role: iam.Role.fromRoleArn(this, 'HandlerRoleRef', this.handlerRole.roleArn, { mutable: false }),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [securityGroup],
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
    });
    // Lambda checks the role's network-interface permissions when it creates a VPC function.
    this.handler.node.addDependency(handlerPolicy);
    acknowledgeCompliance(
      this.handler,
      'LambdaDLQ',
      'The provider framework invokes the index handler synchronously and reports its error to CloudFormation, which fails the deployment; there is no asynchronous event to dead-letter.',
    );
    acknowledgeCompliance(
      this.handler,
      'LambdaConcurrency',
      'CloudFormation invokes the index handler once per deployment of the index; reserving concurrency would take capacity from the account (new accounts cannot reserve below an unreserved minimum of 10) without bounding anything.',
    );

    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Relays CloudFormation events to the ${props.indexName} index handler`,
    });
    const frameworkPolicy = new iam.ManagedPolicy(this, 'ProviderPolicy', {
      description: 'Provider framework: its logs, and invoking the index handler',
      roles: [frameworkRole],
      statements: [writeLogs, new iam.PolicyStatement({ actions: ['lambda:InvokeFunction', 'lambda:GetFunction'], resources: [this.handler.functionArn, `${this.handler.functionArn}:*`] })],
    });
    acknowledge(
      frameworkPolicy,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.handler.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      'The provider framework invokes the index handler by its ARN; the ":*" form covers its qualified (version) ARN, which Lambda authorizes separately.',
    );
    acknowledge(
      frameworkPolicy,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:*]`,
      'Log streams are created under generated names in this one log group.',
    );
    acknowledge(handlerPolicy, `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:*]`, 'Log streams are created under generated names in this one log group.');

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      // The framework needs no VPC; its role is ours, with a customer-managed policy (no inline one).
      frameworkOnEventRole: iam.Role.fromRoleArn(this, 'ProviderRoleRef', frameworkRole.roleArn, { mutable: false }),
      logGroup,
    });
    const framework = provider.node.findChild('framework-onEvent');
    framework.node.addDependency(frameworkPolicy);
    acknowledgeCompliance(
      framework,
      'LambdaInsideVPC',
      'The provider framework only relays: it invokes the in-VPC index handler and uploads the result to the pre-signed S3 URL CloudFormation gives, which the serving VPC has no route to.',
    );
    acknowledgeCompliance(framework, 'LambdaDLQ', 'CloudFormation waits for this function\'s answer and fails the deployment after its timeout; a dead-letter queue would hold an event nobody replays.');
    acknowledgeCompliance(
      framework,
      'LambdaConcurrency',
      'Invoked once per deployment of the index; reserving concurrency would take capacity from the account without bounding anything.',
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::VectorIndex',
      properties: {
        CollectionEndpoint: props.collection.attrCollectionEndpoint,
        IndexName: props.indexName,
        IndexBody: JSON.stringify(props.body),
      },
      removalPolicy: props.removalPolicy,
    });
  }
}
