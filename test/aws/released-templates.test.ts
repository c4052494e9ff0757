/**
 * A refactoring of aws/ changes no deployed stack: every base topology synthesizes the template the
 * released commit did (`released-templates/<commit>/`), resource for resource — the same logical ids
 * with the same type, properties, dependencies and policies — and check-update finds nothing to do on
 * the upgrade, so nothing holding data is replaced. A deliberate change to a template is listed in
 * INTENDED_CHANGES with its reason, or the fixtures are recorded anew with the change's commit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkUpdate, type CfnTemplate } from '../../aws/check-update';
import { RELEASED_COMMIT, releasedTemplate, synthesizedTemplate } from './released-templates/released-templates';
import { BASES, type Base } from './topology-bases';

/** Changes made on purpose since the released commit, by base and logical id, with why; none so far. */
const INTENDED_CHANGES: Partial<Record<Base, Record<string, string>>> = {};

const bases = Object.keys(BASES) as Base[];
const templates = new Map<Base, { readonly released: CfnTemplate; readonly current: CfnTemplate }>();

beforeAll(() => {
  for (const base of bases) templates.set(base, { released: releasedTemplate(base), current: synthesizedTemplate(base) });
}, 120_000);

/** The template with the intended changes of `base` left out, so the rest must match exactly. */
function withoutIntendedChanges(template: CfnTemplate, base: Base): CfnTemplate {
  const intended = INTENDED_CHANGES[base] ?? {};
  return { ...template, Resources: Object.fromEntries(Object.entries(template.Resources).filter(([id]) => !(id in intended))) };
}

describe(`templates of the released commit ${RELEASED_COMMIT}`, () => {
  it.each(bases)('%s: the same logical ids', (base) => {
    const { released, current } = templates.get(base)!;
    expect(Object.keys(withoutIntendedChanges(current, base).Resources).sort()).toEqual(Object.keys(withoutIntendedChanges(released, base).Resources).sort());
  });

  it.each(bases)('%s: the same resources, properties, outputs and parameters', (base) => {
    const { released, current } = templates.get(base)!;
    expect(withoutIntendedChanges(current, base)).toEqual(withoutIntendedChanges(released, base));
  });

  it.each(bases)('%s: check-update deploys the upgrade and replaces nothing', (base) => {
    const { released, current } = templates.get(base)!;
    const report = checkUpdate(released, current);
    const unintended = report.changes.filter((c) => !(c.logicalId in (INTENDED_CHANGES[base] ?? {})));
    expect(unintended).toEqual([]);
    expect(report.deployable).toBe(true);
    expect(report.changes.filter((c) => c.action === 'replace' || c.action === 'remove')).toEqual([]);
  });
});
