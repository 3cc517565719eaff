import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_EXTERNAL_ID, DEMO_CUSTOMER_ID, TEST_CARD_SUCCESS } from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { api, createCheckout, keysNamed, NEVER_SENT, postForm, sdk } from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** Pays a checkout by a new buyer who is `user_9` in the app. */
async function buyAsUser9() {
  const session = await createCheckout(emulator, {
    customerEmail: 'user9@example.com',
    externalCustomerId: 'user_9',
    metadata: { userId: 'user_9' },
  });
  expect((await postForm(session.url, { card: TEST_CARD_SUCCESS })).status).toBe(303);
  const customer = emulator.state().customers.find((c) => c.email === 'user9@example.com');
  if (!customer) throw new Error('no customer created');
  return customer;
}

describe('the checkout’s externalCustomerId finds the customer afterwards', () => {
  it('on GET /v1/customers/entitlements?external_id=', async () => {
    const customer = await buyAsUser9();
    expect(customer.externalId).toBe('user_9');
    const response = await api(emulator, '/v1/customers/entitlements?external_id=user_9');
    const body = (await response.json()) as { entitlements: { product: string }[] };
    expect(body.entitlements.map((e) => e.product)).toEqual(['starter-plan']);
    const check = await sdk(emulator).entitlements.check({
      product: 'starter-plan',
      customer: { externalId: 'user_9' },
    });
    expect(check.allowed).toBe(true);
  });

  it('on POST /v1/portal/sessions with externalId (SDK) or external_id (docs)', async () => {
    const customer = await buyAsUser9();
    const viaSdk = await sdk(emulator).portal.sessions.create({
      externalId: 'user_9',
      returnUrl: 'https://app.test/account',
    });
    expect(viaSdk.customer).toBe(customer.id);
    const raw = await api(emulator, '/v1/portal/sessions', {
      body: { external_id: 'user_9', return_url: 'https://app.test/account' },
    });
    expect(raw.status).toBe(201);
    const body = (await raw.json()) as Record<string, unknown>;
    expect(body.customerId).toBe(customer.id);
    expect(keysNamed(body, NEVER_SENT)).toEqual([]);
  });

  it('on GET /v1/subscriptions?external_id=', async () => {
    const customer = await buyAsUser9();
    const response = await api(emulator, '/v1/subscriptions?external_id=user_9');
    const body = (await response.json()) as {
      has_active_subscription: boolean;
      subscriptions: { customer_id: string; product_slug: string; status: string }[];
    };
    expect(body.has_active_subscription).toBe(true);
    expect(body.subscriptions).toMatchObject([
      { customer_id: customer.id, product_slug: 'starter-plan', status: 'ACTIVE' },
    ]);
    expect(keysNamed(body, NEVER_SENT)).toEqual([]);
    expect(JSON.stringify(emulator.state())).not.toContain('"userId"');
  });

  it('the demo customer carries the demo account’s id as its external id', async () => {
    const response = await api(
      emulator,
      `/v1/subscriptions?external_id=${DEMO_CUSTOMER_EXTERNAL_ID}&active=true`,
    );
    const body = (await response.json()) as { subscriptions: { id: string }[] };
    expect(body.subscriptions.map((s) => s.id)).toEqual(['sub_demo']);
    const portal = await sdk(emulator).portal.sessions.create({
      externalId: DEMO_CUSTOMER_EXTERNAL_ID,
      returnUrl: 'https://app.test',
    });
    expect(portal.customer).toBe(DEMO_CUSTOMER_ID);
  });
});
