import { afterAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index';
import { sdk } from './helpers';

const started: RunningEmulator[] = [];
afterAll(async () => {
  await Promise.all(started.map((e) => e.close()));
});

async function start(options: Parameters<typeof startEmulator>[0] = {}) {
  const emulator = await startEmulator({ port: 0, ...options });
  started.push(emulator);
  return emulator;
}

const statusWith = (emulator: RunningEmulator, key: string) =>
  fetch(`${emulator.url}/v1/customers/entitlements?customer_id=cus_demo`, {
    headers: { Authorization: `Bearer ${key}` },
  }).then((r) => r.status);

describe('secret key', () => {
  it('is a random sk_test_ key per startEmulator() call, and only that key works', async () => {
    const a = await start();
    const b = await start();
    expect(a.secretKey).toMatch(/^sk_test_[0-9a-f]{48}$/);
    expect(b.secretKey).toMatch(/^sk_test_[0-9a-f]{48}$/);
    expect(a.secretKey).not.toBe(b.secretKey);
    expect(await statusWith(a, a.secretKey)).toBe(200);
    expect(await statusWith(a, b.secretKey)).toBe(401);
    // The former well-known key is no longer accepted.
    expect(await statusWith(a, 'sk_test_emulator')).toBe(401);
    const { entitlements } = await sdk(a).entitlements.list({ customer: { id: 'cus_demo' } });
    expect(entitlements).toHaveLength(1);
  });

  it('uses the caller’s keys when given', async () => {
    const emulator = await start({ secretKeys: ['sk_test_mine', 'sk_test_other'] });
    expect(emulator.secretKey).toBe('sk_test_mine');
    expect(await statusWith(emulator, 'sk_test_other')).toBe(200);
  });

  it('makes up a random admin token too, unless one is given', async () => {
    const a = await start();
    const b = await start({ adminToken: 'given' });
    expect(a.adminToken.length).toBeGreaterThanOrEqual(16);
    expect(b.adminToken).toBe('given');
  });
});
