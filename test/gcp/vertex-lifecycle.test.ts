/**
 * Every model deployment of every fixture topology and preset, driven through its life against
 * the strict fake: create, change the machine type, add a variant, shift traffic, remove the
 * variant, change autoscaling, destroy; the fake must end empty. The inputs are the ones the
 * Pulumi program gives the provider (the offline plan), checked by the provider first.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTopologyError, loadTopologyFile, preset, resolveTopology, type ResolvedTopology } from '../../constructs';
import { PLAN_PROJECT, planGcp, VERTEX_MODEL_DEPLOYMENT_TYPE, type PlannedResource } from '../../gcp/plan';
import { diffDeployment, type DeploymentInputs, type DeploymentState, type VariantAction } from '../../gcp/vertex-deployment-engine';
import { vertexDeploymentProvider } from '../../gcp/model-endpoint/vertex-model-deployment';
import { FakeVertexApi } from './support/fake-vertex-api';
import { tokenAuth } from './support/vertex-test-harness';

const FIXTURES = join(__dirname, '..', 'fixtures');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** Every fixture that is a valid topology (invalid.yaml exists to fail validation), and the presets. */
const TOPOLOGIES: { id: string; resolved: () => ResolvedTopology }[] = [
  ...(['dev', 'staging', 'prod'] as const).map((env) => ({ id: `preset ${env}`, resolved: () => resolveTopology(preset(env)) })),
  ...yamlFiles(FIXTURES)
    .filter((file) => {
      try {
        loadTopologyFile(file);
        return true;
      } catch (e) {
        if (isTopologyError(e)) return false;
        throw e;
      }
    })
    .map((file) => ({ id: relative(FIXTURES, file), resolved: () => resolveTopology(loadTopologyFile(file)) })),
];

type Variant = DeploymentInputs['variants'][number];

interface Step {
  readonly name: string;
  readonly inputs: DeploymentInputs;
  readonly actions: Readonly<Record<string, VariantAction>>;
}

/** Weights with `amount` moved from the heaviest variant to a new one. */
function withShadow(variants: readonly Variant[], amount: number): Variant[] {
  const heaviest = variants.reduce((a, b) => (b.weight > a.weight ? b : a));
  const shadow: Variant = {
    ...heaviest,
    name: 'shadow',
    displayName: `${heaviest.displayName}-shadow`,
    weight: amount,
    model: { ...heaviest.model, env: { ...heaviest.model.env, SHADOW: 'true' } },
  };
  return [...variants.map((v) => (v === heaviest ? { ...v, weight: v.weight - amount } : v)), shadow];
}

/** The next size of the family: n2-standard-4 → n2-standard-8, a2-highgpu-1g → a2-highgpu-2g. */
function biggerMachine(machineType: string): string {
  const bigger = machineType.replace(/-(\d+)(g?)$/, (_m, n: string, g: string) => `-${Number(n) * 2}${g}`);
  if (bigger === machineType) throw new Error(`no bigger size of ${machineType}`);
  return bigger;
}

/** create → change machine type → add a variant → shift traffic → remove it → change autoscaling. */
function lifecycle(base: DeploymentInputs): Step[] {
  const [first, ...others] = base.variants;
  const keep = Object.fromEntries(base.variants.map((v) => [v.name, 'keep' as const]));
  const machine = { ...base, variants: [{ ...first, machineType: biggerMachine(first.machineType) }, ...others] };
  const added = { ...machine, variants: withShadow(machine.variants, 10) };
  const shifted = { ...added, variants: added.variants.map((v, i, all) => ({ ...v, weight: all[all.length - 1 - i].weight })) };
  const removed = { ...machine };
  const specs = base.autoscalingMetricSpecs.length > 0 ? base.autoscalingMetricSpecs : [{ metricName: 'aiplatform.googleapis.com/prediction/online/cpu/utilization', target: 60 }];
  const scaled = {
    ...removed,
    autoscalingMetricSpecs: specs.map((s) => ({ ...s, target: s.metricName.endsWith('/request_count') ? s.target + 100 : Math.min(s.target + 10, 100) })),
    variants: removed.variants.map((v) => ({ ...v, maxReplicaCount: v.maxReplicaCount + 1 })),
  };
  const shiftedActions = Object.fromEntries(shifted.variants.map((v, i) => [v.name, v.weight === added.variants[i].weight ? 'keep' : 'traffic'] as const));
  return [
    { name: 'change machine type', inputs: machine, actions: { ...keep, [first.name]: 'redeploy' } },
    { name: 'add a variant', inputs: added, actions: { ...keep, ...Object.fromEntries(added.variants.filter((v, i) => i < base.variants.length && v.weight !== machine.variants[i].weight).map((v) => [v.name, 'traffic'])), shadow: 'add' } },
    { name: 'shift traffic', inputs: shifted, actions: shiftedActions },
    { name: 'remove a variant', inputs: removed, actions: { ...Object.fromEntries(removed.variants.map((v, i) => [v.name, v.weight === shifted.variants[i].weight ? 'keep' : 'traffic'])), shadow: 'remove' } },
    { name: 'change autoscaling', inputs: scaled, actions: Object.fromEntries(scaled.variants.map((v) => [v.name, 'mutate'])) },
  ];
}

/** The endpoint holds exactly what the state says, with the weights as the split. */
function expectEndpointMatches(fake: FakeVertexApi, state: DeploymentState): void {
  const endpoint = fake.endpoints.get(state.endpointId)!;
  expect(endpoint.deployedModels.map((d) => d.id).sort()).toEqual(Object.values(state.deployed).map((d) => d.deployedModelId).sort());
  expect(endpoint.trafficSplit).toEqual(Object.fromEntries(state.variants.map((v) => [state.deployed[v.name].deployedModelId, v.weight])));
  expect([...fake.models.keys()].sort()).toEqual([...new Set(Object.values(state.deployed).map((d) => d.model))].sort());
  expect(state.pending).toEqual([]);
}

let fake: FakeVertexApi | undefined;
afterEach(async () => {
  expect(fake?.violations ?? []).toEqual([]);
  await fake?.stop();
  fake = undefined;
});

describe('the fixtures this suite covers', () => {
  it('are every valid topology under test/fixtures, and the three presets', () => {
    const files = yamlFiles(FIXTURES).map((f) => relative(FIXTURES, f));
    expect(files.filter((f) => !TOPOLOGIES.some((t) => t.id === f))).toEqual(['invalid.yaml']);
    expect(TOPOLOGIES.length).toBe(3 + files.length - 1);
  });
});

describe.each(TOPOLOGIES)('$id: every model deployment from create to destroy', ({ resolved }) => {
  let plan: PlannedResource[];
  let topology: ResolvedTopology;

  it('each deployment waits for its endpoint, so a destroy undeploys before the endpoint goes', async () => {
    topology = resolved();
    plan = await planGcp(topology);
    const deployments = plan.filter((r) => r.type === VERTEX_MODEL_DEPLOYMENT_TYPE);
    expect(deployments).toHaveLength(topology.endpoints.length);
    for (const d of deployments) {
      const endpoint = plan.find((r) => r.type === 'gcp:vertex/aiEndpoint:AiEndpoint' && r.parent === d.parent)!;
      expect(d.dependsOn).toContain(endpoint.name);
      expect(d.inputs.endpointId).toBe(endpoint.inputs.name);
    }
  });

  it('creates, changes machine type, adds a variant, shifts traffic, removes it, changes autoscaling, and destroys, leaving nothing', async () => {
    fake = new FakeVertexApi(PLAN_PROJECT, topology.regions.gcp);
    const baseUrl = await fake.start();
    const provider = vertexDeploymentProvider({ auth: tokenAuth(), sleep: async () => undefined, pollInitialMs: 1, retryInitialMs: 1 });
    for (const d of plan.filter((r) => r.type === VERTEX_MODEL_DEPLOYMENT_TYPE)) {
      const checked = await provider.check!({} as DeploymentInputs, { ...(d.inputs as unknown as DeploymentInputs), apiBaseUrl: baseUrl });
      expect(checked.failures ?? []).toEqual([]);
      const base = checked.inputs!;
      fake.addEndpoint(base.endpointId);

      let state = (await provider.create(base)).outs!;
      expectEndpointMatches(fake, state);
      for (const step of lifecycle(base)) {
        const news = (await provider.check!(state, step.inputs)).inputs!;
        expect({ step: step.name, actions: diffDeployment(state, news).actions }).toEqual({ step: step.name, actions: step.actions });
        state = (await provider.update!('id', state, news)).outs!;
        expectEndpointMatches(fake, state);
      }
      await provider.delete!('id', state);
    }
    expect(fake.leftovers()).toEqual([]);
  });
});
