import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_ID, DEMO_SUBSCRIPTION_ID, TEST_CARD_SUCCESS } from '../fixture';
import { emulatorAdmin, type RunningEmulator, startEmulator } from '../index';
import { admin, api, createCheckout, keysNamed, NEVER_SENT, postForm, sdk } from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, adminToken: 'admin-secret' });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { type: string; code: string } };
  return [response.status, body.error.type, body.error.code];
}

describe('admin authentication', () => {
  it('refuses requests without a token (401)', async () => {
    const response = await fetch(`${emulator.url}/_emulator/state`);
    expect(await errorOf(response)).toEqual([401, 'authentication_error', 'missing_admin_token']);
  });

  it('refuses a normal API key (403), in either header', async () => {
    const bearer = await fetch(`${emulator.url}/_emulator/reset`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.secretKey}` },
    });
    expect(await errorOf(bearer)).toEqual([403, 'permission_error', 'admin_token_required']);
    const alt = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'X-Recur-Secret-Key': emulator.secretKey },
      body: JSON.stringify({ mode: 'server_error' }),
    });
    expect(await errorOf(alt)).toEqual([403, 'permission_error', 'admin_token_required']);
    const asToken = await fetch(`${emulator.url}/_emulator/state`, {
      headers: { 'X-Emulator-Admin-Token': emulator.secretKey },
    });
    expect(await errorOf(asToken)).toEqual([403, 'permission_error', 'invalid_admin_token']);
    expect(await api(emulator, '/v1/customers/entitlements?customer_id=cus_demo')).toHaveProperty(
      'status',
      200,
    );
  });

  it('uses a random token per start unless one is configured', async () => {
    expect(emulator.adminToken).toBe('admin-secret');
    const a = await startEmulator({ port: 0 });
    const b = await startEmulator({ port: 0 });
    expect(a.adminToken.length).toBeGreaterThanOrEqual(16);
    expect(a.adminToken).not.toBe(b.adminToken);
    await a.close();
    await b.close();
  });

  it('serves an unauthenticated health check', async () => {
    const response = await fetch(`${emulator.url}/_emulator/health`);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('admin endpoints', () => {
  it('GET state, POST reset', async () => {
    await createCheckout(emulator);
    const before = (await (await admin(emulator, '/state')).json()) as {
      checkoutSessions: unknown[];
      customers: { id: string }[];
    };
    expect(before.checkoutSessions).toHaveLength(1);
    expect(before.customers.map((c) => c.id)).toEqual([DEMO_CUSTOMER_ID]);
    expect((await admin(emulator, '/reset', { method: 'POST' })).status).toBe(200);
    expect(emulator.state().checkoutSessions).toEqual([]);
  });

  it('seeds from a posted fixture and validates it', async () => {
    const seeded = await admin(emulator, '/seed', {
      body: {
        products: [{ id: 'prod_team', slug: 'team-plan', name: 'Team', price: 2990 }],
        customers: [{ id: 'cus_t', email: 't@example.com', externalId: 'u_t' }],
        subscriptions: [
          {
            id: 'sub_t',
            customerId: 'cus_t',
            product: 'team-plan',
            status: 'trialing',
            currentPeriodEnd: '2099-01-01T00:00:00.000Z',
          },
        ],
      },
    });
    expect(seeded.status).toBe(200);
    const check = await sdk(emulator).entitlements.check({
      product: 'team-plan',
      customer: { externalId: 'u_t' },
    });
    expect(check).toMatchObject({
      allowed: true,
      subscription: { status: 'trialing', currentPeriodEnd: '2099-01-01T00:00:00.000Z' },
    });
    const bad = await admin(emulator, '/seed', {
      body: {
        products: [],
        customers: [{ id: 'c', email: 'c@x.test' }],
        subscriptions: [{ id: 's', customerId: 'c', product: 'missing' }],
      },
    });
    expect(await errorOf(bad)).toEqual([400, 'invalid_request_error', 'invalid_fixture']);
    const malformed = await admin(emulator, '/seed', { body: { products: 'no' } });
    expect(await errorOf(malformed)).toEqual([400, 'invalid_request_error', 'invalid_fixture']);
  });

  it('sets a subscription status for UI tests', async () => {
    const response = await admin(emulator, `/subscriptions/${DEMO_SUBSCRIPTION_ID}/status`, {
      body: { status: 'trialing' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: DEMO_SUBSCRIPTION_ID, status: 'trialing' });
    const { entitlements } = await sdk(emulator).entitlements.list({
      customer: { id: DEMO_CUSTOMER_ID },
    });
    expect(entitlements[0]?.status).toBe('trialing');
    const unknown = await admin(emulator, '/subscriptions/sub_nope/status', {
      body: { status: 'active' },
    });
    expect(await errorOf(unknown)).toEqual([
      404,
      'invalid_request_error',
      'subscription_not_found',
    ]);
    const invalid = await admin(emulator, `/subscriptions/${DEMO_SUBSCRIPTION_ID}/status`, {
      body: { status: 'paused' },
    });
    expect(await errorOf(invalid)).toEqual([400, 'invalid_request_error', 'invalid_status']);
  });

  it('marks a cancelled subscription with canceledAt, never cancelAtPeriodEnd', async () => {
    const response = await admin(emulator, `/subscriptions/${DEMO_SUBSCRIPTION_ID}/status`, {
      body: { status: 'canceled' },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'canceled', canceledAt: expect.any(String) });
    expect(keysNamed(body, NEVER_SENT)).toEqual([]);
    const state = (await (await admin(emulator, '/state')).json()) as unknown;
    expect(keysNamed(state, NEVER_SENT)).toEqual([]);
    const back = await admin(emulator, `/subscriptions/${DEMO_SUBSCRIPTION_ID}/status`, {
      body: { status: 'active' },
    });
    expect(await back.json()).toMatchObject({ status: 'active', canceledAt: null });
  });

  it('injects, lists and clears faults over HTTP', async () => {
    const added = await admin(emulator, '/faults', {
      body: { mode: 'rate_limit', count: 2, path: '/v1/customers/entitlements' },
    });
    expect(added.status).toBe(201);
    const limited = await api(emulator, '/v1/customers/entitlements?customer_id=cus_demo');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await errorOf(limited)).toEqual([429, 'rate_limit_error', 'rate_limited']);
    const listed = (await (await admin(emulator, '/faults')).json()) as {
      faults: { remaining: number }[];
    };
    expect(listed.faults).toEqual([
      { mode: 'rate_limit', remaining: 1, path: '/v1/customers/entitlements' },
    ]);
    expect((await admin(emulator, '/faults', { method: 'DELETE' })).status).toBe(200);
    expect((await api(emulator, '/v1/customers/entitlements?customer_id=cus_demo')).status).toBe(
      200,
    );
    const bad = await admin(emulator, '/faults', { body: { mode: 'explode' } });
    expect(await errorOf(bad)).toEqual([400, 'invalid_request_error', 'invalid_fault']);
  });

  it('non_json answers an HTML 502', async () => {
    await admin(emulator, '/faults', { body: { mode: 'non_json' } });
    const response = await api(emulator, '/v1/customers/entitlements?customer_id=cus_demo');
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('502 Bad Gateway');
  });

  it('lists recorded webhook events', async () => {
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'canceled' });
    const body = (await (await admin(emulator, '/webhooks')).json()) as {
      deliveries: { type: string; payload: { type: string; data: { id: string } } }[];
    };
    expect(body.deliveries).toHaveLength(1);
    expect(body.deliveries[0]?.payload.type).toBe('subscription.cancelled');
    expect(body.deliveries[0]?.payload.data.id).toBe(DEMO_SUBSCRIPTION_ID);
  });
});

describe('emulatorAdmin client', () => {
  it('drives the admin endpoints with types', async () => {
    const client = emulatorAdmin(emulator.url, emulator.adminToken);
    const sub = await client.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'past_due' });
    expect(sub.status).toBe('past_due');
    await client.injectFault({ mode: 'server_error', count: 1 });
    expect((await api(emulator, '/v1/customers/entitlements?customer_id=cus_demo')).status).toBe(
      500,
    );
    expect((await client.state()).subscriptions[0]?.status).toBe('past_due');
    expect((await client.webhooks()).deliveries[0]?.type).toBe('subscription.past_due');
    await client.reset();
    expect((await client.state()).subscriptions[0]?.status).toBe('active');
    await expect(emulatorAdmin(emulator.url, 'wrong').state()).rejects.toThrow(
      /invalid_admin_token/,
    );
  });
});

describe('persistence', () => {
  it('reads a state file written by an older emulator, dropping retired fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-emulator-'));
    try {
      const statePath = join(dir, 'state.json');
      const end = Date.parse('2099-02-01T00:00:00.000Z');
      writeFileSync(
        statePath,
        JSON.stringify({
          customers: [
            {
              id: 'cus_old',
              email: 'old@example.com',
              name: null,
              externalId: null,
              metadata: { userId: 'u_old' },
              paymentMethod: null,
              createdAt: 0,
            },
          ],
          subscriptions: [
            {
              id: 'sub_old',
              customerId: 'cus_old',
              productId: 'prod_pro',
              status: 'canceled',
              currentPeriodEnd: end,
              cancelAtPeriodEnd: true,
              createdAt: 5,
            },
          ],
          checkoutSessions: [],
        }),
      );
      const old = await startEmulator({ port: 0, statePath });
      try {
        expect(keysNamed(old.state(), NEVER_SENT)).toEqual([]);
        const response = await api(old, '/v1/subscriptions?customer_id=cus_old');
        const body = (await response.json()) as { subscriptions: unknown[] };
        expect(body.subscriptions).toMatchObject([
          {
            status: 'CANCELED',
            canceled_at: new Date(5).toISOString(),
            current_period_start: '2099-01-01T00:00:00.000Z',
          },
        ]);
      } finally {
        await old.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps state in a JSON file across restarts when statePath is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-emulator-'));
    try {
      const statePath = join(dir, 'nested', 'state.json');
      const first = await startEmulator({ port: 0, statePath });
      const checkout = await createCheckout(first, { customerEmail: 'saved@example.com' });
      await postForm(checkout.url, { card: TEST_CARD_SUCCESS });
      await first.close();
      const onDisk = JSON.parse(readFileSync(statePath, 'utf8')) as {
        customers: { email: string }[];
      };
      expect(onDisk.customers.map((c) => c.email)).toContain('saved@example.com');

      const second = await startEmulator({ port: 0, statePath });
      const check = await sdk(second).entitlements.check({
        product: 'starter-plan',
        customer: { email: 'saved@example.com' },
      });
      expect(check.allowed).toBe(true);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
