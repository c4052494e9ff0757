/**
 * The `CfnEndpointConfig`: every variant with its weight and its instances or serverless config,
 * the volume key (unless an instance type has local NVMe storage, which SageMaker encrypts itself),
 * data capture, and async inference with its output paths and notifications.
 */
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import type { ResolvedEndpoint } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { DATA_PREFIX, type AsyncTopics } from './endpoint-data';

export interface EndpointConfigProps {
  /** The model of each variant, by variant name. */
  readonly models: Readonly<Record<string, sagemaker.CfnModel>>;
  readonly encryptionKey: kms.IKey;
  readonly dataBucket?: s3.IBucket;
  readonly asyncTopics?: AsyncTopics;
}

/** The configuration of `spec`, child `Config` of `scope` (the endpoint). */
export function newEndpointConfig(scope: Construct, spec: ResolvedEndpoint, props: EndpointConfigProps): sagemaker.CfnEndpointConfig {
  const serverless = spec.mode === 'serverless';
  const { dataBucket, asyncTopics, encryptionKey } = props;
  const config = new sagemaker.CfnEndpointConfig(scope, 'Config', {
    kmsKeyId: spec.aws.volumeKms ? encryptionKey.keyArn : undefined,
    productionVariants: spec.variants.map((variant) => ({
      variantName: variant.aws.variantName,
      modelName: props.models[variant.name].attrModelName,
      initialVariantWeight: variant.weight,
      ...(serverless
        ? { serverlessConfig: { maxConcurrency: spec.serverless!.maxConcurrency, memorySizeInMb: spec.serverless!.memoryGiB * 1024 } }
        : { instanceType: variant.aws.instanceType, initialInstanceCount: spec.scaling.min }),
    })),
    dataCaptureConfig:
      spec.dataCapture && dataBucket
        ? {
            enableCapture: true,
            initialSamplingPercentage: spec.dataCapture.samplingPercent,
            destinationS3Uri: dataBucket.s3UrlForObject(DATA_PREFIX.capture),
            kmsKeyId: encryptionKey.keyArn,
            captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
          }
        : undefined,
    asyncInferenceConfig:
      spec.mode === 'async' && dataBucket && asyncTopics
        ? {
            outputConfig: {
              s3OutputPath: dataBucket.s3UrlForObject(DATA_PREFIX.asyncOutput),
              s3FailurePath: dataBucket.s3UrlForObject(DATA_PREFIX.asyncFailures),
              kmsKeyId: encryptionKey.keyArn,
              notificationConfig: { successTopic: asyncTopics.success.topicArn, errorTopic: asyncTopics.error.topicArn },
            },
            clientConfig: { maxConcurrentInvocationsPerInstance: spec.performance.concurrencyPerReplica },
          }
        : undefined,
  });
  if (!spec.aws.volumeKms) {
    const types = [...new Set(spec.variants.filter((v) => v.aws.localNvme).map((v) => v.aws.instanceType))].join(', ');
    acknowledge(
      config,
      'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
      `${types} ${types.includes(',') ? 'have' : 'has'} local NVMe instance storage, which SageMaker encrypts with a hardware key, and CreateEndpointConfig rejects a KmsKeyId for such instances (SageMaker API reference, CreateEndpointConfig KmsKeyId).`,
    );
  }
  return config;
}
