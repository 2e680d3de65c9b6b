import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) as base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh review-link token. The caller mails it once and stores only `hashToken(token)`. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export const isWellFormedToken = (value: unknown): value is string =>
  typeof value === 'string' && TOKEN_PATTERN.test(value);

/** sha256 hex. A 256-bit random token needs no salt: the hash cannot be reversed or guessed. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The first 8 hex characters of a token's hash: enough to correlate audit records, useless to an attacker. */
export const tokenRef = (tokenHash: string): string => tokenHash.slice(0, 8);

/** The reference of whatever was presented as a token (hashed; the raw value is never kept). */
export const presentedRef = (value: string | undefined): string =>
  value ? tokenRef(hashToken(value.slice(0, 200))) : 'none';
