/**
 * The offline plan: run `ServingTopology` in-process under Pulumi mocks and list every resource
 * it registers, with its inputs. No CLI, no credentials, no network. The mocks return the inputs
 * as state plus the few outputs other resources read (ids, emails, names), so inputs that depend
 * on another resource show realistic values.
 */
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../constructs';
import { ServingTopology } from './serving-topology';

export interface PlannedResource {
  /**
   * Pulumi type token: `gcp:vertex/aiEndpoint:AiEndpoint`, `mlserve:gcp:ModelEndpoint` for our
   * components, `VERTEX_MODEL_DEPLOYMENT_TYPE` for the dynamic model deployment.
   */
  readonly type: string;
  /** Pulumi resource name (the last part of the URN). */
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource; absent for the top-level ServingTopology. */
  readonly parent?: string;
  /** True for cloud resources (custom resources), false for component resources. */
  readonly custom: boolean;
  /** Inputs as the provider would receive them (`__provider`, the serialized dynamic provider, removed). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Names of the resources it waits for (`dependsOn`, its own and what its components add); a destroy removes it first. */
  readonly dependsOn: readonly string[];
  /** The resource options that guard data (mocks never see options; the plan reads them where they are set). */
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

/** Type token of `VertexModelDeployment` (a dynamic resource registered with module `mlserve`). */
export const VERTEX_MODEL_DEPLOYMENT_TYPE = 'pulumi-nodejs:dynamic/mlserve:VertexModelDeployment';

export interface PlanGcpOptions {
  /** @default PLAN_PROJECT */
  readonly project?: string;
  /** @default PLAN_PROJECT_NUMBER */
  readonly projectNumber?: string;
  /** As the stack config ml-serving-stacks:createConnectionPolicies. @default false */
  readonly createConnectionPolicies?: boolean;
}

/** Placeholder project of an offline plan; a real stack sets gcp:project. */
export const PLAN_PROJECT = 'example-project';
export const PLAN_PROJECT_NUMBER = '123456789012';
export const PULUMI_PROJECT = 'ml-serving-stacks';

/**
 * Every resource `ServingTopology` would register for `resolved`, in registration order.
 * Runs one mocked Pulumi program; calls are serialized because the mocks are process-global.
 */
export function planGcp(resolved: ResolvedTopology, options: PlanGcpOptions = {}): Promise<PlannedResource[]> {
  const run = queue.then(() => runPlan(resolved, options));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

async function runPlan(resolved: ResolvedTopology, options: PlanGcpOptions): Promise<PlannedResource[]> {
  const project = options.project ?? PLAN_PROJECT;
  const projectNumber = options.projectNumber ?? PLAN_PROJECT_NUMBER;
  const recorded: MockedResource[] = [];
  await pulumi.runtime.setMocks(
    offlineMocks({ project, projectNumber, region: resolved.regions.gcp }, (r) => recorded.push(r)),
    PULUMI_PROJECT,
    resolved.environment,
    false,
  );
  const tree: { resource: pulumi.Resource; parent?: pulumi.Resource; opts: pulumi.ResourceOptions }[] = [];
  const topology = new ServingTopology(
    resolved.name,
    { resolved, project, projectNumber, createConnectionPolicies: options.createConnectionPolicies },
    {
      // SDK-side transformations run under mocks (engine-side `transforms` do not), after those of
      // the components below; this one only records each descendant with its parent and final
      // options, so the plan can wait for all and show the tree, the dependencies and the guards.
      transformations: [
        (t) => {
          tree.push({ resource: t.resource, parent: t.opts.parent, opts: t.opts });
          return undefined;
        },
      ],
    },
  );
  tree.push({ resource: topology, opts: {} });
  const dependencies = (opts: pulumi.ResourceOptions) =>
    pulumi.output(opts.dependsOn ?? []).apply((d) => pulumi.all((Array.isArray(d) ? d : [d]).map((r) => (r as pulumi.Resource).urn)));
  const links = await new Promise<{ urn: string; parent?: string; dependsOn: string[] }[]>((resolve) =>
    pulumi
      .all(tree.map((n) => pulumi.all([n.resource.urn, n.parent?.urn, dependencies(n.opts)])))
      .apply((rows) => resolve(rows.map(([urn, parent, dependsOn]) => ({ urn, parent, dependsOn })))),
  );
  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
  const parentOf = new Map(links.map((l) => [nameOf(l.urn), l.parent ? nameOf(l.parent) : undefined]));
  const dependsOn = new Map(links.map((l) => [nameOf(l.urn), [...new Set(l.dependsOn.map(nameOf))]]));
  const optionsOf = new Map(links.map((l, i) => [nameOf(l.urn), tree[i].opts]));
  const typeOf = new Map(recorded.map((r) => [r.name, r.type]));
  // The engine qualifies a type with every ancestor's type (pkg/resource/urn.go); the mock
  // monitor keeps only the direct parent's, so the URNs are rebuilt here as a real stack has them.
  const qualifiedType = (name: string): string => {
    const parent = parentOf.get(name);
    const type = typeOf.get(name);
    if (!type) throw new Error(`the offline plan lost track of resource ${name}`);
    return parent ? `${qualifiedType(parent)}$${type}` : type;
  };
  const urn = (name: string) => `urn:pulumi:${resolved.environment}::${PULUMI_PROJECT}::${qualifiedType(name)}::${name}`;
  return recorded.map((r) => {
    const parent = parentOf.get(r.name);
    const opts = optionsOf.get(r.name) ?? {};
    return {
      type: r.type,
      name: r.name,
      urn: urn(r.name),
      ...(parent ? { parent: urn(parent) } : {}),
      custom: r.custom,
      inputs: r.inputs,
      dependsOn: dependsOn.get(r.name) ?? [],
      protect: opts.protect === true,
      retainOnDelete: opts.retainOnDelete === true,
    };
  });
}

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
    case 'gcp:monitoring/notificationChannel:NotificationChannel':
      return { ...inputs, id: `projects/${project}/notificationChannels/${name}` };
    default:
      return { ...inputs };
  }
}
