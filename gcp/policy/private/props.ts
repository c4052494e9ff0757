/** Reading a resource's inputs as the policies see them: plain values, or Pulumi's unknown sentinel at preview. */
import type { ReportViolation, ResourceValidationArgs } from '@pulumi/policy';

export type Props = Record<string, unknown>;

export function get(props: Props, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Props)[key] : undefined), props);
}

export function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

export function labelsOf(props: Props): Record<string, string> {
  const labels = props.labels ?? props.userLabels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : {};
}

/** A resource validation that applies to some types only. */
export function forTypes(types: readonly string[], check: (props: Props, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (types.includes(args.type)) check(args.props as Props, report, args);
  };
}

/** Any IAM member, binding or policy resource: their type tokens name the IAM kind. */
export function isIamGrant(type: string): boolean {
  return /IAM(Member|Binding)$|Iam(Member|Binding)$/.test(type);
}
