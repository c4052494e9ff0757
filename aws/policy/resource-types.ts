/**
 * Resource types the policies treat alike. The counterpart of gcp/policy/resource-types.ts; the
 * rules themselves match L1 classes (`CfnEndpoint`, `CfnQueue`), which carry their types.
 */

/**
 * Types that hold data, or a key to it: DATA1 (`production-protect-stateful`) retains them in
 * production and check-update counts their replacement as data lost. Dead-letter queues are added by
 * role, not by type.
 */
export const STATEFUL_TYPES: readonly string[] = [
  'AWS::ElastiCache::ServerlessCache',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::OpenSearchServerless::Collection',
  // The vector index (documents), created by our custom resource from inside the VPC (aws/vector-store/vector-index.ts).
  'Custom::VectorIndex',
  'AWS::RDS::DBCluster',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
];
