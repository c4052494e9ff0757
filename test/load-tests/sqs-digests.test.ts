/** The MD5 digests SQS returns, which SDKs check (the JavaScript SDK checks the body's; Java's and Kotlin's also the attributes'). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5OfBody, md5OfMessageAttributes } from '../../load-tests/queues/sqs-digests';

describe('SQS message digests', () => {
  it('digest the body as UTF-8', () => {
    expect(md5OfBody('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(md5OfBody('é')).toBe(createHash('md5').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
  });

  it("digest message attributes in SQS's length-prefixed encoding, independent of the order they were given in", () => {
    // A published vector for the algorithm of the SQS developer guide (one String attribute).
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
    const a = { DataType: 'String', StringValue: 'x' };
    const b = { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]).toString('base64') };
    expect(md5OfMessageAttributes({ a, b })).toBe(md5OfMessageAttributes({ b, a }));
    // Binary values are digested as their bytes with transport type 2, not as their base64 text.
    expect(md5OfMessageAttributes({ b })).not.toBe(md5OfMessageAttributes({ b: { DataType: 'Binary', StringValue: b.BinaryValue } }));
  });
});
