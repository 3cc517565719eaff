import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CUSTOMER_EXTERNAL_ID,
  DEMO_CUSTOMER_ID,
  PRO_PRODUCT_ID,
  STARTER_PRODUCT_ID,
  STARTER_PRODUCT_SLUG,
  TEST_CARD_DECLINED,
  TEST_CARD_SUCCESS,
} from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { api, createCheckout, keysNamed, NEVER_SENT, postForm, sdk } from './helpers';

const START = Date.parse('2025-01-31T08:00:00.000Z');
let clock = START;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock, checkoutSessionTtlMs: 60_000 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  clock = START;
  emulator.reset();
});

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { type: string; code: string } };
  return [response.status, body.error.code, body.error.type];
}

describe('POST /v1/checkout/sessions', () => {
  it('answers the documented { id, url, expiresAt }, never echoing metadata', async () => {
    const session = await createCheckout(emulator, { metadata: { userId: 'u1' } });
    expect(session).toEqual({
      id: expect.stringMatching(/^cs_/),
      url: `${emulator.url}/checkout/${session.id}`,
      expiresAt: new Date(START + 60_000).toISOString(),
    });
    expect(keysNamed(emulator.state(), NEVER_SENT)).toEqual([]);
    expect(JSON.stringify(emulator.state())).not.toContain('u1');
  });

  it('refuses a slug sent as productId, like Recur (404 resource_not_found)', async () => {
    const response = await api(emulator, '/v1/checkout/sessions', {
      body: {
        productId: STARTER_PRODUCT_SLUG,
        successUrl: 'https://a.test/ok',
        cancelUrl: 'https://a.test/no',
      },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_not_found',
      message: expect.any(String),
    });
    expect(emulator.state().checkoutSessions).toEqual([]);
  });

  it('addresses the product by productSlug, and by snake_case product_id / product_slug', async () => {
    const bodies = [
      { productSlug: STARTER_PRODUCT_SLUG },
      { product_slug: STARTER_PRODUCT_SLUG },
      { product_id: STARTER_PRODUCT_ID },
      { productId: STARTER_PRODUCT_ID, productSlug: STARTER_PRODUCT_SLUG },
    ];
    for (const body of bodies) {
      await createCheckout(emulator, { productId: undefined, ...body });
    }
    expect(emulator.state().checkoutSessions.map((s) => s.productId)).toEqual(
      bodies.map(() => STARTER_PRODUCT_ID),
    );
    const clash = await api(emulator, '/v1/checkout/sessions', {
      body: {
        productId: PRO_PRODUCT_ID,
        productSlug: STARTER_PRODUCT_SLUG,
        successUrl: 'https://a.test/ok',
        cancelUrl: 'https://a.test/no',
      },
    });
    expect(await errorOf(clash)).toEqual([400, 'invalid_parameter', 'invalid_request_error']);
  });

  it('stores externalCustomerId and customerName (camelCase or snake_case)', async () => {
    await createCheckout(emulator, { externalCustomerId: 'user_1', customerName: 'One' });
    await createCheckout(emulator, { external_customer_id: 'user_2', customer_name: 'Two' });
    expect(
      emulator.state().checkoutSessions.map((s) => [s.externalCustomerId, s.customerName]),
    ).toEqual([
      ['user_1', 'One'],
      ['user_2', 'Two'],
    ]);
  });

  it('validates product, mode, URLs, email and metadata', async () => {
    const base = {
      productId: STARTER_PRODUCT_ID,
      successUrl: 'https://a.test/ok',
      cancelUrl: 'https://a.test/no',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ productId: 'prod_nope' }, 404, 'resource_not_found'],
      [{ productId: undefined, productSlug: 'nope' }, 404, 'resource_not_found'],
      [{ productId: undefined }, 400, 'missing_product'],
      [{ mode: 'RENTAL' }, 400, 'invalid_mode'],
      [{ successUrl: undefined }, 400, 'missing_success_url'],
      [{ successUrl: '/relative' }, 400, 'invalid_success_url'],
      [{ cancelUrl: undefined }, 400, 'missing_cancel_url'],
      [{ cancelUrl: 'ftp://a.test' }, 400, 'invalid_cancel_url'],
      [{ customerEmail: 'not-an-email' }, 400, 'invalid_email'],
      [{ metadata: { n: 1 } }, 400, 'invalid_metadata'],
      [{ metadata: ['x'] }, 400, 'invalid_metadata'],
    ];
    for (const [patch, status, code] of cases) {
      const response = await api(emulator, '/v1/checkout/sessions', {
        body: { ...base, ...patch },
      });
      expect(await errorOf(response), code).toEqual([status, code, 'invalid_request_error']);
    }
  });
});

describe('hosted checkout page', () => {
  it('shows the product and its TWD price with a cancel link', async () => {
    const session = await createCheckout(emulator, { locale: 'en' });
    const response = await fetch(session.url);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('<strong>Starter</strong>');
    expect(page).toContain('NT$290 / month');
    expect(page).toContain('href="https://app.example.com/pricing"');
    expect(page).toContain(
      'Test cards: 4147-6310-0000-0001 (succeeds), 4147-6310-0000-0002 (declined)',
    );
  });

  it('pays with the test card: creates customer and subscription, then 303 to successUrl', async () => {
    const session = await createCheckout(emulator, {
      customerEmail: 'new@example.com',
      externalCustomerId: 'user_new',
      metadata: { userId: 'u1' },
    });
    const response = await postForm(session.url, {
      name: 'New Person',
      card: '4147-6310-0000-0001',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `https://app.example.com/billing/success?session=${session.id}`,
    );
    const state = emulator.state();
    const customer = state.customers.find((c) => c.email === 'new@example.com');
    expect(customer?.id).toMatch(/^cus_/);
    expect(customer?.name).toBe('New Person');
    expect(customer?.externalId).toBe('user_new');
    expect(keysNamed(state, NEVER_SENT)).toEqual([]);
    const sub = state.subscriptions.find((s) => s.customerId === customer?.id);
    expect(sub?.status).toBe('active');
    expect(sub?.productId).toBe(STARTER_PRODUCT_ID);
    expect(new Date(sub?.currentPeriodEnd ?? 0).toISOString()).toBe('2025-02-28T08:00:00.000Z');
    const check = await sdk(emulator).entitlements.check({
      product: 'starter-plan',
      customer: { email: 'new@example.com' },
    });
    expect(check.allowed).toBe(true);
    expect(state.checkoutSessions[0]).toMatchObject({
      status: 'complete',
      customerId: customer?.id,
      subscriptionId: sub?.id,
    });
  });

  it('attaches the payment to the customer with that email, whatever externalCustomerId says', async () => {
    // Recur's documented worst case: the email wins; the customer keeps its own external id.
    const session = await createCheckout(emulator, { externalCustomerId: 'someone_else' });
    const response = await postForm(session.url, {
      email: 'DEMO@example.com',
      card: TEST_CARD_SUCCESS,
    });
    expect(response.status).toBe(303);
    const state = emulator.state();
    expect(state.customers).toHaveLength(1);
    expect(state.customers[0]?.externalId).toBe(DEMO_CUSTOMER_EXTERNAL_ID);
    expect(state.subscriptions.filter((s) => s.customerId === DEMO_CUSTOMER_ID)).toHaveLength(2);
    expect(state.checkoutSessions[0]?.customerId).toBe(DEMO_CUSTOMER_ID);
  });

  it('gives an existing customer without an external id the checkout’s one', async () => {
    emulator.reset({
      products: [{ id: STARTER_PRODUCT_ID, slug: STARTER_PRODUCT_SLUG, name: 'S', price: 1 }],
      customers: [{ id: 'cus_bare', email: 'bare@example.com' }],
      subscriptions: [],
    });
    const session = await createCheckout(emulator, {
      customerEmail: 'bare@example.com',
      externalCustomerId: 'user_bare',
    });
    expect((await postForm(session.url, { card: TEST_CARD_SUCCESS })).status).toBe(303);
    const state = emulator.state();
    expect(state.customers.map((c) => [c.id, c.externalId])).toEqual([['cus_bare', 'user_bare']]);
    expect(emulator.webhookDeliveries().map((d) => d.type)).toEqual([
      'customer.updated',
      'subscription.activated',
      'checkout.completed',
    ]);
  });

  it('prefills the name from customerName and uses it when the form sends none', async () => {
    const session = await createCheckout(emulator, {
      customerEmail: 'named@example.com',
      customerName: 'Named Person',
    });
    expect(await (await fetch(session.url)).text()).toContain('value="Named Person"');
    await postForm(session.url, { card: TEST_CARD_SUCCESS });
    const customer = emulator.state().customers.find((c) => c.email === 'named@example.com');
    expect(customer?.name).toBe('Named Person');
  });

  it('declines PAYUNi’s failure card 4147 6310 0000 0002 with 402 and creates nothing', async () => {
    expect(TEST_CARD_DECLINED).toBe('4147631000000002');
    const session = await createCheckout(emulator);
    const before = emulator.state();
    const response = await postForm(session.url, {
      email: 'someone@example.com',
      card: '4147 6310 0000 0002',
    });
    expect(response.status).toBe(402);
    expect(await response.text()).toContain('此卡片遭拒絕');
    const after = emulator.state();
    expect(after.customers).toEqual(before.customers);
    expect(after.subscriptions).toEqual(before.subscriptions);
    expect(after.checkoutSessions[0]?.status).toBe('open');
  });

  it('asks for a test card for any other number, and for a valid email', async () => {
    const session = await createCheckout(emulator);
    const other = await postForm(session.url, { email: 'a@b.test', card: '4242424242424242' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('請使用測試卡號');
    // The old made-up decline card is not a PAYUNi test card.
    const old = await postForm(session.url, { email: 'a@b.test', card: '4000000000000002' });
    expect(old.status).toBe(400);
    const noEmail = await postForm(session.url, { email: 'nope', card: '4147631000000001' });
    expect(noEmail.status).toBe(400);
    expect(emulator.state().customers).toHaveLength(1);
  });

  it('is gone (410) once completed or expired', async () => {
    const paid = await createCheckout(emulator, { customerEmail: 'p@example.com' });
    await postForm(paid.url, { card: '4147631000000001' });
    expect((await fetch(paid.url)).status).toBe(410);
    expect((await postForm(paid.url, { card: '4147631000000001' })).status).toBe(410);
    const stale = await createCheckout(emulator);
    clock += 60_000;
    expect((await fetch(stale.url)).status).toBe(410);
    expect(
      (await postForm(stale.url, { email: 'q@example.com', card: '4147631000000001' })).status,
    ).toBe(410);
    expect(emulator.state().customers.map((c) => c.email)).toEqual([
      'demo@example.com',
      'p@example.com',
    ]);
  });
});

describe('the hosted checkout page language', () => {
  it('follows the browser when the API call named no locale (no public source documents one)', async () => {
    const session = await createCheckout(emulator, {});
    const page = (language: string) =>
      fetch(session.url, { headers: { 'accept-language': language } }).then((r) => r.text());
    expect(await page('en-US,en;q=0.9')).toContain('<html lang="en"');
    expect(await page('zh-TW,zh;q=0.9')).toContain('<html lang="zh-Hant-TW"');
  });
});
