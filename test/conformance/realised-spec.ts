/**
 * What of the spec one cloud's facts lack, or have beyond it: every endpoint, variant, queue,
 * cache, vector store and pipeline must be found in the output, or comparing two clouds compares nothing.
 */
import type { Topology } from '../../constructs';
import type { ServingFacts } from './serving-facts';

export function unrealised(spec: Topology, facts: ServingFacts): string[] {
  const problems: string[] = [];
  const specEndpoints = new Set(spec.endpoints.map((e) => e.name));
  for (const name of Object.keys(facts.endpoints)) if (!specEndpoints.has(name)) problems.push(`endpoint ${name} is not in the spec`);
  for (const e of spec.endpoints) {
    const found = facts.endpoints[e.name];
    if (!found) {
      problems.push(`endpoint ${e.name} not found`);
      continue;
    }
    const variants = Object.keys(found.variants);
    if (!e.variants) {
      if (variants.length !== 1) problems.push(`endpoint ${e.name}: one implicit variant expected, found ${variants.join(', ') || 'none'}`);
      continue;
    }
    for (const v of e.variants) if (!variants.includes(v.name)) problems.push(`variant ${e.name}/${v.name} not found`);
    if (variants.length !== e.variants.length) problems.push(`endpoint ${e.name}: ${e.variants.length} variants in the spec, ${variants.length} found`);
  }
  // A cloud may add queues of its own (a cross-cloud difference); every queue of the spec must be there.
  for (const q of spec.queues) if (!facts.queues[q.name]) problems.push(`queue ${q.name} not found`);
  if (Boolean(spec.featureCache) !== Boolean(facts.featureCache)) problems.push(`feature cache: spec ${Boolean(spec.featureCache)}, found ${Boolean(facts.featureCache)}`);
  if (Boolean(spec.vectorStore) !== Boolean(facts.vectorStore)) problems.push(`vector store: spec ${Boolean(spec.vectorStore)}, found ${Boolean(facts.vectorStore)}`);
  const specPipelines = Object.keys(spec.pipelines).filter((name) => spec.pipelines[name as keyof typeof spec.pipelines] !== undefined);
  for (const name of specPipelines) if (!facts.pipelines[name]) problems.push(`pipeline ${name} not found`);
  for (const name of Object.keys(facts.pipelines)) if (!specPipelines.includes(name)) problems.push(`pipeline ${name} is not in the spec`);
  return problems;
}
