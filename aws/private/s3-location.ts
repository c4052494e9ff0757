/** An `s3://bucket/key` URI taken apart, so a role can read exactly that object or prefix. */

export interface S3Location {
  readonly bucket: string;
  /** The object key, or the prefix when `isPrefix`. */
  readonly key: string;
  /** A URI ending in `/` names an uncompressed model directory rather than one archive. */
  readonly isPrefix: boolean;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

export function parseS3Uri(uri: string): S3Location {
  const match = S3_URI.exec(uri);
  if (!match) throw new Error(`"${uri}" is not an s3:// URI: expected s3://<bucket>/<key>`);
  const [, bucket, key] = match;
  return { bucket, key, isPrefix: key.endsWith('/') };
}
