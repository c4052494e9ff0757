/**
 * `LoadGeneratorStack`: the load generator fleet of one serving stack, in its own stack
 * (`<name>-<environment>-loadgen`) so it is deployed and torn down apart from serving. It runs in
 * the serving stack's VPC; when that VPC is the serving stack's own (isolated: no NAT, no internet),
 * it adds the interface endpoints Fargate needs to pull the image (ECR API and Docker registry).
 * Logs and S3 are already reachable: the serving VPC has the CloudWatch Logs interface endpoint and
 * the S3 gateway endpoint, whose policy admits the results bucket and ECR's layer bucket when the
 * serving stack is told a fleet exists (`ServingStackProps.loadGenerator`).
 *
 * Without an image (`-c loadgenImage=…`) the task definition takes a clearly marked placeholder,
 * passed as the `LoadGeneratorImage` parameter, and a template rule refuses to deploy it:
 * synth and diff work, `cdk deploy` fails before anything is created, with the rule's message.
 */
import { CfnParameter, CfnRule, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { ResolvedTopology } from '../../constructs';
import { ModelEndpoint } from '../model-endpoint/model-endpoint';
import { markProduction } from '../policy/production-scope';
import { pascalCase } from '../private/construct-ids';
import { parseEcrImageUri } from '../private/ecr-image';
import type { ServingStack } from '../serving-stack';
import { LoadGeneratorFleet } from './load-generator-fleet';
import { loadGeneratorBucketName, loadGeneratorStackId } from './load-generator-names';

/** What a template without a real image runs: nothing can pull it, and the rule below refuses it. */
export const PLACEHOLDER_LOADGEN_IMAGE = 'placeholder.invalid/set-c-loadgenImage-to-the-generator-image:none';

export interface LoadGeneratorStackProps extends StackProps {
  /** The serving stack whose endpoints the fleet load-tests, in whose VPC it runs. */
  readonly serving: ServingStack;
  /**
   * The generator image, an ECR URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`):
   * the execution role may pull from exactly that repository.
   * @default - the placeholder, which the template refuses to deploy
   */
  readonly image?: string;
  /** @default 1024 */
  readonly cpu?: number;
  /** @default 2048 */
  readonly memoryLimitMiB?: number;
}

export class LoadGeneratorStack extends Stack {
  readonly fleet: LoadGeneratorFleet;
  /** Whether the image is the placeholder (then the template refuses to deploy). */
  readonly placeholderImage: boolean;

  constructor(scope: Construct, id: string, props: LoadGeneratorStackProps) {
    const topology: ResolvedTopology = props.serving.topology;
    super(scope, id, {
      env: { region: topology.regions.aws },
      stackName: loadGeneratorStackId(topology),
      description: `Load generator fleet (ECS Fargate) for "${topology.name}" (${topology.environment}), from ml-serving-stacks`,
      ...props,
    });
    if (topology.production) markProduction(this);
    // Its VPC and subnets are read from the serving stack's outputs (weak references): deploy that first.
    this.addStackDependency(props.serving);
    const network = props.serving.network;

    this.placeholderImage = props.image === undefined;
    const image = props.image === undefined ? this.refusedPlaceholderImage() : ecrImage(this, props.image);

    // Only realtime and serverless endpoints take InvokeEndpoint, what the generator sends.
    const endpoints = topology.endpoints
      .filter((e) => e.mode !== 'async')
      .map((e) => ModelEndpoint.fromEndpointName(this, `${pascalCase(e.name)}Endpoint`, e.aws.endpointName));
    this.fleet = new LoadGeneratorFleet(this, 'Fleet', {
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      endpoints,
      image,
      fleetName: loadGeneratorStackId(topology),
      bucketName: loadGeneratorBucketName(topology),
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      removalPolicy: topology.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (network.cidr) this.addImagePullEndpoints(network.vpc, network.cidr);
    this.fleet.addOutputs(this);
  }

  /** ECR's API and registry endpoints in the serving subnets, for image pulls from isolated subnets (Amazon ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)"). */
  private addImagePullEndpoints(vpc: ec2.IVpc, cidr: string): void {
    const group = new ec2.SecurityGroup(this, 'EcrEndpointSecurityGroup', {
      vpc,
      description: 'ECR interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    group.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    for (const [endpointId, service] of [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
    ] as const) {
      new ec2.InterfaceVpcEndpoint(this, endpointId, { vpc, service, subnets: { subnets: this.fleet.subnets.subnets }, privateDnsEnabled: true, securityGroups: [group], open: false });
    }
  }

  /** The placeholder, as a parameter a template rule refuses at deploy time. */
  private refusedPlaceholderImage(): ecs.ContainerImage {
    const parameter = new CfnParameter(this, 'LoadGeneratorImage', {
      type: 'String',
      default: PLACEHOLDER_LOADGEN_IMAGE,
      description: 'The load generator image. Synthesized without -c loadgenImage=<ECR image URI>: this stack cannot be deployed until you synthesize it with one.',
    });
    new CfnRule(this, 'RefusePlaceholderImage', {
      assertions: [
        {
          assert: Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, PLACEHOLDER_LOADGEN_IMAGE)),
          assertDescription: 'The load generator image is the placeholder: synthesize with -c loadgen=true -c loadgenImage=<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (README, "The load generator image").',
        },
      ],
    });
    return ecs.ContainerImage.fromRegistry(parameter.valueAsString);
  }
}

/** An ECR image URI as an image the execution role may pull (from that repository only). */
function ecrImage(scope: Construct, uri: string): ecs.ContainerImage {
  const parsed = parseEcrImageUri(uri);
  const repository = ecr.Repository.fromRepositoryAttributes(scope, 'ImageRepository', { repositoryArn: parsed.repositoryArn, repositoryName: parsed.repositoryName });
  const reference = uri.slice(uri.indexOf(parsed.repositoryName) + parsed.repositoryName.length);
  const tagOrDigest = reference.startsWith('@') ? reference.slice(1) : reference.startsWith(':') ? reference.slice(1) : 'latest';
  return ecs.ContainerImage.fromEcrRepository(repository, tagOrDigest);
}
