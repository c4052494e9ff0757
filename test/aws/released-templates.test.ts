/**
 * A refactoring of aws/ changes no deployed stack: every base topology, synthesized with the released
 * feature flags, gives the template the released commit did (`released-templates/<commit>/`), resource
 * for resource — the same logical ids with the same type, properties, dependencies and policies — and
 * the upgrade to today's templates (with cdk.json's recommended flags too) updates in place only, so
 * nothing holding data is replaced. A deliberate change to a
 * template is listed in INTENDED_CHANGES with its reason, or the fixtures are recorded anew with the
 * change's commit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkUpdate, type CfnTemplate } from '../../aws/check-update';
import { RELEASED_COMMIT, RELEASED_FEATURE_FLAGS, releasedTemplate, synthesizedTemplate } from './released-templates/released-templates';
import { BASES, type Base } from './topology-bases';
import { PRESET_ENVIRONMENTS } from '../../constructs';

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
const templates = new Map<Base, { readonly released: CfnTemplate; readonly refactored: CfnTemplate; readonly current: CfnTemplate }>();

beforeAll(() => {
  for (const base of bases) {
    templates.set(base, { released: releasedTemplate(base), refactored: synthesizedTemplate(base, RELEASED_FEATURE_FLAGS), current: synthesizedTemplate(base) });
  }
}, 180_000);

/** The template with the intended changes left out, so the rest must match exactly. */
function withoutIntendedChanges(template: CfnTemplate): CfnTemplate {
  const resources = structuredClone(template.Resources) as Record<string, { Properties?: Record<string, unknown> }>;
  for (const change of INTENDED_CHANGES) delete resources[change.logicalId]?.Properties?.[change.property];
  return { ...template, Resources: resources } as CfnTemplate;
}

describe(`templates of the released commit ${RELEASED_COMMIT}`, () => {
  it.each(bases)('%s: the same logical ids', (base) => {
    const { released, refactored, current } = templates.get(base)!;
    expect(Object.keys(refactored.Resources).sort()).toEqual(Object.keys(released.Resources).sort());
    expect(Object.keys(current.Resources).sort()).toEqual(Object.keys(released.Resources).sort());
  });

  it.each(bases)('%s: with the released flags, the same resources, properties, outputs and parameters', (base) => {
    const { released, refactored } = templates.get(base)!;
    expect(withoutIntendedChanges(refactored)).toEqual(withoutIntendedChanges(released));
  });

  it.each(bases)('%s: check-update deploys the refactoring, updating in place only the intended changes', (base) => {
    const { released, refactored } = templates.get(base)!;
    const report = checkUpdate(released, refactored);
    const expected = INTENDED_CHANGES.filter((c) => c.logicalId in released.Resources).map((c) => ({ logicalId: c.logicalId, action: 'update', holdsData: false }));
    expect(report.changes.map((c) => ({ logicalId: c.logicalId, action: c.action, holdsData: c.holdsData }))).toEqual(expected);
    expect(report.deployable).toBe(true);
  });

  it.each(bases)("%s: check-update deploys the upgrade to today's flags, updating in place only", (base) => {
    const { released, current } = templates.get(base)!;
    const report = checkUpdate(released, current);
    expect(report.changes.filter((c) => c.action !== 'update')).toEqual([]);
    expect(report.deployable).toBe(true);
  });
});

/**
 * The presets gained the embedding-refresh pipeline since the release: the upgrade adds the worker
 * and its parts, and replaces the embedding-refresh queue and its dead-letter queue with FIFO queues
 * (SQS cannot turn a queue into a FIFO one). In production the old ones are retained with their
 * messages and check-update names the drain; nothing else changes but in place.
 */
describe('upgrading a released preset stack to the pipeline', () => {
  it.each(PRESET_ENVIRONMENTS)('%s: adds the pipeline, replaces only the source queues, updates the rest in place', (base) => {
    const report = checkUpdate(releasedTemplate(base), synthesizedTemplate(base, undefined, 'current'));
    const replaced = report.changes.filter((c) => c.action === 'replace');
    expect(replaced.map((c) => [c.type, c.logicalId.replace(/[0-9A-F]{8}$/, '')]).sort()).toEqual([
      ['AWS::SQS::Queue', 'EmbeddingRefreshQueue'],
      ['AWS::SQS::Queue', 'EmbeddingRefreshQueueDeadLetterQueue'],
    ].sort());
    for (const r of replaced) {
      expect(r.reason).toContain('FifoQueue');
      // Production retains the old queues with their messages for the drain; elsewhere they go with them.
      if (base === 'prod') {
        expect(r.remedy).toContain('serving-stacks pipeline drain');
        expect(releasedTemplate(base).Resources[r.logicalId].UpdateReplacePolicy).toBe('Retain');
      } else {
        expect(r.remedy).toContain('the old one is deleted');
      }
    }
    expect(report.changes.filter((c) => c.action === 'remove' || c.action === 'rejected')).toEqual([]);
    const added = report.changes.filter((c) => c.action === 'add').map((c) => c.type);
    expect(added).toEqual(expect.arrayContaining(['AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping']));
    expect(report.deployable).toBe(false);
  });
});
