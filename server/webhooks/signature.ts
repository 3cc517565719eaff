import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Recur-Signature`: HMAC-SHA256 of the raw body keyed with the `whsec_…` secret.
 * Recur's docs say base64 and another official source says hex, so both encodings are accepted.
 * The comparison takes the same time wherever the first wrong byte is.
 */
export function isValidRecurSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const value = header.trim();
  const given = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/]{43}=?$/.test(value)
      ? canonicalBase64(value)
      : null;
  return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
}

/** The bytes of a base64 value, only if it is their one canonical spelling (no spare low bits). */
function canonicalBase64(value: string): Buffer | null {
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '') ? bytes : null;
}
