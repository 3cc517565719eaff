// A new user with no Recur customer subscribes: the app's checkout call, the emulator's hosted
// checkout page paid with the sandbox test card, and the signed webhook that links the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { httpClient } from '../support/http';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let database: Database;
let app: RunningApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function payCheckout(url: string, card: string) {
  const form = new URLSearchParams({ card, email: '' });
  return fetch(url, { method: 'POST', body: form, redirect: 'manual' });
}

describe('subscribing as a new user', () => {
  it('checks out with the test card, gets linked by webhook, and sees the active plan', async () => {
    const browser = httpClient(app.url);
    await browser.call('/trpc/auth.signUp', {
      body: { email: 'new-subscriber@example.com', password: 'a long password', locale: 'en' },
    });
    const before = await browser.call('/trpc/billing.subscription');
    expect(before.json.result.data).toEqual({ state: 'none' });

    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    expect(checkout.status).toBe(200);
    const { url } = checkout.json.result.data;
    const session = app.emulator?.state().checkoutSessions.at(-1);
    expect(session).toMatchObject({
      customerEmail: 'new-subscriber@example.com',
      successUrl: `${app.deps.config.appUrl}/account?checkout=success`,
      locale: 'en',
    });
    expect(session?.metadata.userId).toMatch(/^[0-9a-f-]{36}$/);

    const paid = await payCheckout(url, '4147-6310-0000-0001');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${app.deps.config.appUrl}/account?checkout=success`);
    await app.emulator?.webhooksIdle();

    const after = await browser.call('/trpc/billing.subscription');
    expect(after.json.result.data).toMatchObject({
      state: 'subscribed',
      planSlug: 'starter-plan',
      planName: { en: 'Starter' },
      status: 'active',
      cancelAtPeriodEnd: false,
    });
    const portal = await browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(portal.status).toBe(200);
  });

  it('creates nothing when the card is declined', async () => {
    const browser = httpClient(app.url);
    await browser.call('/trpc/auth.signUp', {
      body: { email: 'declined@example.com', password: 'a long password' },
    });
    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    const customersBefore = app.emulator?.state().customers.length;
    const declined = await payCheckout(checkout.json.result.data.url, '4000 0000 0000 0002');
    expect(declined.status).toBe(402);
    await app.emulator?.webhooksIdle();
    expect(app.emulator?.state().customers.length).toBe(customersBefore);
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toEqual({ state: 'none' });
  });

  it('refuses an unknown plan and a customer id smuggled into checkout', async () => {
    const browser = httpClient(app.url);
    await browser.call('/trpc/auth.signUp', {
      body: { email: 'smuggler@example.com', password: 'a long password' },
    });
    const unknown = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'free-forever' },
    });
    expect(unknown.status).toBe(400);
    const smuggled = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan', customerId: 'cus_demo' },
    });
    expect(smuggled.status).toBe(400);
  });
});

describe('billing.subscription', () => {
  it('answers no subscription without calling Recur when the account has no customer id', async () => {
    const browser = httpClient(app.url);
    await browser.call('/trpc/auth.signUp', {
      body: { email: 'no-customer@example.com', password: 'a long password' },
    });
    app.emulator?.injectFault({ mode: 'server_error', count: 1 });
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toEqual({ state: 'none' });
    app.emulator?.clearFaults();
  });

  it('answers 503 billing_unavailable while Recur is down', async () => {
    const browser = httpClient(app.url);
    await browser.call('/trpc/auth.signIn', {
      body: { email: 'new-subscriber@example.com', password: 'a long password' },
    });
    app.emulator?.injectFault({ mode: 'server_error', count: 1 });
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.status).toBe(503);
    expect(status.json.error.data.reason).toBe('billing_unavailable');
  });
});
