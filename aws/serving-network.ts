/**
 * `ServingNetwork`: the private network the serving stack lives in. Either a new isolated VPC (no
 * internet gateway, no NAT) whose only ways out are VPC endpoints, or an imported VPC named in the
 * topology (`network.existing.aws`).
 */
import { Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AwsInterfaceEndpointService, ResolvedNetwork } from '../constructs';
import { allowLogGroupEncryption, newComponentKey } from './private/component-key';
import { pascalCase } from './private/construct-ids';

/** The CDK service of each interface endpoint the resolved network asks for. */
const INTERFACE_ENDPOINT_SERVICES: Readonly<Record<AwsInterfaceEndpointService, ec2.InterfaceVpcEndpointAwsService>> = {
  'sagemaker.runtime': ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME,
  sts: ec2.InterfaceVpcEndpointAwsService.STS,
  kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  sns: ec2.InterfaceVpcEndpointAwsService.SNS,
};

const DEFAULT_CIDR = '10.40.0.0/16';

export interface ServingNetworkProps {
  /**
   * Zone count, the interface endpoints a new VPC gets (an imported VPC's owner manages its own),
   * and, optionally, the existing VPC to use.
   */
  readonly network: ResolvedNetwork;
  /**
   * Key for the flow-log group.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Retention of the VPC flow logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * IPv4 range of a new VPC.
   * @default '10.40.0.0/16'
   */
  readonly cidr?: string;
  /**
   * What happens to the flow-log group and its key when they leave the stack. Retained by default:
   * flow logs are audit evidence.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class ServingNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  /** Subnets serving resources (models, cache, vector store endpoint) are placed in. */
  readonly subnets: ec2.SubnetSelection;
  /** IPv4 range of a VPC created here; undefined for an imported VPC (its endpoints and flow logs are its owner's). */
  readonly cidr?: string;
  /** Key of the flow-log group; undefined for an imported VPC. */
  readonly encryptionKey?: kms.IKey;
  /** The S3 gateway endpoint of a VPC created here; `restrictS3Endpoint` scopes its policy. */
  readonly s3Endpoint?: ec2.GatewayVpcEndpoint;

  constructor(scope: Construct, id: string, props: ServingNetworkProps) {
    super(scope, id);
    const existing = props.network.existing?.aws;
    if (existing) {
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Resource', {
        vpcId: existing.vpcId,
        availabilityZones: [...existing.availabilityZones],
        privateSubnetIds: [...existing.privateSubnetIds],
      });
      this.subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
      return;
    }

    this.cidr = props.cidr ?? DEFAULT_CIDR;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(this.cidr),
      availabilityZones: zones(this, props.network.zoneCount),
      natGateways: 0,
      createInternetGateway: false,
      subnetConfiguration: [{ name: 'serving', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
      // Every ENI this stack creates has its own group; the default group is closed (all its rules
      // removed) by CDK's custom resource, so nothing can use it by accident (VPCDefaultSecurityGroupClosed).
      restrictDefaultSecurityGroup: true,
    });
    this.vpc = vpc;
    this.subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    // Model artifacts come from S3; the gateway endpoint is the only route to it from isolated subnets.
    this.s3Endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [this.subnets] });
    const endpointGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    // A literal range rather than the VPC's CidrBlock attribute, so policy checks can read the rule.
    endpointGroup.addIngressRule(ec2.Peer.ipv4(this.cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    for (const service of props.network.aws.interfaceEndpoints.map((name) => INTERFACE_ENDPOINT_SERVICES[name])) {
      vpc.addInterfaceEndpoint(endpointId(service), {
        service,
        subnets: this.subnets,
        privateDnsEnabled: true,
        securityGroups: [endpointGroup],
        open: false,
      });
    }

    const key = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} VPC flow logs`, removalPolicy);
    this.encryptionKey = key;
    const logGroupName = `/ml-serving-stacks/${Stack.of(this).stackName}/${this.node.id}/vpc-flow-logs`;
    allowLogGroupEncryption(key, logGroupName);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName,
      encryptionKey: key,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // The delivery role's permissions are a customer-managed policy (NIST IAMNoInlinePolicy), so the
    // flow log gets a view of the role it cannot add inline statements to.
    const flowLogRole = new iam.Role(this, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'VPC flow log delivery to its log group',
      roles: [flowLogRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [flowLogs.logGroupArn],
        }),
      ],
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  /**
   * Limits the S3 gateway endpoint to the buckets serving uses: model artifact buckets are read
   * (SageMaker downloads artifacts of a model in a VPC through it: SageMaker Developer Guide, "Give
   * SageMaker AI hosted endpoints access to resources in your Amazon VPC"), data buckets (captures,
   * async requests, results and failures) read and written. Any other bucket is unreachable from the
   * VPC; with neither, S3 is closed. An imported VPC's endpoints are its owner's: nothing changes.
   */
  restrictS3Endpoint(buckets: {
    readonly artifactBuckets: readonly string[];
    readonly dataBuckets: readonly s3.IBucket[];
    /** The load generator fleet's results bucket, by name; its tasks also pull image layers through S3. */
    readonly loadGeneratorBucket?: string;
  }): void {
    const endpoint = this.s3Endpoint;
    if (!endpoint) return;
    const partition = Stack.of(this).partition;
    const artifacts = [...new Set(buckets.artifactBuckets)].flatMap((name) => [`arn:${partition}:s3:::${name}`, `arn:${partition}:s3:::${name}/*`]);
    if (artifacts.length > 0) {
      endpoint.addToPolicy(
        new iam.PolicyStatement({ sid: 'ReadModelArtifacts', principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:ListBucket'], resources: artifacts }),
      );
    }
    if (buckets.dataBuckets.length > 0) {
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'UseEndpointDataBuckets',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket'],
          resources: buckets.dataBuckets.flatMap((b) => [b.bucketArn, b.arnForObjects('*')]),
        }),
      );
    }
    if (buckets.loadGeneratorBucket) {
      const results = `arn:${partition}:s3:::${buckets.loadGeneratorBucket}`;
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'UseLoadGeneratorResults',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket'],
          resources: [results, `${results}/*`],
        }),
      );
      // ECR serves image layers from this bucket (Amazon ECR User Guide, "Amazon ECR interface VPC
      // endpoints (AWS PrivateLink)", minimum Amazon S3 bucket permissions).
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'PullImageLayers',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject'],
          resources: [`arn:${partition}:s3:::prod-${Stack.of(this).region}-starport-layer-bucket/*`],
        }),
      );
    }
    if (artifacts.length === 0 && buckets.dataBuckets.length === 0 && !buckets.loadGeneratorBucket) {
      endpoint.addToPolicy(new iam.PolicyStatement({ sid: 'NoBucketIsUsed', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:*'], resources: ['*'] }));
    }
  }
}

/**
 * The zones to spread over. An environment-agnostic stack knows no zone names offline, so it
 * selects them at deploy time from `Fn::GetAZs`; a stack with a concrete account and region uses its looked-up zones.
 */
function zones(scope: Construct, count: number): string[] {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
  return stack.availabilityZones.slice(0, count);
}

/** `sagemaker.runtime` → `SagemakerRuntime`: ids from the service's short name, the same in every region. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return pascalCase(service.shortName);
}
