/**
 * A refactoring of aws/ changes no deployed stack: every base topology synthesizes the template the
 * released commit did (`released-templates/<commit>/`), resource for resource — the same logical ids
 * with the same type, properties, dependencies and policies — and check-update finds nothing to do on
 * the upgrade but the intended changes, so nothing holding data is replaced. A deliberate change to a
 * template is listed in INTENDED_CHANGES with its reason, or the fixtures are recorded anew with the
 * change's commit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkUpdate, type CfnTemplate } from '../../aws/check-update';
import { RELEASED_COMMIT, releasedTemplate, synthesizedTemplate } from './released-templates/released-templates';
import { BASES, type Base } from './topology-bases';

/**
 * Properties changed on purpose since the released commit, by logical id (in every base that has the
 * resource), with why. Each is an update in place that holds no data; the rest must match exactly.
 */
const INTENDED_CHANGES: readonly { readonly logicalId: string; readonly property: string; readonly reason: string }[] = [
  {
    logicalId: 'VectorStoreIndexProviderframeworkonEventCA287A4C',
    property: 'Description',
    reason:
      'The CDK provider framework names its function after its construct path, which now passes through the OpenSearch engine (VectorStore/Default/Index/Provider); Lambda updates a description in place.',
  },
];

const bases = Object.keys(BASES) as Base[];
const templates = new Map<Base, { readonly released: CfnTemplate; readonly current: CfnTemplate }>();

beforeAll(() => {
  for (const base of bases) templates.set(base, { released: releasedTemplate(base), current: synthesizedTemplate(base) });
}, 120_000);

/** The template with the intended changes left out, so the rest must match exactly. */
function withoutIntendedChanges(template: CfnTemplate): CfnTemplate {
  const resources = structuredClone(template.Resources) as Record<string, { Properties?: Record<string, unknown> }>;
  for (const change of INTENDED_CHANGES) delete resources[change.logicalId]?.Properties?.[change.property];
  return { ...template, Resources: resources } as CfnTemplate;
}

describe(`templates of the released commit ${RELEASED_COMMIT}`, () => {
  it.each(bases)('%s: the same logical ids', (base) => {
    const { released, current } = templates.get(base)!;
    expect(Object.keys(current.Resources).sort()).toEqual(Object.keys(released.Resources).sort());
  });

  it.each(bases)('%s: the same resources, properties, outputs and parameters', (base) => {
    const { released, current } = templates.get(base)!;
    expect(withoutIntendedChanges(current)).toEqual(withoutIntendedChanges(released));
  });

  it.each(bases)('%s: check-update deploys the upgrade, updating in place only the intended changes', (base) => {
    const { released, current } = templates.get(base)!;
    const report = checkUpdate(released, current);
    const expected = INTENDED_CHANGES.filter((c) => c.logicalId in released.Resources).map((c) => ({ logicalId: c.logicalId, action: 'update', holdsData: false }));
    expect(report.changes.map((c) => ({ logicalId: c.logicalId, action: c.action, holdsData: c.holdsData }))).toEqual(expected);
    expect(report.deployable).toBe(true);
  });
});
