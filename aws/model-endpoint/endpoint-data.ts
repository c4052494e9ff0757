/**
 * Where an endpoint's data lives: one bucket, encrypted with the endpoint's key, for captured
 * requests and for async requests, results and failures, each under its own prefix; and the SNS
 * topics that tell the result queue an async request finished.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { newAccessLogsBucket } from '../private/access-logs-bucket';
import { acknowledge } from '../private/acknowledge';
import { bucketRemoval } from '../private/bucket-removal';

/**
 * Key prefixes of the data bucket: SageMaker writes captured requests, async results and async
 * failures; clients upload async requests, which SageMaker then reads with the execution role.
 */
export const DATA_PREFIX = { capture: 'data-capture', asyncInput: 'async-input', asyncOutput: 'async-output', asyncFailures: 'async-failures' } as const;

export interface AsyncTopics {
  readonly success: sns.Topic;
  readonly error: sns.Topic;
}

/** The data bucket of `endpointName`, child `DataBucket` of `scope`, with server access logs. */
export function newDataBucket(
  scope: Construct,
  props: { readonly endpointName: string; readonly encryptionKey: kms.IKey; readonly accessLogs?: s3.IBucket; readonly removalPolicy: RemovalPolicy },
): s3.Bucket {
  const serverAccessLogsBucket = props.accessLogs ?? newAccessLogsBucket(scope, 'AccessLogs', props.removalPolicy);
  const bucket = new s3.Bucket(scope, 'DataBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket,
    serverAccessLogsPrefix: `${props.endpointName}/`,
    ...bucketRemoval(props.removalPolicy),
  });
  acknowledge(
    bucket,
    'NIST.800.53.R5-S3BucketReplicationEnabled',
    'Captured requests and async results are regional working data of a regional endpoint; a second copy in another region would widen who holds the data without a recovery need.',
  );
  acknowledge(
    bucket,
    'NIST.800.53.R5-S3BucketDefaultLockEnabled',
    'Object Lock would stop lifecycle clean-up of sampled captures and async results; the bucket is versioned and retained in production instead.',
  );
  return bucket;
}

/**
 * The success and error topics, encrypted with `encryptionKey`, each delivering raw to `queue`; when
 * it is an `sqs.Queue` with a dead-letter queue, undeliverable notifications go there.
 */
export function newAsyncTopics(scope: Construct, encryptionKey: kms.IKey, queue: sqs.IQueue): AsyncTopics {
  const deadLetterQueue = queue instanceof sqs.Queue ? queue.deadLetterQueue?.queue : undefined;
  const topic = (id: string): sns.Topic => {
    const t = new sns.Topic(scope, id, { masterKey: encryptionKey, enforceSSL: true });
    t.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: true, deadLetterQueue }));
    return t;
  };
  return { success: topic('AsyncSuccessTopic'), error: topic('AsyncErrorTopic') };
}
