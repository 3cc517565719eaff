import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_ID } from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { api, keysNamed, NEVER_SENT } from './helpers';

let emulator: RunningEmulator;
let withDefault: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  withDefault = await startEmulator({
    port: 0,
    secretKeys: ['sk_test_a', 'sk_test_b'],
    defaultReturnUrl: 'https://app.example.com/account',
    publicUrl: 'https://billing.local.test/',
  });
});
afterAll(async () => {
  await emulator.close();
  await withDefault.close();
});

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { type: string; code: string; message: string };
  };
  expect(typeof body.error.message).toBe('string');
  return [response.status, body.error.type, body.error.code];
}

describe('portal sessions over raw HTTP', () => {
  it('accepts the integration guide’s Python request (camelCase)', async () => {
    const response = await fetch(`${emulator.url}/v1/portal/sessions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${emulator.secretKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ customerId: DEMO_CUSTOMER_ID, returnUrl: 'https://app.test/account' }),
    });
    expect(response.status).toBe(201);
    const data = (await response.json()) as Record<string, unknown>;
    expect(data).toMatchObject({
      object: 'portal.session',
      customerId: DEMO_CUSTOMER_ID,
      returnUrl: 'https://app.test/account',
      status: 'active',
      accessedAt: null,
    });
    expect(data.url).toBe(`${emulator.url}/s/${data.id}`);
  });

  it('accepts the newer docs’ snake_case request and still answers camelCase', async () => {
    const response = await api(emulator, '/v1/portal/sessions', {
      body: {
        customer_id: DEMO_CUSTOMER_ID,
        return_url: 'https://app.test/account',
        configuration_id: 'bpc_1',
      },
    });
    expect(response.status).toBe(201);
    const data = (await response.json()) as Record<string, unknown>;
    expect(data.customerId).toBe(DEMO_CUSTOMER_ID);
    expect(data.returnUrl).toBe('https://app.test/account');
    expect(data.configurationId).toBe('bpc_1');
    expect(typeof data.expiresAt).toBe('string');
  });

  it('accepts the key in X-Recur-Secret-Key', async () => {
    const response = await fetch(
      `${emulator.url}/v1/customers/entitlements?email=demo@example.com`,
      {
        headers: { 'X-Recur-Secret-Key': emulator.secretKey },
      },
    );
    expect(response.status).toBe(200);
  });

  it('uses the configured default return URL, public URL and extra keys', async () => {
    const response = await fetch(`${withDefault.url}/v1/portal/sessions`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_b' },
      body: JSON.stringify({ email: 'demo@example.com' }),
    });
    const data = (await response.json()) as { id: string; url: string; returnUrl: string };
    expect(response.status).toBe(201);
    expect(data.returnUrl).toBe('https://app.example.com/account');
    expect(data.url).toBe(`https://billing.local.test/s/${data.id}`);
    expect(withDefault.secretKey).toBe('sk_test_a');
  });

  it('answers missing_customer_identifier and invalid_parameter', async () => {
    const none = await api(emulator, '/v1/portal/sessions', {
      body: { returnUrl: 'https://a.test' },
    });
    expect(await errorOf(none)).toEqual([
      400,
      'invalid_request_error',
      'missing_customer_identifier',
    ]);
    const numeric = await api(emulator, '/v1/portal/sessions', { body: { customerId: 42 } });
    expect(await errorOf(numeric)).toEqual([400, 'invalid_request_error', 'invalid_parameter']);
    const noQuery = await api(emulator, '/v1/customers/entitlements');
    expect(await errorOf(noQuery)).toEqual([
      400,
      'invalid_request_error',
      'missing_customer_identifier',
    ]);
  });
});

describe('entitlements over raw HTTP', () => {
  it('answers the snake_case shape the SDK reads, without undocumented fields', async () => {
    const response = await api(
      emulator,
      `/v1/customers/entitlements?customer_id=${DEMO_CUSTOMER_ID}`,
    );
    const data = (await response.json()) as Record<string, unknown>;
    expect(data).toMatchObject({
      entitlements: [
        {
          product: 'pro-plan',
          product_id: 'prod_pro',
          status: 'active',
          subscription_id: 'sub_demo',
        },
      ],
      subscription: {
        id: 'sub_demo',
        status: 'active',
        product: { id: 'prod_pro', slug: 'pro-plan', name: 'Pro' },
      },
    });
    expect(Object.keys(data.subscription as object).sort()).toEqual([
      'current_period_end',
      'id',
      'product',
      'status',
    ]);
    expect(keysNamed(data, NEVER_SENT)).toEqual([]);
  });
});

describe('errors and protocol', () => {
  it('401 without a key, in Recur’s error shape', async () => {
    const response = await fetch(`${emulator.url}/v1/customers/entitlements?email=a@b.c`);
    expect(await errorOf(response)).toEqual([401, 'authentication_error', 'missing_api_key']);
  });

  it('404 route_not_found and 405 method_not_allowed with Allow', async () => {
    expect(await errorOf(await api(emulator, '/v1/nope'))).toEqual([
      404,
      'invalid_request_error',
      'route_not_found',
    ]);
    const wrong = await api(emulator, '/v1/portal/sessions', { method: 'GET' });
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await errorOf(wrong)).toEqual([405, 'invalid_request_error', 'method_not_allowed']);
  });

  it('400 invalid_json for malformed JSON and non-object bodies', async () => {
    for (const body of ['{"customerId":', '[1,2]', '"text"']) {
      const response = await fetch(`${emulator.url}/v1/portal/sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.secretKey}` },
        body,
      });
      expect(await errorOf(response)).toEqual([400, 'invalid_request_error', 'invalid_json']);
    }
  });

  it('413 for a body over 1 MB', async () => {
    const response = await fetch(`${emulator.url}/v1/portal/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.secretKey}` },
      body: JSON.stringify({ customerId: DEMO_CUSTOMER_ID, pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(await errorOf(response)).toEqual([413, 'invalid_request_error', 'body_too_large']);
  });

  it('refuses to start with a live key configured', async () => {
    await expect(startEmulator({ port: 0, secretKeys: ['sk_live_x'] })).rejects.toThrow(/sk_test_/);
  });
});
