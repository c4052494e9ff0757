/**
 * `checkUpdate`: will a stack update deploy, and what does it replace? Each resource change of the
 * move from one template to another, as CloudFormation plans it (`plannedChanges`), judged by the
 * rules CloudFormation's diff does not know (`UPDATE_RULES`): an update in place, a replacement, an
 * addition, a removal, or a change the service rejects, with the reason and the remedy.
 */
import type { ResolvedTopology } from '../../constructs';
import { servingStackId } from '../serving-stack';
import { synthesizeServingTemplates } from '../synthesize';
import { isCfnTemplate, type CfnTemplate } from './cfn-template';
import { holdsData } from './holds-data';
import { plannedChanges, type PlannedAction, type PlannedChange } from './planned-changes';
import { UPDATE_RULES, type Rejection } from './rules';

export type UpdateAction = PlannedAction | 'rejected';

export interface ResourceUpdate {
  readonly logicalId: string;
  readonly type: string;
  readonly action: UpdateAction;
  /** Replacing or deleting it loses data or the means to read it. */
  readonly holdsData: boolean;
  readonly reason: string;
  /** What to do instead: for rejected changes and for replacements of resources that hold data; else null. */
  readonly remedy: string | null;
}

export interface UpdateReport {
  readonly changes: readonly ResourceUpdate[];
  /** No change is rejected and no resource holding data is replaced. */
  readonly deployable: boolean;
}

/** The update from `before` to `after`, two templates of one stack. */
export function checkUpdate(before: CfnTemplate, after: CfnTemplate): UpdateReport {
  const planned = plannedChanges(before, after);
  const byId = new Map(planned.map((c) => [c.logicalId, c]));
  const rejections = new Map<string, Rejection[]>();
  for (const rule of UPDATE_RULES) {
    for (const rejection of rule.check({ before, after, changes: byId })) {
      rejections.set(rejection.logicalId, [...(rejections.get(rejection.logicalId) ?? []), rejection]);
    }
  }
  const changes = planned.map((change): ResourceUpdate => {
    const data = holdsData(change.type);
    const rejected = rejections.get(change.logicalId);
    if (rejected) {
      return {
        logicalId: change.logicalId,
        type: change.type,
        action: 'rejected',
        holdsData: data,
        reason: rejected.map((r) => r.reason).join('; '),
        remedy: rejected.map((r) => r.remedy).join('; '),
      };
    }
    return { logicalId: change.logicalId, type: change.type, action: change.action, holdsData: data, reason: describe(change), remedy: data ? dataRemedy(change) : null };
  });
  return { changes, deployable: changes.every((c) => c.action !== 'rejected' && !(c.holdsData && c.action === 'replace')) };
}

/** The two topologies are not versions of one stack. */
export class StackMismatchError extends Error {
  override readonly name = 'StackMismatchError';
}

/**
 * The update from one resolved topology to another, each synthesized as `cdk synth` would (policy
 * packs included). Both must be the same stack: same name and environment.
 */
export function checkTopologyUpdate(from: ResolvedTopology, to: ResolvedTopology): UpdateReport {
  const stack = servingStackId(to);
  if (servingStackId(from) !== stack) {
    throw new StackMismatchError(`not one stack: the topologies synthesize ${servingStackId(from)} and ${stack}; check-update compares two versions of one stack (same name and environment)`);
  }
  return checkUpdate(templateOf(from, stack), templateOf(to, stack));
}

function templateOf(topology: ResolvedTopology, stack: string): CfnTemplate {
  // Lambda code changes deploy in place: the bundles themselves do not matter here.
  const template = synthesizeServingTemplates(topology, { bundleAssets: false })[stack];
  if (!isCfnTemplate(template)) throw new Error(`${stack}: the synthesized template has no Resources`);
  return template;
}

function describe(change: PlannedChange): string {
  const following = change.replacedReferences.length > 0 ? ` (following ${change.replacedReferences.join(', ')}, which ${change.replacedReferences.length === 1 ? 'is' : 'are'} replaced)` : '';
  switch (change.action) {
    case 'add':
      return 'new in the template: created';
    case 'remove':
      return `no longer in the template: ${change.before?.DeletionPolicy === 'Retain' ? 'left in the account, outside the stack (DeletionPolicy Retain)' : 'deleted after the update'}`;
    case 'replace':
      return `${change.replacingProperties.join(', ')} ${change.replacingProperties.length === 1 ? 'changes' : 'change'}${following}, which ${change.certainReplacement ? 'replaces it' : 'may replace it (the resource specification cannot tell; counted as a replacement)'}: the new one is created, then the old one deleted`;
    case 'update':
      return `${change.changedProperties.join(', ')} ${change.changedProperties.length === 1 ? 'changes' : 'change'} in place${following}`;
  }
}

function dataRemedy(change: PlannedChange): string | null {
  if (change.action === 'replace' && change.type === 'AWS::SQS::Queue' && change.replacingProperties.includes('FifoQueue') && change.before?.UpdateReplacePolicy === 'Retain') {
    // A queue becoming the pipeline's FIFO source (README, "Upgrading a stack to the pipeline").
    return 'the new queue starts empty and the old one is kept outside the stack with its messages (UpdateReplacePolicy Retain): after the deploy, move them with `serving-stacks pipeline drain --from OLD_URL --to NEW_URL`, then delete the old queue';
  }
  if (change.action === 'replace') {
    return `the replacement starts empty: move or rebuild the data (${change.before?.UpdateReplacePolicy === 'Retain' ? 'the old one is kept outside the stack, UpdateReplacePolicy Retain' : 'the old one is deleted'}), or change it in place instead`;
  }
  if (change.action === 'remove' && change.before?.DeletionPolicy !== 'Retain') return 'its data is deleted with it: copy what you need first, or retain it (DeletionPolicy Retain)';
  return null;
}
