import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/**
 * Sealed cookie values: encrypted and authenticated (JWE, `dir` + A256GCM, through `jose`), with an
 * expiry, under a key derived (HKDF-SHA256) from the sign-in client secret and the cookie's purpose.
 * Nothing in them is readable or changeable by the browser; a secret rotation ends every session.
 */
export interface Sealer {
  seal(purpose: string, payload: Record<string, unknown>, expiresAtMs: number): Promise<string>;
  /** The payload, or undefined when the value is missing, not ours, tampered with, for another purpose or expired. */
  open(purpose: string, value: string | undefined, nowMs: number): Promise<Record<string, unknown> | undefined>;
}

export function secretSealer(secret: () => Promise<string>): Sealer {
  // One key per purpose for the current secret; a rotated secret drops them all.
  let material: string | undefined;
  const keys = new Map<string, Uint8Array>();
  const keyFor = async (purpose: string): Promise<Uint8Array> => {
    const current = await secret();
    if (current !== material) {
      keys.clear();
      material = current;
    }
    let key = keys.get(purpose);
    if (!key) {
      key = new Uint8Array(hkdfSync('sha256', current, 'atlassian-lifecycle review site', `cookie:${purpose}`, 32));
      keys.set(purpose, key);
    }
    return key;
  };
  return {
    async seal(purpose, payload, expiresAtMs) {
      return new EncryptJWT({ ...payload, pur: purpose })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setExpirationTime(Math.floor(expiresAtMs / 1000))
        .encrypt(await keyFor(purpose));
    },
    async open(purpose, value, nowMs) {
      if (!value || value.length > 8192) return undefined;
      try {
        const { payload } = await jwtDecrypt(value, await keyFor(purpose), {
          currentDate: new Date(nowMs),
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        });
        if (payload.pur !== purpose) return undefined;
        return payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
  };
}
