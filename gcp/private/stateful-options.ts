/**
 * Which resources hold data, and the options that keep that data in production. Pulumi mocks
 * never see resource options (@pulumi/pulumi runtime/mocks.ts), so the decision is a pure function, unit-tested;
 * the offline plan reads the options where they are set.
 *
 * `protect` makes a delete or a replacement fail; `retainOnDelete` leaves the cloud resource in
 * place if the protection is lifted and the resource removed from the program. Both apply only when the resolved topology retains data (production).
 */
import type * as pulumi from '@pulumi/pulumi';

export const STATEFUL_KINDS = [
  'cache',
  'vector-index',
  'database',
  'kms-key-ring',
  'kms-key',
  'topic',
  'dead-letter-topic',
  'subscription',
  'dead-letter-subscription',
  'dataset',
  'results-bucket',
] as const;

export type StatefulKind = (typeof STATEFUL_KINDS)[number];

export function isStatefulKind(kind: string): kind is StatefulKind {
  return (STATEFUL_KINDS as readonly string[]).includes(kind);
}

/** Options for a resource of `kind`; empty for stateless kinds or when data is not retained. */
export function statefulOptions(kind: StatefulKind | 'stateless', retainData: boolean): Pick<pulumi.CustomResourceOptions, 'protect' | 'retainOnDelete'> {
  if (kind === 'stateless' || !retainData) return {};
  return { protect: true, retainOnDelete: true };
}
