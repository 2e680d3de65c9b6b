import { describe, expect, it } from 'vitest';
import { tlsFailureCode, tlsFailureMessage } from '../../lambdas/entra/tls.js';

describe('TLS failures in an error chain', () => {
  it('finds the code on the error, down its cause chain, or in an aggregated error', () => {
    expect(tlsFailureCode(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe('CERT_HAS_EXPIRED');
    const undici = new TypeError('fetch failed', {
      cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    });
    expect(tlsFailureCode(undici)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const aggregate = new AggregateError([
      new Error('no'),
      Object.assign(new Error('y'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
    ]);
    expect(tlsFailureCode(aggregate)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('reads OpenSSL wording when only a message was kept', () => {
    expect(tlsFailureCode(new Error('request failed, reason: self-signed certificate in certificate chain'))).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN',
    );
    expect(tlsFailureCode(new Error('unable to verify the first certificate'))).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('says nothing of errors that are not TLS', () => {
    expect(tlsFailureCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(tlsFailureCode(new Error('invalid_client: AADSTS7000215'))).toBeUndefined();
    expect(tlsFailureCode(undefined)).toBeUndefined();
  });

  it('names the host, the setting and what to trust', () => {
    const m = tlsFailureMessage('SELF_SIGNED_CERT_IN_CHAIN', 'https://127.0.0.1:4011/tenant', 'entra.graphBaseUrl');
    expect(m).toContain('TLS failure connecting to 127.0.0.1:4011 (entra.graphBaseUrl)');
    expect(m).toContain('LIFECYCLE_GRAPH_CA');
    expect(m).toContain('NODE_EXTRA_CA_CERTS');
    expect(tlsFailureMessage('CERT_HAS_EXPIRED', 'https://graph.microsoft.com', 'entra.graphBaseUrl')).toContain(
      'outside its validity dates',
    );
  });
});
