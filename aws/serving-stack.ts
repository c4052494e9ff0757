/**
 * `ServingStack`: one CloudFormation stack per environment realising a resolved topology on AWS:
 * network, monitoring, one `ModelEndpoint` per endpoint, the feature cache, the vector store and
 * the work queues. Production stacks retain stateful data on delete and replacement and are
 * protected from deletion; other environments clean up after themselves.
 */
import { Annotations, CfnOutput, CfnResource, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { ACCELERATOR_ROUND_UP, shapeWarnings, type ResolvedTopology } from '../constructs';
import { EmbeddingRefreshPipeline } from './embedding-refresh-pipeline';
import { FeatureCache } from './feature-cache';
import { loadGeneratorBucketName } from './load-generator/load-generator-names';
import { InferenceComponentEndpoint } from './model-endpoint/inference-component-endpoint';
import { InferenceComponentPool } from './model-endpoint/inference-component-pool';
import { ModelEndpoint } from './model-endpoint/model-endpoint';
import { markProduction } from './policy/production-scope';
import { newAccessLogsBucket } from './private/access-logs-bucket';
import { pascalCase } from './private/construct-ids';
import { parseS3Uri } from './private/s3-location';
import { ServingNetwork } from './serving-network';
import { ServingMonitoring } from './serving-monitoring';
import { VectorStore } from './vector-store/vector-store';
import { WorkQueue } from './work-queue';

/** Tags `resolveTopology` derives from the topology's name and environment, which never change for a stack. */
const COLLECTION_TAG_KEYS = new Set(['app', 'environment', 'managed-by']);

export interface ServingStackProps extends StackProps {
  /** The topology to realise, resolved for one environment. */
  readonly topology: ResolvedTopology;
  /**
   * Whether a load generator fleet (`LoadGeneratorStack`) runs in this stack's VPC: then the S3
   * gateway endpoint also admits the fleet's results bucket and ECR's image layers.
   * @default false
   */
  readonly loadGenerator?: boolean;
}

/** The stack id (and name) of a topology's serving stack: `<name>-<environment>-serving`. */
export function servingStackId(topology: Pick<ResolvedTopology, 'name' | 'environment'>): string {
  return `${topology.name}-${topology.environment}-serving`;
}

export class ServingStack extends Stack {
  readonly topology: ResolvedTopology;
  readonly network: ServingNetwork;
  readonly monitoring: ServingMonitoring;
  /** Endpoints by topology name: a model variant endpoint, or an inference component (at min 0, or sharing a pool). */
  readonly endpoints: Readonly<Record<string, ModelEndpoint | InferenceComponentEndpoint>>;
  /** Inference component pools by pool name. */
  readonly pools: Readonly<Record<string, InferenceComponentPool>>;
  /** Queues by topology name. */
  readonly queues: Readonly<Record<string, WorkQueue>>;
  readonly featureCache?: FeatureCache;
  readonly vectorStore?: VectorStore;
  readonly embeddingRefresh?: EmbeddingRefreshPipeline;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    const topology = props.topology;
    super(scope, id, {
      // The topology pins the region; the account comes from the deploying credentials, so synth
      // needs none.
      env: { region: topology.regions.aws },
      stackName: servingStackId(topology),
      terminationProtection: topology.production,
      description: `ML serving topology "${topology.name}" (${topology.environment}) on AWS, from ml-serving-stacks`,
      ...props,
    });
    this.topology = topology;
    if (topology.production) markProduction(this);
    for (const [key, value] of Object.entries(topology.tags)) {
      // A collection's tags are create-only: only tags fixed for the topology's life reach it, so
      // editing a user tag does not replace the vector store (README, "Updates that replace resources").
      const excludeResourceTypes = COLLECTION_TAG_KEYS.has(key) ? [] : ['AWS::OpenSearchServerless::Collection'];
      Tags.of(this).add(key, value, { excludeResourceTypes });
    }
    const removalPolicy = topology.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.network = new ServingNetwork(this, 'Network', { network: topology.network, removalPolicy });
    this.monitoring = new ServingMonitoring(this, 'Monitoring', {
      monitoring: topology.monitoring,
      dashboardName: `${servingStackId(topology)}-${topology.regions.aws}`,
      removalPolicy,
    });
    const alarmTopic = this.monitoring.alarmTopic;

    const queues: Record<string, WorkQueue> = {};
    for (const queue of topology.queues) {
      queues[queue.name] = new WorkQueue(this, `${pascalCase(queue.name)}Queue`, { queue, alarmTopic, removalPolicy });
    }
    // The schema requires one whenever an endpoint is async.
    const asyncQueue = topology.queues.find((q) => q.purpose === 'async-inference');
    this.queues = queues;

    const accessLogs = topology.endpoints.some((e) => e.dataCapture || e.mode === 'async')
      ? newAccessLogsBucket(this, 'AccessLogs', removalPolicy)
      : undefined;
    const endpoints: Record<string, ModelEndpoint | InferenceComponentEndpoint> = {};
    const pools: Record<string, InferenceComponentPool> = {};
    for (const endpoint of topology.endpoints) {
      const component = endpoint.aws.inferenceComponent;
      if (component) {
        pools[component.pool] ??= new InferenceComponentPool(this, `${pascalCase(component.pool)}Pool`, {
          members: topology.endpoints.filter((m) => m.aws.inferenceComponent?.pool === component.pool),
          vpc: this.network.vpc,
          vpcSubnets: this.network.subnets,
          removalPolicy,
        });
        endpoints[endpoint.name] = new InferenceComponentEndpoint(this, `${pascalCase(endpoint.name)}Component`, { endpoint, pool: pools[component.pool], alarmTopic });
        continue;
      }
      const resultQueue = endpoint.mode === 'async' && asyncQueue ? queues[asyncQueue.name] : undefined;
      endpoints[endpoint.name] = new ModelEndpoint(this, `${pascalCase(endpoint.name)}Endpoint`, {
        endpoint,
        vpc: this.network.vpc,
        vpcSubnets: this.network.subnets,
        alarmTopic,
        asyncResultQueue: resultQueue?.queue,
        serverAccessLogsBucket: accessLogs,
        removalPolicy,
      });
    }
    this.endpoints = endpoints;
    this.pools = pools;
    this.network.restrictS3Endpoint({
      artifactBuckets: topology.endpoints.flatMap((e) => e.variants.flatMap((v) => (v.model.artifact?.aws ? [parseS3Uri(v.model.artifact.aws).bucket] : []))),
      dataBuckets: Object.values(endpoints).flatMap((e) => (e.dataBucket ? [e.dataBucket] : [])),
      loadGeneratorBucket: props.loadGenerator ? loadGeneratorBucketName(topology) : undefined,
    });
    // Valid but costly: `cdk synth` prints it as `[Warning at /<stack>/<Endpoint>]` (`--strict` fails on it), and a
    // stack that means it acknowledges it on the endpoint (Annotations.of(endpoint).acknowledgeWarning).
    for (const warning of shapeWarnings(topology)) {
      Annotations.of(endpoints[warning.endpoint]).addWarningV2(`mlserve:${ACCELERATOR_ROUND_UP}`, `${warning.path}: ${warning.message}`);
    }

    if (topology.featureCache) {
      this.featureCache = new FeatureCache(this, 'FeatureCache', {
        cache: topology.featureCache,
        vpc: this.network.vpc,
        vpcSubnets: this.network.subnets,
        removalPolicy,
      });
    }
    if (topology.vectorStore) {
      this.vectorStore = new VectorStore(this, 'VectorStore', {
        store: topology.vectorStore,
        vpc: this.network.vpc,
        vpcSubnets: this.network.subnets,
        deletionProtection: topology.deletionProtection,
        removalPolicy,
      });
    }
    // The VPC is dedicated to serving: anything inside it may reach the cache and the vector store.
    if (this.network.cidr) {
      const insideVpc = ec2.Peer.ipv4(this.network.cidr);
      this.featureCache?.connections.allowDefaultPortFrom(insideVpc, 'Clients inside the serving VPC');
      this.vectorStore?.connections.allowDefaultPortFrom(insideVpc, 'Clients inside the serving VPC');
    }

    const refresh = topology.pipelines.embeddingRefresh;
    if (refresh && this.vectorStore && topology.vectorStore) {
      this.embeddingRefresh = new EmbeddingRefreshPipeline(this, 'EmbeddingRefresh', {
        pipeline: refresh,
        queue: queues[refresh.sourceQueue],
        embedder: endpoints[refresh.embedder],
        vectorStore: this.vectorStore,
        vectorStoreSpec: topology.vectorStore,
        vpc: this.network.vpc,
        vpcSubnets: this.network.subnets,
        // An existing VPC's interface endpoints are the owner's, wherever they are: HTTPS to any address its routes reach.
        interfaceEndpointPeer: this.network.cidr ? ec2.Peer.ipv4(this.network.cidr) : ec2.Peer.anyIpv4(),
        alarmTopic,
        removalPolicy,
      });
    }

    this.addDashboard();
    this.addOutputs();
    this.dropRedundantProviderDependencies();
  }

  /**
   * CDK's singleton custom-resource providers (closing the default security group, emptying buckets
   * on delete) give their function a DependsOn on its role although `Role: Fn::GetAtt` already orders
   * them; the CloudFormation linter flags that (W3005), and this stack's templates lint clean.
   */
  private dropRedundantProviderDependencies(): void {
    for (const provider of this.node.children.filter((c) => /^Custom::.*CustomResourceProvider$/.test(c.node.id))) {
      const handler = provider.node.tryFindChild('Handler');
      const role = provider.node.tryFindChild('Role');
      if (handler instanceof CfnResource && role instanceof CfnResource) handler.removeResourceDependency(role);
    }
  }

  private addDashboard(): void {
    for (const [name, endpoint] of Object.entries(this.endpoints)) {
      // Async endpoints publish processed and failed requests instead of Invocations and 5XX.
      const requests =
        endpoint.mode === 'async'
          ? new cloudwatch.GraphWidget({ title: `${name}: async requests processed and failed`, left: [endpoint.metricInvocationsProcessed()], right: [endpoint.metricInvocationFailures()], width: 12 })
          : new cloudwatch.GraphWidget({ title: `${name}: invocations and 5XX`, left: [endpoint.metricInvocations()], right: [endpoint.metricInvocation5XXErrors()], width: 12 });
      this.monitoring.dashboard.addWidgets(
        requests,
        new cloudwatch.GraphWidget({ title: `${name}: p99 model latency (µs)`, left: [endpoint.metricModelLatency()], width: 12 }),
      );
    }
    const alarms: cloudwatch.IAlarm[] = [
      ...Object.values(this.endpoints).flatMap((e) => [e.latencyAlarm, e.errorRateAlarm]),
      ...Object.values(this.queues).map((q) => q.deadLetterAlarm),
      ...(this.embeddingRefresh ? [this.embeddingRefresh.latencyAlarm, this.embeddingRefresh.errorAlarm] : []),
    ];
    this.monitoring.addAlarmStatus('Alarms', alarms);
  }

  private addOutputs(): void {
    for (const [name, endpoint] of Object.entries(this.endpoints)) {
      new CfnOutput(this, `${pascalCase(name)}EndpointName`, { value: endpoint.endpointName, description: `SageMaker endpoint of ${name}` });
      if (endpoint instanceof InferenceComponentEndpoint) {
        new CfnOutput(this, `${pascalCase(name)}InferenceComponentName`, { value: endpoint.componentName, description: `Inference component of ${name}: requests name it (InferenceComponentName)` });
      }
      if (endpoint.asyncInputLocation) {
        new CfnOutput(this, `${pascalCase(name)}AsyncInputLocation`, {
          value: endpoint.asyncInputLocation,
          description: `Where ${name}'s async requests are uploaded: the object's URI is the InputLocation of InvokeEndpointAsync`,
        });
      }
    }
    for (const [name, queue] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascalCase(name)}QueueUrl`, { value: queue.queue.queueUrl, description: `Queue ${name}` });
      new CfnOutput(this, `${pascalCase(name)}DeadLetterQueueUrl`, { value: queue.deadLetterQueue.queueUrl, description: `Dead-letter queue of ${name}` });
    }
    if (this.featureCache) {
      new CfnOutput(this, 'FeatureCacheEndpoint', {
        value: `${this.featureCache.endpointAddress}:${this.featureCache.endpointPort}`,
        description: 'Feature cache host:port (TLS, IAM-authenticated user)',
      });
      new CfnOutput(this, 'FeatureCacheUser', {
        value: this.featureCache.applicationUser.userName,
        description: 'User the application authenticates as with IAM (its name carries a hash of the engine)',
      });
    }
    if (this.vectorStore) {
      new CfnOutput(this, this.vectorStore.collection ? 'VectorCollectionEndpoint' : 'VectorDatabaseEndpoint', {
        value: this.vectorStore.endpointAddress,
        description: this.vectorStore.collection ? 'OpenSearch Serverless collection endpoint (through the VPC endpoint)' : 'Aurora PostgreSQL (pgvector) writer endpoint',
      });
      if (this.vectorStore.indexName) {
        new CfnOutput(this, 'VectorIndexName', {
          value: this.vectorStore.indexName,
          description: 'The index with the current mapping; a mapping change creates a new one (README, "Vector index changes")',
        });
      }
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn, description: 'Topic every alarm notifies' });
  }
}

