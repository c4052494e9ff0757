/**
 * `compareFacts`: where two clouds realise one topology differently. Each difference names the
 * spec path it concerns in the form `resolveTopology`'s parity notes use (`endpoints[2].compute`,
 * `featureCache.replicas`, `queues[0].maxDeliveryAttempts`), so a note can account for it.
 *
 * Facts that exist in one realisation only are not compared on their own: replica bounds and
 * scaling targets of an endpoint one cloud serves serverless, replicas of a cache one cloud runs
 * serverless. The `mode` or `deployment` difference stands for them, and needs its note.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Topology } from '../../constructs';
import type { Component, EncryptedResource, ReachableResource, ServingFacts } from './serving-facts';

export interface Difference {
  /** Spec path the difference concerns. */
  readonly path: string;
  /** What differs, in words. */
  readonly fact: string;
  readonly aws: unknown;
  readonly gcp: unknown;
}

export function compareFacts(spec: Topology, aws: ServingFacts, gcp: ServingFacts): Difference[] {
  const out: Difference[] = [];
  const differ = (path: string, fact: string, a: unknown, g: unknown) => {
    if (!isDeepStrictEqual(a, g)) out.push({ path, fact, aws: a, gcp: g });
  };
  const paths = new SpecPaths(spec);

  for (const name of union(aws.endpoints, gcp.endpoints)) {
    const a = aws.endpoints[name];
    const g = gcp.endpoints[name];
    if (!a || !g) {
      out.push({ path: 'endpoints', fact: `endpoint "${name}"`, aws: presence(a), gcp: presence(g) });
      continue;
    }
    const ep = paths.endpoint(name);
    differ(`${ep}.mode`, `${name}: mode`, a.mode, g.mode);
    const dedicatedOnBoth = a.mode !== 'serverless' && g.mode !== 'serverless';
    for (const variant of union(a.variants, g.variants)) {
      const av = a.variants[variant];
      const gv = g.variants[variant];
      if (!av || !gv) {
        out.push({ path: `${ep}.variants`, fact: `${name}: variant "${variant}"`, aws: presence(av), gcp: presence(gv) });
        continue;
      }
      const vp = paths.variant(name, variant);
      const label = `${name}/${variant}`;
      differ(vp.weight, `${label}: traffic weight (%)`, av.weight, gv.weight);
      differ(`${vp.compute}.accelerator`, `${label}: accelerator`, av.accelerator, gv.accelerator);
      if (dedicatedOnBoth) {
        differ(`${ep}.scaling.min`, `${label}: min replicas`, av.replicas?.min, gv.replicas?.min);
        differ(`${ep}.scaling.min`, `${label}: initial replicas`, av.replicas?.initial, gv.replicas?.initial);
        differ(`${ep}.scaling.max`, `${label}: max replicas`, av.replicas?.max, gv.replicas?.max);
        differ(`${ep}.scaling.target`, `${label}: scaling targets per replica`, av.scalingTargets, gv.scalingTargets);
      }
    }
  }

  for (const name of union(aws.queues, gcp.queues)) {
    const a = aws.queues[name];
    const g = gcp.queues[name];
    if (!a || !g) {
      out.push({ path: 'queues', fact: `queue "${name}"`, aws: presence(a), gcp: presence(g) });
      continue;
    }
    const qp = paths.queue(name);
    differ(`${qp}.maxDeliveryAttempts`, `${name}: deliveries before dead-lettering`, a.maxDeliveryAttempts, g.maxDeliveryAttempts);
    differ(`${qp}.maxDeliveryAttempts`, `${name}: dead-letter destination`, a.deadLetter, g.deadLetter);
    differ(`${qp}.ackTimeoutSeconds`, `${name}: ack timeout (s)`, a.ackTimeoutSeconds, g.ackTimeoutSeconds);
    differ(`${qp}.retentionHours`, `${name}: retention (h)`, a.retentionHours, g.retentionHours);
  }

  if (!aws.featureCache || !gcp.featureCache) {
    differ('featureCache', 'feature cache', presence(aws.featureCache), presence(gcp.featureCache));
  } else {
    const [a, g] = [aws.featureCache, gcp.featureCache];
    differ('featureCache.engine', 'cache engine', a.engine, g.engine);
    differ('featureCache.deployment', 'cache deployment', a.deployment, g.deployment);
    if (a.deployment === 'nodes' && g.deployment === 'nodes') differ('featureCache.replicas', 'cache replicas per shard', a.replicas, g.replicas);
    differ('featureCache.multiZone', 'cache spans zones', a.multiZone, g.multiZone);
  }

  if (!aws.vectorStore || !gcp.vectorStore) {
    differ('vectorStore', 'vector store', presence(aws.vectorStore), presence(gcp.vectorStore));
  } else {
    const [a, g] = [aws.vectorStore, gcp.vectorStore];
    differ('vectorStore.engine', 'vector engine', a.engine, g.engine);
    differ('vectorStore.dimensions', 'vector dimensions', a.dimensions, g.dimensions);
    differ('vectorStore.metric', 'vector distance metric', a.metric, g.metric);
  }

  for (const name of union(aws.pipelines, gcp.pipelines)) {
    const a = aws.pipelines[name];
    const g = gcp.pipelines[name];
    const pp = `pipelines.${name}`;
    if (!a || !g) {
      out.push({ path: pp, fact: `pipeline "${name}"`, aws: presence(a), gcp: presence(g) });
      continue;
    }
    const queue = paths.queue(paths.sourceQueue(name) ?? '');
    differ(`${pp}.sourceQueue`, `${name}: what invokes the worker`, a.triggers, g.triggers);
    differ(`${pp}.sourceQueue`, `${name}: one message per key at a time, in order`, a.ordered, g.ordered);
    differ(`${pp}.batchSize`, `${name}: messages per invocation`, a.batchSize, g.batchSize);
    differ(`${pp}.batchSize`, `${name}: messages per worker instance at once`, a.messagesPerInstance, g.messagesPerInstance);
    differ(`${pp}.concurrency`, `${name}: worker instances at most`, a.maxInstances, g.maxInstances);
    differ(`${pp}.timeoutSeconds`, `${name}: timeout (s)`, a.timeoutSeconds, g.timeoutSeconds);
    differ(`${pp}.memoryMiB`, `${name}: memory (MiB)`, a.memoryMiB, g.memoryMiB);
    differ(`${queue}.maxDeliveryAttempts`, `${name}: deliveries to the worker before dead-lettering`, a.maxDeliveryAttempts, g.maxDeliveryAttempts);
    differ(pp, `${name}: what the worker's identity may reach`, a.grants, g.grants);
    differ(`${pp}.maxLatencySeconds`, `${name}: alarm on the age of the oldest message (s)`, a.alarms.oldestMessageAgeSeconds, g.alarms.oldestMessageAgeSeconds);
    differ(`${queue}.maxDeliveryAttempts`, `${name}: alarm on dead letters (count)`, a.alarms.deadLetters, g.alarms.deadLetters);
  }

  differ('network.existing', 'network created by the stack', aws.network.createdByStack, gcp.network.createdByStack);

  const encryption = (resources: readonly EncryptedResource[]) => {
    const gaps = resources.filter((r) => !r.customerManaged && !r.exemption);
    return gaps.length === 0 ? 'customer-managed keys' : gaps.map((r) => `${r.resource}: ${r.detail}`);
  };
  for (const component of sharedComponents(aws.dataAtRest, gcp.dataAtRest)) {
    const [a, g] = [ofComponent(aws.dataAtRest, component), ofComponent(gcp.dataAtRest, component)];
    differ('encryption', `${paths.component(component)}: encryption at rest`, encryption(a), encryption(g));
  }
  const privacy = (resources: readonly ReachableResource[]) => {
    const open = resources.filter((r) => !r.private);
    return open.length === 0 ? 'private' : open.map((r) => `${r.resource}: ${r.detail}`);
  };
  for (const component of sharedComponents(aws.reachability, gcp.reachability)) {
    const [a, g] = [ofComponent(aws.reachability, component), ofComponent(gcp.reachability, component)];
    differ('network.private', `${paths.component(component)}: reachability`, privacy(a), privacy(g));
  }
  return out;
}

function union(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function presence(value: unknown): 'present' | 'absent' {
  return value === undefined ? 'absent' : 'present';
}

function sharedComponents(a: readonly { component: Component }[], b: readonly { component: Component }[]): Component[] {
  const inB = new Set(b.map((r) => r.component));
  return [...new Set(a.map((r) => r.component))].filter((c) => inB.has(c)).sort();
}

function ofComponent<T extends { component: Component }>(resources: readonly T[], component: Component): T[] {
  return resources.filter((r) => r.component === component);
}

/** Spec paths by name, as `resolveTopology` writes them in parity notes. */
class SpecPaths {
  constructor(private readonly spec: Topology) {}

  endpoint(name: string): string {
    const i = this.spec.endpoints.findIndex((e) => e.name === name);
    return i < 0 ? 'endpoints' : `endpoints[${i}]`;
  }

  /** An endpoint without explicit variants has one implicit variant whose settings are the endpoint's. */
  variant(endpoint: string, variant: string): { weight: string; compute: string } {
    const ep = this.endpoint(endpoint);
    const variants = this.spec.endpoints.find((e) => e.name === endpoint)?.variants;
    if (!variants) return { weight: `${ep}.variants`, compute: `${ep}.compute` };
    const j = variants.findIndex((v) => v.name === variant);
    return j < 0 ? { weight: `${ep}.variants`, compute: `${ep}.variants` } : { weight: `${ep}.variants[${j}].weight`, compute: `${ep}.variants[${j}].compute` };
  }

  queue(name: string): string {
    const i = this.spec.queues.findIndex((q) => q.name === name);
    return i < 0 ? 'queues' : `queues[${i}]`;
  }

  /** The queue a pipeline reads, by the pipeline's name in `pipelines`. */
  sourceQueue(pipeline: string): string | undefined {
    return pipeline === 'embeddingRefresh' ? this.spec.pipelines.embeddingRefresh?.sourceQueue : undefined;
  }

  /** A component for messages: its spec path and name. */
  component(component: Component): string {
    const [kind, name] = component.split(':');
    if (kind === 'endpoint') return `${this.endpoint(name)} (${name})`;
    if (kind === 'queue') return `${this.queue(name)} (${name})`;
    if (kind === 'pipeline') return `pipelines.${name}`;
    return component;
  }
}
