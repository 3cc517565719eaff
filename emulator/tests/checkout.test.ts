import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_ID, STARTER_PRODUCT_ID } from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { api, createCheckout, postForm, sdk } from './helpers';

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
  it('creates a session with a hosted checkout URL', async () => {
    const session = await createCheckout(emulator, { metadata: { userId: 'u1' } });
    expect(session.id).toMatch(/^cs_/);
    expect(session.url).toBe(`${emulator.url}/checkout/${session.id}`);
    expect(session.expiresAt).toBe(new Date(START + 60_000).toISOString());
  });

  it('accepts a product id as well as a slug', async () => {
    const session = await createCheckout(emulator, { productId: STARTER_PRODUCT_ID });
    expect(session.id).toMatch(/^cs_/);
  });

  it('validates product, mode, URLs, email and metadata', async () => {
    const base = {
      productId: 'starter-plan',
      successUrl: 'https://a.test/ok',
      cancelUrl: 'https://a.test/no',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ productId: 'nope' }, 404, 'product_not_found'],
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
  });

  it('pays with the test card: creates customer and subscription, then 303 to successUrl', async () => {
    const session = await createCheckout(emulator, {
      customerEmail: 'new@example.com',
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
    expect(customer?.metadata).toEqual({ userId: 'u1' });
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

  it('adds a subscription to an existing customer with that email', async () => {
    const session = await createCheckout(emulator);
    const response = await postForm(session.url, {
      email: 'DEMO@example.com',
      card: '4147631000000001',
    });
    expect(response.status).toBe(303);
    const state = emulator.state();
    expect(state.customers).toHaveLength(1);
    expect(state.subscriptions.filter((s) => s.customerId === DEMO_CUSTOMER_ID)).toHaveLength(2);
  });

  it('declines 4000-0000-0000-0002 with 402 and creates nothing', async () => {
    const session = await createCheckout(emulator);
    const before = emulator.state();
    const response = await postForm(session.url, {
      email: 'someone@example.com',
      card: '4000 0000 0000 0002',
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
