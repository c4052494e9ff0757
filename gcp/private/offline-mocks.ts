/**
 * The mocks of an offline plan: each resource's state is its inputs plus the outputs GCP computes
 * that other resources read (ids, emails, names), so inputs that depend on another resource show
 * realistic values; the two lookups the program makes are answered.
 */
import type * as pulumi from '@pulumi/pulumi';

/** A resource as the mocks receive it (`__provider`, the serialized dynamic provider, removed). */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

/**
 * The mocks of an offline run in `project`: each resource's state is its inputs plus the outputs
 * GCP computes that other resources read, and the two lookups the program makes are answered.
 * `onResource` sees every registration.
 */
export function offlineMocks(
  where: { readonly project: string; readonly projectNumber: string; readonly region: string },
  onResource: (r: MockedResource) => void,
): pulumi.runtime.Mocks {
  const { project, projectNumber, region } = where;
  return {
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
      const { __provider: _serialized, ...inputs } = args.inputs as Record<string, unknown>;
      onResource({ type: args.type, name: args.name, custom: args.custom ?? true, inputs });
      const state = mockState(args.type, args.name, inputs, project, region);
      return { id: args.custom === false ? undefined : String(state.id ?? `${args.name}-id`), state };
    },
    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
      if (args.token === 'gcp:organizations/getProject:getProject') return { projectId: project, number: projectNumber, name: project };
      if (args.token === 'gcp:bigquery/getDefaultServiceAccount:getDefaultServiceAccount') {
        const email = `bq-${projectNumber}@bigquery-encryption.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}`, project, id: email };
      }
      if (args.token === 'gcp:storage/getProjectServiceAccount:getProjectServiceAccount') {
        const email = `service-${projectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
        return { emailAddress: email, member: `serviceAccount:${email}`, project, id: email };
      }
      throw new Error(`the offline plan has no mock for the call ${args.token}`);
    },
  };
}

/** The inputs as state, plus the outputs GCP computes that other resources here read. */
function mockState(type: string, name: string, inputs: Record<string, unknown>, project: string, region: string): Record<string, unknown> {
  const s = (key: string) => (typeof inputs[key] === 'string' ? (inputs[key] as string) : name);
  switch (type) {
    case 'gcp:serviceaccount/account:Account':
      return { ...inputs, id: `projects/${project}/serviceAccounts/${s('accountId')}`, email: `${s('accountId')}@${project}.iam.gserviceaccount.com` };
    case 'gcp:kms/keyRing:KeyRing':
      return { ...inputs, name, id: `projects/${project}/locations/${region}/keyRings/${name}` };
    case 'gcp:kms/cryptoKey:CryptoKey':
      return { ...inputs, id: `${s('keyRing')}/cryptoKeys/${s('name')}` };
    case 'gcp:compute/network:Network':
      return { ...inputs, name, id: `projects/${project}/global/networks/${name}` };
    case 'gcp:compute/subnetwork:Subnetwork':
      return { ...inputs, name, id: `projects/${project}/regions/${region}/subnetworks/${name}` };
    case 'gcp:pubsub/topic:Topic':
      return { ...inputs, id: `projects/${project}/topics/${s('name')}` };
    case 'gcp:pubsub/subscription:Subscription':
      return { ...inputs, id: `projects/${project}/subscriptions/${s('name')}` };
    case 'gcp:vertex/aiEndpoint:AiEndpoint': {
      // PSC automation reports the endpoint it made in the consumer network.
      const psc = inputs.privateServiceConnectConfig as { pscAutomationConfigs?: { projectId: string; network: string }[] } | undefined;
      const automation = (psc?.pscAutomationConfigs ?? []).map((c) => ({
        ...c,
        ipAddress: '10.20.0.10',
        forwardingRule: `projects/${c.projectId}/regions/${region}/forwardingRules/sca-auto-fr-${s('name')}`,
        state: 'PSC_AUTOMATION_STATE_SUCCESSFUL',
        errorMessage: '',
      }));
      return {
        ...inputs,
        id: `projects/${project}/locations/${region}/endpoints/${s('name')}`,
        privateServiceConnectConfig: psc && { ...psc, pscAutomationConfigs: automation },
      };
    }
    case 'gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex':
      return {
        ...inputs,
        privateEndpoints: [{ serviceAttachment: `projects/tenant-${name}/regions/${region}/serviceAttachments/${s('deployedIndexId')}`, matchGrpcAddress: '', pscAutomatedEndpoints: [] }],
      };
    case 'gcp:compute/address:Address':
      return { ...inputs, address: '10.20.0.20', id: `projects/${project}/regions/${region}/addresses/${name}` };
    case 'gcp:compute/forwardingRule:ForwardingRule':
      return { ...inputs, pscConnectionStatus: 'ACCEPTED', id: `projects/${project}/regions/${region}/forwardingRules/${name}` };
    case 'gcp:memorystore/instance:Instance':
      return {
        ...inputs,
        endpoints: [{ connections: [{ pscAutoConnection: { connectionType: 'CONNECTION_TYPE_DISCOVERY', ipAddress: '10.20.0.30', port: 6379 } }] }],
      };
    case 'gcp:redis/instance:Instance':
      return { ...inputs, host: '10.20.0.40', port: 6378 };
    case 'gcp:alloydb/instance:Instance': {
      const psc = inputs.pscInstanceConfig as { pscAutoConnections?: object[] } | undefined;
      return { ...inputs, pscInstanceConfig: psc && { ...psc, pscAutoConnections: (psc.pscAutoConnections ?? []).map((c) => ({ ...c, ipAddress: '10.20.0.50', status: 'ACTIVE' })) } };
    }
    case 'gcp:vertex/aiIndex:AiIndex':
      return { ...inputs, name: '1000000001', id: `projects/${project}/locations/${region}/indexes/1000000001` };
    case 'gcp:vertex/aiIndexEndpoint:AiIndexEndpoint':
      return { ...inputs, name: '1000000002', id: `projects/${project}/locations/${region}/indexEndpoints/1000000002` };
    case 'gcp:alloydb/cluster:Cluster':
      return { ...inputs, name: `projects/${project}/locations/${region}/clusters/${s('clusterId')}` };
    case 'gcp:storage/bucket:Bucket':
      // Auto-named: Pulumi adds a random suffix to the resource name; the plan shows the name itself.
      return { ...inputs, name, id: name, url: `gs://${name}` };
    case 'gcp:projects/iAMCustomRole:IAMCustomRole':
      return { ...inputs, name: `projects/${project}/roles/${s('roleId')}`, id: `projects/${project}/roles/${s('roleId')}` };
    case 'gcp:cloudfunctionsv2/function:Function': {
      const serviceConfig = (inputs.serviceConfig ?? {}) as Record<string, unknown>;
      return {
        ...inputs,
        url: `https://${region}-${project}.cloudfunctions.net/${s('name')}`,
        serviceConfig: { ...serviceConfig, service: `projects/${project}/locations/${region}/services/${s('name')}`, uri: `https://${s('name')}-mock-uc.a.run.app` },
      };
    }
    case 'gcp:monitoring/notificationChannel:NotificationChannel':
      return { ...inputs, id: `projects/${project}/notificationChannels/${name}` };
    case 'gcp:monitoring/alertPolicy:AlertPolicy':
      return { ...inputs, name: `projects/${project}/alertPolicies/${name}`, id: `projects/${project}/alertPolicies/${name}` };
    default:
      return { ...inputs };
  }
}
