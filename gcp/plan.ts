/**
 * The offline plan: run `ServingTopology` in-process under Pulumi mocks (private/offline-mocks.ts)
 * and list every resource it registers, with its inputs. No CLI, no credentials, no network.
 */
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../constructs';
import { offlineMocks, type MockedResource } from './private/offline-mocks';
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
  /**
   * URNs the resource had before it moved (its `aliases`, and those it inherits from aliased
   * ancestors): with them, `pulumi up` moves it in the state instead of replacing it.
   */
  readonly aliases: readonly string[];
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
  /** As the stack config ml-serving-stacks:loadgen (with ml-serving-stacks:loadgenImage as `image`). @default - no load generator */
  readonly loadGenerator?: { readonly image?: string };
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
    // A plan with the load generator is a preview, as `pulumi preview` is: the job's placeholder
    // image is refused only by a real update.
    options.loadGenerator !== undefined,
  );
  const tree: { resource: pulumi.Resource; parent?: pulumi.Resource; opts: pulumi.ResourceOptions }[] = [];
  const topology = new ServingTopology(
    resolved.name,
    { resolved, project, projectNumber, createConnectionPolicies: options.createConnectionPolicies, loadGenerator: options.loadGenerator },
    {
      // SDK-side transformations run under mocks (engine-side `transforms` do not), after those of
      // the components below; this one only records each descendant with its parent and final
      // options, so the plan can wait for all and show the tree, the dependencies, the guards and the aliases.
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
  const links = await new Promise<{ urn: string; parent?: string; dependsOn: string[]; aliases: AliasLink[] }[]>((resolve) =>
    pulumi
      .all(tree.map((n) => pulumi.all([n.resource.urn, n.parent?.urn, dependencies(n.opts), aliasLinks(n.opts, n.parent)])))
      .apply((rows) => resolve(rows.map(([urn, parent, dependsOn, aliases]) => ({ urn, parent, dependsOn, aliases })))),
  );
  // Resources are told apart by type and name: an engine component may share its parent's name.
  // The mock monitor keeps only the direct parent's type in a URN (pkg/resource/urn.go qualifies a
  // type with every ancestor's), so the URNs are rebuilt here as a real stack has them.
  const keyOf = (mockUrn: string) => {
    const [, , qualified, name] = mockUrn.split('::');
    return `${qualified.slice(qualified.lastIndexOf('$') + 1)}::${name}`;
  };
  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
  const byKey = new Map(links.map((l, i) => [keyOf(l.urn), { ...l, opts: tree[i].opts }]));
  const qualifiedType = (key: string): string => {
    const link = byKey.get(key);
    if (!link) throw new Error(`the offline plan lost track of resource ${key}`);
    const type = key.slice(0, key.lastIndexOf('::'));
    return link.parent ? `${qualifiedType(keyOf(link.parent))}$${type}` : type;
  };
  const urnOf = (qualified: string, name: string) => `urn:pulumi:${resolved.environment}::${PULUMI_PROJECT}::${qualified}::${name}`;
  const urn = (key: string) => urnOf(qualifiedType(key), nameOf(key));
  // An alias names the URN a resource had; a child also inherits one from each alias of its parent (sdk/nodejs resource.ts allAliases).
  const aliasesOf = (key: string): string[] => {
    const link = byKey.get(key)!;
    const type = key.slice(0, key.lastIndexOf('::'));
    const own = link.aliases.map((a) => {
      const parent = a.parentUrn === undefined ? undefined : keyOf(a.parentUrn);
      return urnOf(parent ? `${qualifiedType(parent)}$${a.type ?? type}` : (a.type ?? type), a.name ?? nameOf(key));
    });
    if (!link.parent) return own;
    const parentKey = keyOf(link.parent);
    const inherited = aliasesOf(parentKey).map((parentAlias) => {
      const name = nameOf(key);
      const parentName = nameOf(parentKey);
      const aliasName = name.startsWith(parentName) ? nameOf(parentAlias) + name.slice(parentName.length) : name;
      return `${parentAlias.slice(0, parentAlias.lastIndexOf('::'))}$${type}::${aliasName}`;
    });
    return [...new Set([...own, ...inherited])];
  };
  return recorded.map((r) => {
    const key = `${r.type}::${r.name}`;
    const link = byKey.get(key);
    if (!link) throw new Error(`the offline plan lost track of resource ${key}`);
    return {
      type: r.type,
      name: r.name,
      urn: urn(key),
      ...(link.parent ? { parent: urn(keyOf(link.parent)) } : {}),
      custom: r.custom,
      inputs: r.inputs,
      dependsOn: [...new Set(link.dependsOn.map(nameOf))],
      protect: link.opts.protect === true,
      retainOnDelete: link.opts.retainOnDelete === true,
      aliases: aliasesOf(key),
    };
  });
}

/** An alias as the plan reads it: its name and type (the resource's own when unset) and the mock URN of its parent. */
interface AliasLink {
  readonly name?: string;
  readonly type?: string;
  readonly parentUrn?: string;
}

/** The aliases in `opts`, with their parents' URNs; the program writes only `{ name?, type?, parent? }` with plain values. */
function aliasLinks(opts: pulumi.ResourceOptions, ownParent: pulumi.Resource | undefined): pulumi.Output<AliasLink[]> {
  return pulumi.all(
    (opts.aliases ?? []).map((input) => {
      const alias = input as pulumi.Alias;
      if (typeof input !== 'object' || pulumi.Output.isInstance(input) || input instanceof Promise || (alias.parent !== undefined && !pulumi.Resource.isInstance(alias.parent))) {
        throw new Error(`the offline plan shows aliases written as { name?, type?, parent?: Resource }, not ${JSON.stringify(input)}`);
      }
      const parent = 'parent' in alias ? (alias.parent as pulumi.Resource | undefined) : ownParent;
      const plain = (value: unknown) => (typeof value === 'string' ? value : undefined);
      return pulumi.output(parent?.urn).apply((parentUrn) => ({ name: plain(alias.name), type: plain(alias.type), parentUrn }));
    }),
  );
}
