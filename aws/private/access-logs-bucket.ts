/** The bucket S3 server access logs go to. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { bucketRemoval } from './bucket-removal';

/** A bucket that receives S3 server access logs; log delivery only writes SSE-S3 objects. */
export function newAccessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    ...bucketRemoval(removalPolicy),
  });
  acknowledge(bucket, 'AwsSolutions-S1', 'This bucket is the server access log destination; logging its own access would log the log deliveries themselves.');
  acknowledge(bucket, 'NIST.800.53.R5-S3BucketLoggingEnabled', 'This bucket is the server access log destination; logging its own access would log the log deliveries themselves.');
  acknowledge(
    bucket,
    'NIST.800.53.R5-S3DefaultEncryptionKMS',
    'S3 server access log delivery supports only SSE-S3 on the destination bucket, not SSE-KMS (Amazon S3 User Guide, "Enabling Amazon S3 server access logging").',
  );
  acknowledge(bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', 'Access logs describe requests to regional buckets; they stay in the region with the data they describe.');
  acknowledge(bucket, 'NIST.800.53.R5-S3BucketDefaultLockEnabled', 'Object Lock would block lifecycle expiry of access logs; the bucket is versioned and retained in production instead.');
  return bucket;
}
