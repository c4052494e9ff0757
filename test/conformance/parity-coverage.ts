/**
 * The conformance rule: a difference between the clouds is accounted for only by a parity note
 * at its spec path or at an ancestor of it (`endpoints[2].compute` accounts for
 * `endpoints[2].compute.accelerator`; `endpoints[1]` does not account for `endpoints[10]`).
 */
import type { ParityNote } from '../../constructs';

export function coveringNote(path: string, notes: readonly ParityNote[]): ParityNote | undefined {
  return notes.find((n) => path === n.path || path.startsWith(`${n.path}.`) || path.startsWith(`${n.path}[`));
}

/** The items no note accounts for. */
export function uncovered<T extends { readonly path: string }>(items: readonly T[], notes: readonly ParityNote[]): T[] {
  return items.filter((item) => !coveringNote(item.path, notes));
}
