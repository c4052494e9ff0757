/** SageMaker endpoints as a template describes them: their configuration's variants and the variants registered with Application Auto Scaling. */
import { renderString, type CfnResource, type CfnTemplate } from './cfn-template';

export interface ConfigVariant {
  readonly name: string;
  /** The instance type, or `serverless`. */
  readonly instanceType: string;
}

const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

/** The endpoint's name when the template states it. */
export function endpointName(endpoint: CfnResource): string | undefined {
  const name = endpoint.Properties?.EndpointName;
  return typeof name === 'string' ? name : undefined;
}

/** The production variants of the configuration an endpoint points at, when it is in the same template. */
export function endpointVariants(template: CfnTemplate, endpoint: CfnResource): ConfigVariant[] | undefined {
  const reference = endpoint.Properties?.EndpointConfigName as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const configId = reference?.['Fn::GetAtt']?.[0];
  const config = configId ? template.Resources[configId] : undefined;
  const variants = config?.Properties?.ProductionVariants;
  if (!Array.isArray(variants)) return undefined;
  return variants.map((v: { VariantName?: unknown; InstanceType?: unknown }) => ({
    name: String(v.VariantName),
    instanceType: typeof v.InstanceType === 'string' ? v.InstanceType : 'serverless',
  }));
}

/** Variants of the named endpoint registered as scalable targets in the template: variant name → the target's logical id. */
export function registeredVariants(template: CfnTemplate, name: string): Map<string, string> {
  const registered = new Map<string, string>();
  const prefix = `endpoint/${name}/variant/`;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget') continue;
    const properties = resource.Properties ?? {};
    if (properties.ServiceNamespace !== 'sagemaker' || properties.ScalableDimension !== VARIANT_DIMENSION) continue;
    const resourceId = renderString(properties.ResourceId, template);
    if (resourceId?.startsWith(prefix)) registered.set(resourceId.slice(prefix.length), id);
  }
  return registered;
}

/** Whether a variant set differs by name (order aside). */
export function variantNamesDiffer(a: readonly ConfigVariant[], b: readonly ConfigVariant[]): boolean {
  const names = (variants: readonly ConfigVariant[]) => variants.map((v) => v.name).sort().join('\n');
  return names(a) !== names(b);
}
