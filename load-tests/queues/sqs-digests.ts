/**
 * The MD5 digests SQS returns with a message, which `@aws-sdk/client-sqs` checks (MD5OfBody on
 * receive, MD5OfMessageBody on send): of the body's UTF-8 bytes, and of the message attributes in
 * SQS's encoding (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation):
 * names sorted, each as length-prefixed name, length-prefixed data type, a transport byte (1 string,
 * 2 binary) and the length-prefixed value, lengths 4-byte big-endian.
 */
import { createHash } from 'node:crypto';
import type { SqsAttributeValue } from './queue-set';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

export function md5OfMessageAttributes(attributes: Readonly<Record<string, SqsAttributeValue>>): string {
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(value.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
