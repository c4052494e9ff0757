/**
 * One `CfnModel` per variant: its image and artifact, the execution role, the VPC and network
 * isolation; serverless variants (no VPC) and containers that need the network at start-up carry
 * their acknowledgment of MLServe-SM2 with the reason.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import type { ResolvedVariant } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { pascalCase } from '../private/construct-ids';
import { parseS3Uri } from '../private/s3-location';

export interface VariantModelProps {
  readonly executionRole: iam.IRole;
  /** Created before the model: SageMaker checks image and artifact access at creation. */
  readonly executionPolicy: iam.ManagedPolicy;
  /** Undefined for serverless variants, which cannot attach to a VPC. */
  readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
}

/** The model of `variant`, child `Model<Variant>` of `scope` (the endpoint). */
export function newVariantModel(scope: Construct, variant: ResolvedVariant, props: VariantModelProps): sagemaker.CfnModel {
  const { vpcConfig } = props;
  const artifactUri = variant.model.artifact?.aws;
  const artifact = artifactUri ? parseS3Uri(artifactUri) : undefined;
  const isolated = vpcConfig !== undefined && variant.model.networkIsolation;
  const model = new sagemaker.CfnModel(scope, `Model${pascalCase(variant.name)}`, {
    executionRoleArn: props.executionRole.roleArn,
    enableNetworkIsolation: isolated,
    vpcConfig,
    primaryContainer: {
      image: variant.model.image.aws,
      mode: 'SingleModel',
      environment: Object.keys(variant.model.environment).length > 0 ? { ...variant.model.environment } : undefined,
      modelDataUrl: artifact && !artifact.isPrefix ? artifactUri : undefined,
      modelDataSource:
        artifact && artifact.isPrefix ? { s3DataSource: { s3Uri: artifactUri!, s3DataType: 'S3Prefix', compressionType: 'None' } } : undefined,
    },
  });
  // The policy is attached by its own resource; SageMaker checks image and artifact access at creation.
  model.node.addDependency(props.executionPolicy);
  if (!vpcConfig) {
    acknowledge(
      model,
      'MLServe-SM2[NoVpcConfig]',
      'Serverless variants cannot attach to a VPC: SageMaker Serverless Inference excludes VPC configuration (SageMaker Developer Guide, serverless endpoints, feature exclusions).',
    );
    acknowledge(
      model,
      'MLServe-SM2[NetworkIsolationOff]',
      'Serverless variants cannot use network isolation: SageMaker Serverless Inference excludes it (SageMaker Developer Guide, serverless endpoints, feature exclusions).',
    );
  } else if (!variant.model.networkIsolation) {
    acknowledge(
      model,
      'MLServe-SM2[NetworkIsolationOff]',
      `The topology sets model.networkIsolation to false for variant "${variant.name}" because its container (${variant.model.image.aws}) needs the network at start-up; it still runs in the private subnets.`,
    );
  }
  return model;
}
