import { Recur, RecurAPIError } from 'recur-tw/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CUSTOMER_EMAIL,
  DEMO_CUSTOMER_ID,
  DEMO_SUBSCRIPTION_ID,
  PRO_PRODUCT_ID,
  PRO_PRODUCT_SLUG,
  STARTER_PRODUCT_SLUG,
} from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';

let emulator: RunningEmulator;
let recur: Recur;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    fixture: {
      products: [
        { id: 'prod_starter', slug: STARTER_PRODUCT_SLUG, name: 'Starter', price: 290 },
        { id: PRO_PRODUCT_ID, slug: PRO_PRODUCT_SLUG, name: 'Pro', price: 990 },
      ],
      customers: [
        { id: DEMO_CUSTOMER_ID, email: DEMO_CUSTOMER_EMAIL, name: 'Demo User' },
        { id: 'cus_ext', email: 'ext@example.com', externalId: 'user_42' },
        { id: 'cus_none', email: 'none@example.com' },
      ],
      subscriptions: [
        { id: DEMO_SUBSCRIPTION_ID, customerId: DEMO_CUSTOMER_ID, product: 'pro-plan' },
      ],
    },
  });
  recur = new Recur(emulator.secretKey, { baseUrl: emulator.url });
});

afterAll(() => emulator.close());

beforeEach(() => emulator.clearFaults());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function apiError(promise: Promise<unknown>): Promise<RecurAPIError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(RecurAPIError);
  return error as RecurAPIError;
}

describe('portal.sessions.create', () => {
  it('creates a session by customer id', async () => {
    const session = await recur.portal.sessions.create({
      customer: DEMO_CUSTOMER_ID,
      returnUrl: 'https://app.example.com/account',
    });
    expect(session.id).toMatch(/^ps_/);
    expect(session.object).toBe('portal.session');
    expect(session.customer).toBe(DEMO_CUSTOMER_ID);
    expect(session.url).toBe(`${emulator.url}/s/${session.id}`);
    expect(session.returnUrl).toBe('https://app.example.com/account');
    expect(session.status).toBe('active');
    expect(session.accessedAt).toBeNull();
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(60 * 60 * 1000);
  });

  it('creates a session by email (case-insensitive) and by external id', async () => {
    const byEmail = await recur.portal.sessions.create({
      email: 'Demo@Example.com',
      returnUrl: 'http://localhost:5173/account',
      locale: 'en',
    });
    expect(byEmail.customer).toBe(DEMO_CUSTOMER_ID);
    const byExternal = await recur.portal.sessions.create({
      externalId: 'user_42',
      returnUrl: 'http://localhost:5173/account',
    });
    expect(byExternal.customer).toBe('cus_ext');
  });

  it('fails locally without a customer identifier', async () => {
    const error = await apiError(recur.portal.sessions.create({ returnUrl: 'https://x.test' }));
    expect(error.code).toBe('missing_customer_identifier');
  });

  it('answers customer_not_found for every identifier kind', async () => {
    for (const params of [{ customer: 'cus_nope' }, { email: 'x@y.z' }, { externalId: 'zz' }]) {
      const error = await apiError(
        recur.portal.sessions.create({ ...params, returnUrl: 'https://app.example.com' }),
      );
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('customer_not_found');
      expect(error.type).toBe('invalid_request_error');
    }
  });

  it('answers missing_return_url, invalid_return_url and invalid_locale', async () => {
    const missing = await apiError(recur.portal.sessions.create({ customer: DEMO_CUSTOMER_ID }));
    expect([missing.statusCode, missing.code]).toEqual([400, 'missing_return_url']);
    const badUrl = await apiError(
      recur.portal.sessions.create({
        customer: DEMO_CUSTOMER_ID,
        returnUrl: 'javascript:alert(1)',
      }),
    );
    expect([badUrl.statusCode, badUrl.code]).toEqual([400, 'invalid_return_url']);
    const badLocale = await apiError(
      recur.portal.sessions.create({
        customer: DEMO_CUSTOMER_ID,
        returnUrl: 'https://app.example.com',
        locale: 'ja' as 'en',
      }),
    );
    expect([badLocale.statusCode, badLocale.code]).toEqual([400, 'invalid_locale']);
  });
});

describe('authentication', () => {
  it('rejects an unknown test key with 401', async () => {
    const stranger = new Recur('sk_test_unknown', { baseUrl: emulator.url });
    const error = await apiError(
      stranger.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } }),
    );
    expect(error.statusCode).toBe(401);
    expect(error.type).toBe('authentication_error');
    expect(error.code).toBe('invalid_api_key');
  });

  it('refuses live keys, saying it takes test keys only', async () => {
    const live = new Recur('sk_live_abc', { baseUrl: emulator.url });
    const error = await apiError(
      live.portal.sessions.create({ customer: DEMO_CUSTOMER_ID, returnUrl: 'https://x.test' }),
    );
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe('live_key_not_allowed');
    expect(error.message).toMatch(/test keys/);
  });
});

describe('entitlements', () => {
  it('lists the demo customer entitlements', async () => {
    const { entitlements } = await recur.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } });
    expect(entitlements).toEqual([
      {
        product: PRO_PRODUCT_SLUG,
        productId: PRO_PRODUCT_ID,
        status: 'active',
        subscriptionId: DEMO_SUBSCRIPTION_ID,
      },
    ]);
  });

  it('checks access by slug and by product id', async () => {
    const bySlug = await recur.entitlements.check({
      product: PRO_PRODUCT_SLUG,
      customer: { email: DEMO_CUSTOMER_EMAIL },
    });
    expect(bySlug.allowed).toBe(true);
    expect(bySlug.subscription?.id).toBe(DEMO_SUBSCRIPTION_ID);
    expect(bySlug.subscription?.product).toEqual({
      id: PRO_PRODUCT_ID,
      slug: PRO_PRODUCT_SLUG,
      name: 'Pro',
    });
    expect(Number.isNaN(Date.parse(bySlug.subscription?.currentPeriodEnd ?? ''))).toBe(false);
    const byId = await recur.entitlements.check({
      product: PRO_PRODUCT_ID,
      customer: { id: DEMO_CUSTOMER_ID },
    });
    expect(byId.allowed).toBe(true);
    const other = await recur.entitlements.check({
      product: STARTER_PRODUCT_SLUG,
      customer: { id: DEMO_CUSTOMER_ID },
    });
    expect(other).toEqual({ allowed: false });
  });

  it('gives a customer without subscriptions no entitlements', async () => {
    const result = await recur.entitlements.list({ customer: { externalId: 'user_42' } });
    expect(result.entitlements).toEqual([]);
  });

  it('answers customer_not_found and fails locally without identifiers', async () => {
    const error = await apiError(recur.entitlements.list({ customer: { email: 'ghost@x.test' } }));
    expect([error.statusCode, error.code]).toEqual([404, 'customer_not_found']);
    const local = await apiError(recur.entitlements.check({ product: 'pro-plan', customer: {} }));
    expect(local.code).toBe('missing_customer_identifier');
  });

  it('reflects admin status changes (trialing, past_due, expired)', async () => {
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'past_due' });
    const pastDue = await recur.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } });
    expect(pastDue.entitlements[0]?.status).toBe('past_due');
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'expired' });
    const expired = await recur.entitlements.check({
      product: PRO_PRODUCT_SLUG,
      customer: { id: DEMO_CUSTOMER_ID },
    });
    expect(expired.allowed).toBe(false);
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'active' });
  });
});

describe('fault injection through the SDK', () => {
  const create = () =>
    recur.portal.sessions.create({ customer: DEMO_CUSTOMER_ID, returnUrl: 'https://x.test' });

  it('server_error gives a RecurAPIError 500 once per count, then recovers', async () => {
    emulator.injectFault({ mode: 'server_error', count: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await apiError(create());
      expect([error.statusCode, error.type]).toEqual([500, 'api_error']);
    }
    expect((await create()).id).toMatch(/^ps_/);
  });

  it('rate_limit gives a RecurAPIError 429', async () => {
    emulator.injectFault({ mode: 'rate_limit', count: 1 });
    const error = await apiError(recur.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } }));
    expect(error.statusCode).toBe(429);
    expect(error.type).toBe('rate_limit_error');
  });

  it('non_json makes the SDK throw a SyntaxError', async () => {
    emulator.injectFault({ mode: 'non_json', count: 1 });
    const error = await rejection(create());
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('path-scoped faults leave other routes alone', async () => {
    emulator.injectFault({ mode: 'server_error', count: 1, path: '/v1/portal/sessions' });
    const list = await recur.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } });
    expect(list.entitlements).toHaveLength(1);
    const error = await apiError(create());
    expect(error.statusCode).toBe(500);
  });

  it('hang never answers: the caller’s own timeout fires', async () => {
    emulator.injectFault({ mode: 'hang', count: 1 });
    const timeout = new Promise<'timed out'>((resolve) => setTimeout(resolve, 150, 'timed out'));
    const call = create().then(
      () => 'answered' as const,
      () => 'failed' as const,
    );
    const outcome = await Promise.race([call, timeout]);
    expect(outcome).toBe('timed out');
    expect((await create()).id).toMatch(/^ps_/);
  });

  it('slow answers normally, after the other calls that were not delayed', async () => {
    emulator.injectFault({ mode: 'slow', count: 1, delayMs: 200, path: '/v1/portal/sessions' });
    const order: string[] = [];
    const slow = create().then((session) => {
      order.push('slow');
      return session;
    });
    const fast = recur.entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } }).then(() => {
      order.push('fast');
    });
    await Promise.all([slow, fast]);
    expect((await slow).id).toMatch(/^ps_/);
    expect(order).toEqual(['fast', 'slow']);
  });
});
