import { generate } from 'selfsigned';

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost, made at start (nothing on disk).
 * Clients trust it by passing `cert` as an extra CA (undici Agent `connect.ca`, @azure/identity
 * `tlsOptions.ca`), never by turning TLS verification off.
 */
export async function loopbackCertificate(): Promise<{ readonly key: string; readonly cert: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
