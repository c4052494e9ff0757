/**
 * What happens to a bucket when it leaves the stack. A versioned bucket that still holds objects
 * (or only old versions and delete markers) cannot be deleted: CloudFormation fails with "The bucket
 * you tried to delete is not empty". So a bucket that is destroyed with the stack is emptied first
 * by CDK's auto-delete custom resource; a retained bucket keeps its objects.
 */
import { RemovalPolicy } from 'aws-cdk-lib';

export function bucketRemoval(removalPolicy: RemovalPolicy): { removalPolicy: RemovalPolicy; autoDeleteObjects: boolean } {
  return { removalPolicy, autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY };
}
