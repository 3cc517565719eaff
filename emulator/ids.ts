import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A fresh sandbox-looking secret key, so no well-known key works against a running emulator. */
export function newTestSecretKey(): string {
  return `sk_test_${randomBytes(24).toString('hex')}`;
}
