/** What the local OpenSearch collection checks of a SigV4 Authorization header: the service scope and the signed payload hash. */
import { describe, expect, it } from 'vitest';
import { checkSigV4 } from '../../load-tests/vector-store/opensearch';

const SIGNATURE = 'a'.repeat(64);
const header = (service: string, signed = 'host;x-amz-content-sha256;x-amz-date') =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261206/eu-west-1/${service}/aws4_request, SignedHeaders=${signed}, Signature=${SIGNATURE}`;

describe('SigV4 check', () => {
  it('accepts unsigned requests and requests signed for aoss with the payload hash', () => {
    expect(checkSigV4({})).toBeUndefined();
    expect(checkSigV4({ authorization: header('aoss'), 'x-amz-content-sha256': 'e3b0' })).toBeUndefined();
  });

  it('refuses another service, an unsigned payload hash, and a header that is not SigV4', () => {
    expect(checkSigV4({ authorization: header('es'), 'x-amz-content-sha256': 'e3b0' })?.reason).toMatch(/scoped to correct service: 'aoss', not 'es'/);
    expect(checkSigV4({ authorization: header('aoss', 'host;x-amz-date') })?.reason).toMatch(/x-amz-content-sha256/);
    expect(checkSigV4({ authorization: 'Basic YWRtaW46YWRtaW4=' })?.reason).toMatch(/not an AWS4-HMAC-SHA256 signature/);
  });
});
