/** An ECR image URI taken apart, so an execution role can pull from exactly that repository. */

export interface EcrImage {
  readonly account: string;
  readonly region: string;
  readonly repositoryName: string;
  /** `arn:<partition>:ecr:<region>:<account>:repository/<name>`. */
  readonly repositoryArn: string;
}

// <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@sha256:digest]
const ECR_IMAGE_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/;

export function parseEcrImageUri(uri: string): EcrImage {
  const match = ECR_IMAGE_URI.exec(uri);
  if (!match) {
    throw new Error(`"${uri}" is not an ECR image URI: expected <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:digest]`);
  }
  const [, account, region, repositoryName] = match;
  return {
    account,
    region,
    repositoryName,
    repositoryArn: `arn:${partitionOf(region)}:ecr:${region}:${account}:repository/${repositoryName}`,
  };
}

/** The partition a region belongs to (AWS General Reference, "ARN format"). */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
