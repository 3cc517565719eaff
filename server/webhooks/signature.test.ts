import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidRecurSignature } from './signature';

const SECRET = 'whsec_signature_test';
const body = Buffer.from(
  '{"id":"evt_1","type":"invoice.paid","timestamp":"2025-01-01T00:00:00Z","data":{}}',
);
const mac = createHmac('sha256', SECRET).update(body);
const digest = mac.digest();
const base64 = digest.toString('base64');
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

describe('isValidRecurSignature', () => {
  it.each([
    ['base64 (the docs)', base64],
    ['base64 without its padding', base64.replace(/=$/, '')],
    ['hex (the skills and templates)', digest.toString('hex')],
    ['hex in upper case', digest.toString('hex').toUpperCase()],
  ])('accepts %s', (_, signature) => {
    expect(isValidRecurSignature(body, signature, SECRET)).toBe(true);
  });

  it('refuses a base64 spelling of the same bytes that is not the canonical one', () => {
    // The 43rd character carries two bits the 32 bytes do not use: flipping one keeps the bytes.
    const last = base64[42] ?? 'A';
    const other = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const malleated = `${base64.slice(0, 42)}${other}=`;
    expect(Buffer.from(malleated, 'base64').equals(digest)).toBe(true);
    expect(isValidRecurSignature(body, malleated, SECRET)).toBe(false);
  });

  it.each([
    ['another secret', createHmac('sha256', 'whsec_other').update(body).digest('base64')],
    ['a changed body', createHmac('sha256', SECRET).update('{}').digest('hex')],
    ['base64url', digest.toString('base64url')],
    ['a prefix', `sha256=${digest.toString('hex')}`],
    ['nothing', ''],
  ])('refuses %s', (_, signature) => {
    expect(isValidRecurSignature(body, signature, SECRET)).toBe(false);
  });
});
