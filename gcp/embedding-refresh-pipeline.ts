/**
 * `EmbeddingRefreshPipeline`: the embedding-refresh worker (pipelines/embedding-refresh/) as a Cloud
 * Function (2nd gen) built from a source archive `pulumi up` uploads (no Docker), called by the
 * queue's push subscription with an OIDC token. It runs as its own service account, which may call
 * the embedder endpoint (a custom role with aiplatform.endpoints.predict, bound on that endpoint
 * only) and write the vector store, and sends all its traffic through the serving network (Direct VPC
 * egress: the PSC endpoints, and Google APIs through Private Google Access). The source archive's
 * bucket is encrypted with the pipeline's own key. An alert
 * fires when the oldest unacknowledged message is older than the pipeline's SLO; the queue's own
 * alert fires on dead letters.
 *
 * Why push to an HTTP function rather than an Eventarc Pub/Sub trigger: Eventarc creates and owns its
 * own subscription (cloud.google.com/eventarc/docs/run/create-trigger-pubsub), so the topology's
 * subscription, with its dead-letter topic, retry policy and message ordering, would not be the one
 * delivering. A push subscription is ours, and with ordering keys Pub/Sub pushes one message per key
 * at a time (cloud.google.com/pubsub/docs/ordering).
 */
import { join } from 'node:path';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedEmbeddingRefresh, ResolvedQueue, ResolvedVectorStore } from '../constructs';
import type { ModelEndpoint } from './model-endpoint/model-endpoint';
import { newAlertPolicy, thresholdCondition } from './private/alert-policy';
import { FUNCTION_RUNTIME, functionSource } from './private/function-source';
import { serviceAccountWithRoles } from './private/service-account';
import type { ComponentKey, ServiceAgentGrantee, ServingContext } from './serving-context';
import type { PrivateNetwork } from './serving-network';
import type { AlertDestination } from './serving-monitoring';
import { DATABASE_CLIENT_ROLES } from './vector-store/alloydb-vector-store';
import { VectorSearchStore } from './vector-store/vector-search-store';
import type { VectorStore } from './vector-store/vector-store';

export const EMBEDDING_REFRESH_FUNCTION_ENTRY = join(__dirname, '..', 'pipelines', 'embedding-refresh', 'cloud-function', 'index.ts');
/** The exported function the entry point names. */
export const EMBEDDING_REFRESH_ENTRY_POINT = 'embeddingRefresh';
export const OLDEST_UNACKED_METRIC = 'pubsub.googleapis.com/subscription/oldest_unacked_message_age';

/** Least privilege for calling one endpoint: no predefined role holds only predict. */
export const PREDICT_PERMISSIONS = ['aiplatform.endpoints.predict'] as const;
/** Upserting and removing datapoints (index update), and reading them back from the deployed index. */
export const INDEX_WRITER_PERMISSIONS = ['aiplatform.indexes.get', 'aiplatform.indexes.update', 'aiplatform.indexEndpoints.get', 'aiplatform.indexEndpoints.queryVectors'] as const;

export interface EmbeddingRefreshPipelineArgs {
  readonly pipeline: ResolvedEmbeddingRefresh;
  /** The source queue: its subscription's names, for the alert. */
  readonly queue: ResolvedQueue;
  readonly embedder: ModelEndpoint;
  readonly vectorStore: VectorStore;
  readonly vectorStoreSpec: Pick<ResolvedVectorStore, 'dimensions' | 'engine'>;
  readonly context: ServingContext;
  readonly network: PrivateNetwork;
  /** Encrypts the source archive's bucket; the Cloud Storage service agent must hold it (its grants). */
  readonly key: ComponentKey;
  readonly alerts: AlertDestination;
  /** The Pub/Sub service agent, which mints the push subscription's OIDC tokens. */
  readonly pubsubAgent: ServiceAgentGrantee;
  /** @default https://{region}-aiplatform.googleapis.com */
  readonly vertexApiUrl?: string;
}

export class EmbeddingRefreshPipeline extends pulumi.ComponentResource {
  readonly serviceAccount: gcp.serviceaccount.Account;
  /** The identity Pub/Sub signs push requests as; it may only invoke the function. */
  readonly pushServiceAccount: gcp.serviceaccount.Account;
  readonly sourceBucket: gcp.storage.Bucket;
  readonly sourceObject: gcp.storage.BucketObject;
  readonly function: gcp.cloudfunctionsv2.Function;
  /** The URL the push subscription delivers to, and the OIDC audience: the function's Cloud Run service URI. */
  readonly url: pulumi.Output<string>;
  /** Fires when the oldest unacknowledged message is older than the SLO. */
  readonly latencyAlert: gcp.monitoring.AlertPolicy;

  constructor(name: string, args: EmbeddingRefreshPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:EmbeddingRefreshPipeline', name, {}, opts);
    const p = args.pipeline;
    const { project, region } = args.context;
    const labels = { ...args.context.labels, pipeline: 'embedding-refresh' };
    const roleId = (suffix: string) => `${args.context.topologyName}_${args.context.environment}_${suffix}`.replace(/-/g, '_');

    this.serviceAccount = serviceAccountWithRoles(this, `${name}-sa`, {
      project,
      accountId: p.gcp.serviceAccountId,
      displayName: `Embedding-refresh worker (${args.context.environment})`,
      projectRoles: args.vectorStoreSpec.engine === 'pgvector' ? DATABASE_CLIENT_ROLES : {},
    });
    const worker = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;

    const predictor = new gcp.projects.IAMCustomRole(
      `${name}-predictor`,
      { project, roleId: roleId('embedding_predictor'), title: 'Embedding predictor', description: 'Calls a Vertex AI endpoint, nothing else', permissions: [...PREDICT_PERMISSIONS] },
      { parent: this },
    );
    new gcp.vertex.AiEndpointIamMember(
      `${name}-predict`,
      { project, location: region, endpoint: args.embedder.endpoint.name, role: predictor.name, member: worker },
      { parent: this },
    );
    if (args.vectorStore.engine instanceof VectorSearchStore) {
      // Vertex AI has no IAM policy on an index, so the role is granted on the project; it holds only index writes and reads.
      const indexWriter = new gcp.projects.IAMCustomRole(
        `${name}-index-writer`,
        { project, roleId: roleId('vector_index_writer'), title: 'Vector index writer', description: 'Upserts, removes and reads datapoints of Vector Search indexes', permissions: [...INDEX_WRITER_PERMISSIONS] },
        { parent: this },
      );
      new gcp.projects.IAMMember(`${name}-index-writer-member`, { project, role: indexWriter.name, member: worker }, { parent: this });
    }

    this.sourceBucket = new gcp.storage.Bucket(
      `${name}-source`,
      {
        project,
        location: region,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        // The worker's code, under the customer-managed key every other component's data has (datastore-cmek).
        encryption: { defaultKmsKeyName: args.key.kmsKeyName },
        forceDestroy: true,
        labels,
      },
      { parent: this, dependsOn: [...args.key.grants] },
    );
    const source = functionSource(EMBEDDING_REFRESH_FUNCTION_ENTRY, p.gcp.functionName);
    this.sourceObject = new gcp.storage.BucketObject(
      `${name}-source-archive`,
      { bucket: this.sourceBucket.name, name: source.objectName, source: source.archive },
      { parent: this },
    );

    const environmentVariables = this.environment(args);
    this.function = new gcp.cloudfunctionsv2.Function(
      `${name}-function`,
      {
        project,
        location: region,
        name: p.gcp.functionName,
        description: `Embeds documents from ${p.sourceQueue} with ${p.embedder} and writes them into the vector store, newest version wins`,
        labels,
        buildConfig: {
          runtime: FUNCTION_RUNTIME,
          entryPoint: EMBEDDING_REFRESH_ENTRY_POINT,
          source: { storageSource: { bucket: this.sourceBucket.name, object: this.sourceObject.name } },
        },
        serviceConfig: {
          serviceAccountEmail: this.serviceAccount.email,
          maxInstanceCount: p.concurrency,
          minInstanceCount: 0,
          // In flight at once: batch size × concurrency messages, as on AWS (concurrent requests need a whole CPU).
          maxInstanceRequestConcurrency: p.batchSize,
          availableCpu: '1',
          availableMemory: `${p.memoryMiB}Mi`,
          timeoutSeconds: p.timeoutSeconds,
          // Pub/Sub push from the same project counts as internal (cloud.google.com/run/docs/securing/ingress).
          ingressSettings: 'ALLOW_INTERNAL_ONLY',
          allTrafficOnLatestRevision: true,
          // Direct VPC egress of all traffic, as a Lambda function in a VPC: the PSC endpoints (Vertex, Vector
          // Search, AlloyDB) by private address, Google APIs through the subnet's Private Google Access, and
          // nothing to the internet (the serving network has no Cloud NAT). Private ranges only would send
          // every other request straight out of Google's network (cloud.google.com/run/docs/configuring/vpc-direct-vpc).
          directVpcNetworkInterfaces: [{ network: args.network.network, subnetwork: args.network.subnetwork }],
          directVpcEgress: 'VPC_EGRESS_ALL_TRAFFIC',
          environmentVariables,
        },
      },
      { parent: this },
    );
    // The Cloud Run service's run.app URI: the audience Cloud Run checks OIDC tokens against (cloud.google.com/run/docs/authenticating/service-to-service).
    this.url = this.function.serviceConfig.apply((c) => c?.uri ?? '');

    this.pushServiceAccount = serviceAccountWithRoles(this, `${name}-push`, {
      project,
      accountId: p.gcp.pushServiceAccountId,
      displayName: `Pub/Sub push to the embedding-refresh worker (${args.context.environment})`,
      projectRoles: {},
    });
    new gcp.cloudrunv2.ServiceIamMember(
      `${name}-invoker`,
      {
        project,
        location: region,
        name: this.function.serviceConfig.apply((s) => s?.service ?? ''),
        role: 'roles/run.invoker',
        member: pulumi.interpolate`serviceAccount:${this.pushServiceAccount.email}`,
      },
      { parent: this },
    );
    // Pub/Sub mints the OIDC token as the push identity (needed on projects older than 2021-04-08: cloud.google.com/pubsub/docs/authenticate-push-subscriptions).
    new gcp.serviceaccount.IAMMember(
      `${name}-push-token-creator`,
      { serviceAccountId: this.pushServiceAccount.name, role: 'roles/iam.serviceAccountTokenCreator', member: args.pubsubAgent.member },
      { parent: this, dependsOn: [...args.pubsubAgent.after] },
    );

    const subscription = args.queue.gcp.subscriptionName;
    this.latencyAlert = newAlertPolicy(
      this,
      name,
      {
        suffix: 'freshness',
        formerId: 'embedding-refresh-freshness',
        displayName: `embedding refresh: oldest message older than ${p.maxLatencySeconds} s`,
        condition: thresholdCondition({
          displayName: `oldest unacked message on ${subscription} > ${p.maxLatencySeconds} s`,
          filter: `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${subscription}" AND metric.type = "${OLDEST_UNACKED_METRIC}"`,
          aggregation: { perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_MAX' },
          thresholdValue: p.maxLatencySeconds,
          evaluation: p.latencyAlarmEvaluation,
        }),
        runbook: `Documents on ${subscription} wait longer than the pipeline's freshness SLO (${p.maxLatencySeconds} s). Check the function's errors and the embedder's latency; raise pipelines.embeddingRefresh.concurrency if it keeps up with none.`,
      },
      args.alerts,
      args.context,
    );
    this.registerOutputs({ function: this.function.id, url: this.url, serviceAccount: this.serviceAccount.email, pushServiceAccount: this.pushServiceAccount.email });
  }

  private environment(args: EmbeddingRefreshPipelineArgs): Record<string, pulumi.Input<string>> {
    const { project, region } = args.context;
    const env: Record<string, pulumi.Input<string>> = {
      VERTEX_API_URL: args.vertexApiUrl ?? `https://${region}-aiplatform.googleapis.com`,
      EMBEDDER_ENDPOINT: pulumi.interpolate`projects/${project}/locations/${region}/endpoints/${args.embedder.endpoint.name}`,
      EMBEDDER_MAX_BATCH: String(args.pipeline.batchSize),
      VECTOR_DIMENSIONS: String(args.vectorStoreSpec.dimensions),
      VECTOR_STORE_ENGINE: args.vectorStoreSpec.engine,
    };
    const engine = args.vectorStore.engine;
    if (engine instanceof VectorSearchStore) {
      env.VECTOR_INDEX = engine.index.id;
      env.VECTOR_INDEX_ENDPOINT = engine.indexEndpoint.id;
      env.DEPLOYED_INDEX_ID = engine.deployedIndex.deployedIndexId;
      // readIndexDatapoints is served on the index endpoint's PSC address over gRPC, port 10000, not by the regional API.
      env.VECTOR_MATCH_URL = pulumi.interpolate`grpc://${engine.address}:10000`;
    } else {
      env.DATABASE_HOST = engine.address;
      // AlloyDB IAM database users are the service account's email without .gserviceaccount.com.
      env.DATABASE_USER = this.serviceAccount.email.apply((email) => email.replace(/\.gserviceaccount\.com$/, ''));
    }
    return env;
  }
}
