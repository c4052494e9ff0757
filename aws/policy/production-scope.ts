/**
 * Which constructs belong to a production environment. Production-only rules (replica floors,
 * guarded rollouts, retained data) ask this of each resource; `ServingStack` marks itself.
 */
import type { IConstruct } from 'constructs';

const productionScopes = new WeakSet<IConstruct>();

/** Marks `scope` and everything under it as production. */
export function markProduction(scope: IConstruct): void {
  productionScopes.add(scope);
}

/** Whether `construct` or one of its ancestors was marked as production. */
export function isInProductionScope(construct: IConstruct): boolean {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    if (productionScopes.has(current)) return true;
  }
  return false;
}
