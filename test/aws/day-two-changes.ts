/**
 * The day-two changes the lifecycle suite runs through `check-update`, as data: each row is a change
 * a user makes to a topology on a deployed stack. A row changes a copy of the topology as the user
 * would write it and says whether it applies to that topology at all (an A/B promotion needs two
 * variants). Expected outcomes live with the suite, per row and base topology.
 */
import { isProduction, parseTopology, resolveTopology, shapeForRequest, shapesLike, type TopologyInput } from '../../constructs';

type EndpointInput = TopologyInput['endpoints'][number];

export interface DayTwoChange {
  readonly id: string;
  readonly description: string;
  /** Changes `topology` in place; false when the change does not apply to it. */
  readonly apply: (topology: TopologyInput) => boolean;
}

const instanceBacked = (e: EndpointInput) => e.mode !== 'serverless';

/** The catalog shape an endpoint asks for. */
function shapeOf(e: EndpointInput) {
  const compute = e.compute ?? {};
  return shapeForRequest({ cpus: compute.cpus, memoryGiB: compute.memoryGiB, accelerator: { type: compute.accelerator?.type ?? 'none', count: compute.accelerator?.count ?? 1 } });
}

/** The next bigger shape of the same accelerator, or the next smaller when it is the biggest; undefined when the family has one shape. */
function resizedShape(e: EndpointInput) {
  const shape = shapeOf(e);
  if (!shape) return undefined;
  const family = shapesLike(shape.accelerator.type).filter((s) => s.accelerator.count === shape.accelerator.count);
  const at = family.findIndex((s) => s.id === shape.id);
  return family[at + 1] ?? family[at - 1];
}

/** The same model under another image tag: what a new candidate ships. */
function candidateModel(model: EndpointInput['model']): EndpointInput['model'] {
  const retag = (image: string) => image.replace(/:[^:/]+$/, ':candidate');
  return { ...model, image: { aws: retag(model.image.aws), gcp: retag(model.image.gcp) } };
}

/** The resolved scaling bounds of an endpoint (defaults applied). */
function resolvedScaling(topology: TopologyInput, name: string) {
  return resolveTopology(parseTopology(structuredClone(topology))).endpoints.find((e) => e.name === name)!.scaling;
}

export const DAY_TWO_CHANGES: readonly DayTwoChange[] = [
  {
    id: 'instance-type',
    description: 'right-size an autoscaled endpoint to the next shape of its family',
    apply(t) {
      const e = t.endpoints.find((x) => instanceBacked(x) && resizedShape(x));
      const next = e && resizedShape(e);
      if (!e || !next) return false;
      e.compute = { ...e.compute, cpus: next.vcpus, memoryGiB: next.memoryGiB };
      return true;
    },
  },
  {
    id: 'add-variant',
    description: 'add an A/B candidate (10 % of traffic) to an instance-backed endpoint',
    apply(t) {
      const e = t.endpoints.find((x) => instanceBacked(x) && !x.variants) ?? t.endpoints.find(instanceBacked);
      if (!e) return false;
      const variants = e.variants ?? [{ name: 'primary', weight: 100 }];
      variants[0].weight -= 10;
      e.variants = [...variants, { name: 'candidate-b', weight: 10, model: candidateModel(e.model) }];
      return true;
    },
  },
  {
    id: 'remove-variant',
    description: 'promote: remove the last variant of an A/B endpoint, its traffic to the first',
    apply(t) {
      const e = t.endpoints.find((x) => (x.variants?.length ?? 0) >= 2);
      if (!e?.variants) return false;
      const removed = e.variants.pop()!;
      e.variants[0].weight += removed.weight;
      return true;
    },
  },
  {
    id: 'rename-variant',
    description: 'rename a variant (the implicit primary when the endpoint declares none)',
    apply(t) {
      const e = t.endpoints.find((x) => x.variants) ?? t.endpoints.find(instanceBacked);
      if (!e) return false;
      e.variants = e.variants ? [{ ...e.variants[0], name: 'renamed' }, ...e.variants.slice(1)] : [{ name: 'renamed', weight: 100 }];
      return true;
    },
  },
  {
    id: 'weights',
    description: 'shift 10 % of traffic between the variants of an A/B endpoint',
    apply(t) {
      const e = t.endpoints.find((x) => (x.variants?.length ?? 0) >= 2 && x.variants![0].weight >= 10);
      if (!e?.variants) return false;
      e.variants[0].weight -= 10;
      e.variants[1].weight += 10;
      return true;
    },
  },
  {
    id: 'tags',
    description: 'add a tag to every resource',
    apply(t) {
      t.tags = { ...t.tags, owner: 'ml-platform' };
      return true;
    },
  },
  {
    id: 'cache-zones',
    description: 'spread the feature cache over another zone (an existing VPC) or change its multi-zone setting (non-production)',
    apply(t) {
      if (!t.featureCache) return false;
      const existing = t.network?.existing?.aws;
      if (existing) {
        const zone = `${t.regions.aws}c`;
        existing.availabilityZones = [...existing.availabilityZones, zone];
        existing.privateSubnetIds = [...existing.privateSubnetIds, 'subnet-0c0c0c0c0c0c0c0c0'];
        return true;
      }
      if (isProduction(t as Parameters<typeof isProduction>[0])) return false;
      const multiZone = !(t.featureCache.multiZone ?? false);
      t.featureCache = { ...t.featureCache, multiZone, replicas: multiZone ? Math.max(1, t.featureCache.replicas ?? 1) : t.featureCache.replicas };
      return true;
    },
  },
  {
    id: 'vector-dimensions',
    description: 'change the embedding dimensions of the vector store',
    apply(t) {
      if (!t.vectorStore) return false;
      t.vectorStore = { ...t.vectorStore, dimensions: t.vectorStore.dimensions === 1024 ? 768 : 1024 };
      return true;
    },
  },
  {
    id: 'hnsw',
    description: 'change the HNSW graph: m 32, efConstruction 256',
    apply(t) {
      if (!t.vectorStore) return false;
      t.vectorStore = { ...t.vectorStore, index: { ...t.vectorStore.index, m: 32, efConstruction: 256 } };
      return true;
    },
  },
  {
    id: 'async-realtime',
    description: 'switch an async endpoint to real time, or a real-time endpoint to async (with its queue)',
    apply(t) {
      const asynchronous = t.endpoints.find((x) => x.mode === 'async');
      if (asynchronous) {
        asynchronous.mode = 'realtime';
        return true;
      }
      const e = t.endpoints.find((x) => instanceBacked(x));
      if (!e) return false;
      e.mode = 'async';
      e.scaling = { ...e.scaling, target: { metric: 'concurrency', value: 4 } };
      if (!t.queues?.some((q) => q.purpose === 'async-inference')) t.queues = [...(t.queues ?? []), { name: 'async-jobs', purpose: 'async-inference' }];
      return true;
    },
  },
  {
    id: 'scaling-bounds',
    description: 'raise an endpoint\'s scaling bounds: min + 1, max + 4',
    apply(t) {
      const e = t.endpoints.find(instanceBacked);
      if (!e) return false;
      const { min, max } = resolvedScaling(t, e.name);
      e.scaling = { ...e.scaling, min: min + 1, max: max + 4 };
      return true;
    },
  },
  {
    id: 'scale-to-zero',
    description: 'let a one-model realtime endpoint scale to zero (scaling.min 1 → 0, idle 15 minutes), outside production',
    apply(t) {
      if (isProduction(t as Parameters<typeof isProduction>[0])) return false;
      const e = t.endpoints.find((x) => (x.mode ?? 'realtime') === 'realtime' && (x.variants?.length ?? 1) === 1 && ['invocations', 'concurrency', undefined].includes(x.scaling?.target?.metric));
      if (!e) return false;
      e.scaling = { ...e.scaling, min: 0, idleSeconds: 900 };
      return true;
    },
  },
  {
    id: 'production-flip',
    description: 'turn production guardrails on (with what production requires) or off',
    apply(t) {
      if (isProduction(t as Parameters<typeof isProduction>[0])) {
        t.production = false;
        return true;
      }
      const bounds = Object.fromEntries(t.endpoints.map((e) => [e.name, resolvedScaling(t, e.name)]));
      t.production = true;
      for (const e of t.endpoints) {
        const { min, max } = bounds[e.name];
        e.scaling = { ...e.scaling, min: Math.max(2, min), max: Math.max(2, max) };
        if (e.rollout?.strategy === 'all-at-once' || e.rollout?.strategy === 'blue-green') e.rollout = { ...e.rollout, strategy: 'canary' };
        if (e.rollout) e.rollout = { ...e.rollout, autoRollback: true };
      }
      if (t.featureCache) t.featureCache = { ...t.featureCache, multiZone: true, replicas: Math.max(1, t.featureCache.replicas ?? 1) };
      return true;
    },
  },
];
