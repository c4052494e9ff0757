/**
 * What CloudFormation does to each resource when a stack moves from one template to another: the
 * property diff of `@aws-cdk/cloudformation-diff` (the library behind `cdk diff`, replacement taken
 * from the resource specification), plus what that diff leaves out without a change set: a resource
 * whose property refers (`Ref`, `Fn::GetAtt`) to a replaced resource sees that property change too,
 * and is replaced in turn when the property is one that replaces it.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { referencedIds, type CfnResource, type CfnTemplate } from './cfn-template';
import { replacementOnChange } from './resource-spec';

export type PlannedAction = 'add' | 'update' | 'replace' | 'remove';

export interface PlannedChange {
  readonly logicalId: string;
  readonly type: string;
  readonly action: PlannedAction;
  /** Properties that change (including those that change because a referenced resource is replaced). */
  readonly changedProperties: readonly string[];
  /** Of those, the ones that replace the resource (`maybe` included: the specification cannot tell). */
  readonly replacingProperties: readonly string[];
  /** False when every replacing property only may replace it (`maybe` in the specification). */
  readonly certainReplacement: boolean;
  /** Replaced resources whose new identity changes this resource's properties. */
  readonly replacedReferences: readonly string[];
  readonly before?: CfnResource;
  readonly after?: CfnResource;
}

interface Working {
  type: string;
  action: PlannedAction | undefined;
  changed: Set<string>;
  replacing: Set<string>;
  /** Replacing properties that certainly replace (`yes`). */
  certain: Set<string>;
  references: Set<string>;
}

/**
 * The diff library reads the resource specification, which has no custom resources: for those, the
 * properties their handler builds the physical id from replace them (`replacementOnChange`).
 */
function impactOf(type: string, property: string, impact: ResourceImpact | undefined): 'yes' | 'maybe' | 'no' {
  if (type.startsWith('Custom::')) return replacementOnChange(type, property);
  if (impact === ResourceImpact.WILL_REPLACE) return 'yes';
  return impact === ResourceImpact.MAY_REPLACE ? 'maybe' : 'no';
}

/** Every resource that is added, updated, replaced or removed, in template order (old resources last). */
export function plannedChanges(before: CfnTemplate, after: CfnTemplate): PlannedChange[] {
  const diff = fullDiff(before, after);
  const ids = [...new Set([...Object.keys(after.Resources), ...Object.keys(before.Resources)])];
  const working = new Map<string, Working>();
  for (const id of ids) {
    const oldResource = before.Resources[id];
    const newResource = after.Resources[id];
    const entry: Working = { type: (newResource ?? oldResource).Type, action: undefined, changed: new Set(), replacing: new Set(), certain: new Set(), references: new Set() };
    if (!oldResource) entry.action = 'add';
    else if (!newResource) entry.action = 'remove';
    else if (oldResource.Type !== newResource.Type) {
      entry.action = 'replace';
      entry.certain.add('Type');
    }
    else {
      const resourceDiff = diff.resources.has(id) ? diff.resources.get(id) : undefined;
      for (const [property, change] of Object.entries(resourceDiff?.propertyUpdates ?? {})) {
        entry.changed.add(property);
        const impact = impactOf(entry.type, property, change.changeImpact);
        if (impact === 'yes' || impact === 'maybe') entry.replacing.add(property);
        if (impact === 'yes') entry.certain.add(property);
      }
      if (entry.changed.size > 0) entry.action = entry.replacing.size > 0 ? 'replace' : 'update';
    }
    working.set(id, entry);
  }
  propagateReplacements(after, working);
  return ids.flatMap((id) => {
    const w = working.get(id)!;
    if (!w.action) return [];
    return [
      {
        logicalId: id,
        type: w.type,
        action: w.action,
        changedProperties: [...w.changed],
        replacingProperties: [...w.replacing],
        certainReplacement: w.certain.size > 0,
        replacedReferences: [...w.references],
        before: before.Resources[id],
        after: after.Resources[id],
      },
    ];
  });
}

/** A replaced resource gets a new physical id and attributes: every property referring to it changes, until nothing more does. */
function propagateReplacements(after: CfnTemplate, working: Map<string, Working>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, resource] of Object.entries(after.Resources)) {
      const entry = working.get(id)!;
      if (entry.action === 'add' || entry.action === 'replace') continue;
      for (const [property, value] of Object.entries(resource.Properties ?? {})) {
        const replaced = [...referencedIds(value)].filter((ref) => working.get(ref)?.action === 'replace');
        if (replaced.length === 0 || entry.changed.has(property)) continue;
        entry.changed.add(property);
        for (const ref of replaced) entry.references.add(ref);
        const replacement = replacementOnChange(resource.Type, property);
        if (replacement !== 'no') {
          entry.replacing.add(property);
          if (replacement === 'yes') entry.certain.add(property);
          entry.action = 'replace';
        } else {
          entry.action ??= 'update';
        }
        changed = true;
      }
    }
  }
}
