/**
 * `ModelEndpoint`: a private Vertex AI endpoint (Private Service Connect, CMEK, optional
 * request/response logging to a CMEK BigQuery dataset), the service account its containers run
 * as, a `VertexModelDeployment` that puts every variant's model on it, and its alert policies.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { vertexEndpointId, type ResolvedEndpoint } from '../../constructs';
import { serviceAccountWithRoles } from '../private/service-account';
import { statefulOptions } from '../private/stateful-options';
import type { ComponentKey, ServingContext } from '../serving-context';
import type { AlertDestination } from '../serving-monitoring';
import { newEndpointAlerts, type EndpointAlerts } from './endpoint-alerts';
import type { VertexDeploymentResourcePool } from './vertex-deployment-resource-pool';
import { VertexModelDeployment } from './vertex-model-deployment';

/** Project roles of a serving container: write its logs and metrics, nothing else. */
export const SERVING_ROLES = { logs: 'roles/logging.logWriter', metrics: 'roles/monitoring.metricWriter' } as const;

/** The PSC endpoint of a Vertex endpoint, as its automation reports it (PSCAutomationConfig, service_networking.proto). */
export interface PrivateEndpoint {
  readonly state: string;
  readonly ipAddress: string;
  readonly forwardingRule: string;
  readonly errorMessage: string;
}

/** The automation's failure state (PSCAutomationState, service_networking.proto). */
export const PSC_AUTOMATION_FAILED = 'PSC_AUTOMATION_STATE_FAILED';

export function privateEndpoint(psc: gcp.types.output.vertex.AiEndpointPrivateServiceConnectConfig | undefined): PrivateEndpoint {
  const automation = psc?.pscAutomationConfigs?.[0];
  return {
    state: automation?.state ?? '',
    ipAddress: automation?.ipAddress ?? '',
    forwardingRule: automation?.forwardingRule ?? '',
    errorMessage: automation?.errorMessage ?? '',
  };
}

export interface ModelEndpointArgs {
  readonly endpoint: ResolvedEndpoint;
  /** The logging dataset is kept on delete and refuses replacement when the context retains data. */
  readonly context: ServingContext;
  /** `projects/{project}/global/networks/{name}`: where the PSC endpoint for clients is created. */
  readonly network: pulumi.Input<string>;
  /** CMEK for the endpoint, its models and the logging dataset. */
  readonly key: ComponentKey;
  /** Where the latency and error-rate alerts notify. */
  readonly alerts: AlertDestination;
  /** @default https://{region}-aiplatform.googleapis.com */
  readonly vertexApiBaseUrl?: string;
  /** The pool the endpoint's model is deployed to (its `gcp.deploymentResourcePool`). @default - dedicated replicas */
  readonly deploymentResourcePool?: VertexDeploymentResourcePool;
}

export class ModelEndpoint extends pulumi.ComponentResource {
  readonly endpoint: gcp.vertex.AiEndpoint;
  readonly deployment: VertexModelDeployment;
  readonly serviceAccount: gcp.serviceaccount.Account;
  readonly loggingDataset?: gcp.bigquery.Dataset;
  /** p99 latency above the SLO, and error rate above its budget. */
  readonly alertPolicies: EndpointAlerts;
  /** The numeric endpoint id (AiEndpoint `name`), known before deployment. */
  readonly endpointId: string;
  /**
   * Where clients in our network reach the endpoint: the address, forwarding rule and state
   * (PSC_AUTOMATION_STATE_SUCCESSFUL or _FAILED, with the error) of the endpoint Vertex's PSC
   * automation created.
   */
  readonly privateEndpoint: pulumi.Output<PrivateEndpoint>;

  constructor(name: string, args: ModelEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ModelEndpoint', name, {}, opts);
    const e = args.endpoint;
    const { project, region, retainData } = args.context;
    const key = args.key;
    const labels = { ...args.context.labels, endpoint: e.name };
    this.endpointId = vertexEndpointId(project, region, e.gcp.displayName);

    this.serviceAccount = serviceAccountWithRoles(this, `${name}-sa`, {
      project,
      accountId: e.gcp.serviceAccountId,
      displayName: `Serving containers of ${e.gcp.displayName}`,
      projectRoles: SERVING_ROLES,
    });

    let logging: gcp.types.input.vertex.AiEndpointPredictRequestResponseLoggingConfig | undefined;
    if (e.gcp.loggingDatasetId) {
      // Dataset only: Vertex creates the logging table itself and fails if it already exists
      // (AiEndpoint bigqueryDestination.outputUri); the table inherits the dataset's CMEK default.
      this.loggingDataset = new gcp.bigquery.Dataset(
        `${name}-logs`,
        {
          project,
          datasetId: e.gcp.loggingDatasetId,
          location: region,
          description: `Sampled request/response logs of ${e.gcp.displayName}`,
          defaultEncryptionConfiguration: { kmsKeyName: key.kmsKeyName },
          // Vertex writes the logging table into it: outside production a destroy takes the logs with it.
          deleteContentsOnDestroy: !retainData,
          labels,
        },
        { parent: this, dependsOn: [...key.grants], ...statefulOptions('dataset', retainData) },
      );
      logging = {
        enabled: true,
        samplingRate: e.gcp.requestResponseLoggingRate,
        bigqueryDestination: { outputUri: pulumi.interpolate`bq://${project}.${this.loggingDataset.datasetId}` },
      };
    }

    this.endpoint = new gcp.vertex.AiEndpoint(
      `${name}-endpoint`,
      {
        project,
        name: this.endpointId,
        displayName: e.gcp.displayName,
        description: `${e.name} (${e.mode}) of ${args.context.topologyName}/${args.context.environment}`,
        location: region,
        region,
        encryptionSpec: { kmsKeyName: key.kmsKeyName },
        // Private Service Connect, never VPC peering: a peered endpoint has no TLS, traffic split or request logging.
        privateServiceConnectConfig: {
          enablePrivateServiceConnect: true,
          projectAllowlists: [project],
          pscAutomationConfigs: [{ projectId: project, network: args.network }],
        },
        predictRequestResponseLoggingConfig: logging,
        labels,
      },
      // The model deployment sets the traffic split (keyed by deployed-model ids); Pulumi must not fight it.
      { parent: this, dependsOn: [...key.grants], ignoreChanges: ['trafficSplit'] },
    );

    this.deployment = new VertexModelDeployment(
      `${name}-deployment`,
      {
        project,
        region,
        endpointId: this.endpoint.name,
        apiBaseUrl: args.vertexApiBaseUrl,
        serviceAccount: this.serviceAccount.email,
        encryptionKmsKeyName: key.kmsKeyName,
        labels,
        autoscalingMetricSpecs: e.gcp.autoscalingMetricSpecs.map((s) => ({ metricName: s.metricName, target: s.target })),
        rollout: { steps: [...e.gcp.rollout.steps], bakeSeconds: e.gcp.rollout.bakeSeconds },
        variants: e.variants.map((v) => ({
          name: v.name,
          displayName: v.gcp.displayName,
          weight: v.weight,
          model: {
            imageUri: v.model.image.gcp,
            artifactUri: v.model.artifact?.gcp,
            port: v.model.port,
            predictRoute: v.model.predictRoute,
            healthRoute: v.model.healthRoute,
            env: { ...v.model.environment },
          },
          machineType: v.gcp.machineType,
          acceleratorType: v.gcp.acceleratorType,
          acceleratorCount: v.gcp.acceleratorCount,
          // Each variant scales on its own within the endpoint's bounds, as on SageMaker. At min 0 only
          // with the v1beta1 scale-to-zero fields; otherwise (a pooled model, say) Vertex keeps one.
          minReplicaCount: e.gcp.scaleToZero ? 0 : Math.max(1, e.scaling.min),
          maxReplicaCount: e.scaling.max,
          ...(e.gcp.scaleToZero && { scaleToZero: { ...e.gcp.scaleToZero } }),
          // The name is known before the pool exists (its id is planned), so a preview shows it; dependsOn orders the two.
          ...(args.deploymentResourcePool && e.gcp.deploymentResourcePool && {
            sharedResources: `projects/${project}/locations/${region}/deploymentResourcePools/${e.gcp.deploymentResourcePool.poolId}`,
          }),
        })),
      },
      // Explicitly after the endpoint (and its pool): a destroy undeploys the models before it deletes them.
      { parent: this, dependsOn: [this.endpoint, ...key.grants, ...(args.deploymentResourcePool ? [args.deploymentResourcePool] : [])] },
    );
    this.alertPolicies = newEndpointAlerts(this, name, e, this.endpointId, args.alerts, args.context);

    this.privateEndpoint = this.endpoint.privateServiceConnectConfig.apply((psc) => {
      const found = privateEndpoint(psc);
      if (found.state === PSC_AUTOMATION_FAILED) {
        void pulumi.log.warn(
          `Vertex could not create the Private Service Connect endpoint of ${e.gcp.displayName} in ${String(psc?.pscAutomationConfigs?.[0]?.network)}: ` +
            `${found.errorMessage}. Clients in the network cannot reach it until an endpoint exists (see the README, GCP prerequisites).`,
          this.endpoint,
        );
      }
      return found;
    });
    this.registerOutputs({
      endpoint: this.endpoint.id,
      privateEndpoint: this.privateEndpoint,
      endpointId: this.endpointId,
      serviceAccount: this.serviceAccount.email,
      trafficSplit: this.deployment.trafficSplit,
      loggingDataset: this.loggingDataset?.datasetId,
    });
  }
}
