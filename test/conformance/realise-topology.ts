/** One topology through both back-ends, offline: the CloudFormation template, the mocked Pulumi plan and their facts. */
import { resolveTopology, type ResolvedTopology, type Topology } from '../../constructs';
import { synthesizeServingTemplates } from '../../aws/synthesize';
import { planGcp, type PlannedResource } from '../../gcp/plan';
import { awsFacts, singleTemplate, type CloudFormationTemplate } from './aws-facts';
import { gcpFacts } from './gcp-facts';
import type { FactScope } from './json-values';
import type { ServingFacts } from './serving-facts';

export interface Realisation {
  readonly spec: Topology;
  /** Input to both back-ends and source of the parity notes; never of facts. */
  readonly resolved: ResolvedTopology;
  readonly scope: FactScope;
  readonly template: CloudFormationTemplate;
  readonly plan: readonly PlannedResource[];
  readonly aws: ServingFacts;
  readonly gcp: ServingFacts;
}

export async function realise(spec: Topology): Promise<Realisation> {
  const resolved = resolveTopology(spec);
  const scope = { name: spec.name, environment: spec.environment };
  const template = singleTemplate(synthesizeServingTemplates(resolved));
  const plan = await planGcp(resolved);
  return { spec, resolved, scope, template, plan, aws: awsFacts(template, scope), gcp: gcpFacts(plan, scope) };
}
