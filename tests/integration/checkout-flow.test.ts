// A new user subscribes: the app's checkout call, the emulator's hosted checkout paid with the
// sandbox test card, the signed webhooks that link the customer, the status, the portal.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { accountActivity, users } from '../../db/schema';
import type { RunningApp } from '../../server/app';
import { payEmulatorCheckout, TEST_CARDS } from '../support/emulator-checkout';
import { httpClient, signUpAndSignIn } from '../support/http';
import { createLogCollector, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let database: Database;
let app: RunningApp;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database, { log: logs.log });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

let counter = 0;
/** A browser signed up as a new user; `verified` as if the verification mail had been followed. */
async function newUser(options: { verified: boolean }) {
  const email = `subscriber-${++counter}-${Date.now()}@example.com`;
  const browser = httpClient(app.url);
  await signUpAndSignIn(browser, { email, password: 'a long password for tests', locale: 'en' });
  if (options.verified) {
    await database.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.email, email));
  }
  const [row] = await database.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error('no user row');
  return { browser, email, userId: row.id };
}

const checkoutCount = () => app.emulator?.state().checkoutSessions.length ?? 0;

describe('subscribing as a new user', () => {
  it('checks out with the test card, gets linked by webhook, and sees the active plan', async () => {
    const { browser, email, userId } = await newUser({ verified: true });
    const before = await browser.call('/trpc/billing.subscription');
    expect(before.json.result.data).toEqual({ state: 'none', ended: false });

    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    expect(checkout.status).toBe(200);
    const { url } = checkout.json.result.data;
    const session = app.emulator?.state().checkoutSessions.at(-1);
    expect(session).toMatchObject({
      customerEmail: email,
      externalCustomerId: userId,
      productId: 'prod_starter',
      successUrl: `${app.deps.config.appUrl}/account?checkout=success`,
    });

    const paid = await payEmulatorCheckout(url, TEST_CARDS.success);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${app.deps.config.appUrl}/account?checkout=success`);
    await app.emulator?.webhooksIdle();
    const [row] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(row?.recurCustomerId).toMatch(/^cus_/);
    // On failure, what the webhook route did with each event says why.
    const webhookLines = logs.lines.filter((line) => line.startsWith('webhook:')).join('\n');
    expect(row?.subscriptionStatus, webhookLines).toBe('active');

    const after = await browser.call('/trpc/billing.subscription');
    expect(after.json.result.data).toMatchObject({
      state: 'subscribed',
      subscriptions: [
        {
          planSlug: 'starter-plan',
          planName: { en: 'Starter' },
          status: 'active',
          canceled: false,
        },
      ],
    });
    const portal = await browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(portal.status).toBe(200);
    // The opened portal is recorded after the answer (decision 27).
    await app.deps.portalAudit.settled();

    const activity = await database.db
      .select({ kind: accountActivity.kind, detail: accountActivity.detail })
      .from(accountActivity)
      .where(eq(accountActivity.userId, userId))
      .orderBy(accountActivity.id);
    expect(activity.filter((row) => row.kind !== 'sign_in')).toEqual([
      { kind: 'checkout_started', detail: { plan: 'starter-plan' } },
      { kind: 'subscription_changed', detail: { status: 'active' } },
      { kind: 'portal_opened', detail: {} },
    ]);
  });

  it('refuses a second subscription while one is active, and calls no checkout', async () => {
    const { browser } = await newUser({ verified: true });
    const first = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    await payEmulatorCheckout(first.json.result.data.url, TEST_CARDS.success);
    await app.emulator?.webhooksIdle();

    const before = checkoutCount();
    const second = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(second.status).toBe(409);
    expect(second.json.error.data.reason).toBe('already_subscribed');
    expect(checkoutCount()).toBe(before);
  });

  it('opens one checkout for five clicks at once, and offers it again for the same plan', async () => {
    const { browser } = await newUser({ verified: true });
    const before = checkoutCount();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        browser.call('/trpc/billing.createCheckoutSession', { body: { plan: 'pro-plan' } }),
      ),
    );
    expect(checkoutCount() - before).toBe(1);
    const urls = new Set(
      answers.filter((a) => a.status === 200).map((a) => a.json.result.data.url),
    );
    expect(urls.size).toBe(1);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      expect(refused.status).toBe(409);
      expect(refused.json.error.data.reason).toBe('checkout_in_progress');
    }
    const again = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(urls.has(again.json.result.data.url)).toBe(true);
    expect(checkoutCount() - before).toBe(1);

    const otherPlan = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    expect(urls.has(otherPlan.json.result.data.url)).toBe(false);
    expect(checkoutCount() - before).toBe(2);
  });

  it('frees the claim when Recur fails, so the next click opens a checkout', async () => {
    const { browser } = await newUser({ verified: true });
    app.emulator?.injectFault({ mode: 'server_error', count: 1, path: '/v1/checkout/sessions' });
    const failed = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(failed.status).toBe(503);
    const retried = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(retried.status).toBe(200);
  });

  it('refuses checkout until the email address is verified, and calls no checkout', async () => {
    const { browser } = await newUser({ verified: false });
    const before = checkoutCount();
    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(checkout.status).toBe(403);
    expect(checkout.json.error.data.reason).toBe('email_unverified');
    expect(checkoutCount()).toBe(before);
  });

  it('creates nothing when the card is declined', async () => {
    const { browser } = await newUser({ verified: true });
    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    const customersBefore = app.emulator?.state().customers.length;
    const declined = await payEmulatorCheckout(checkout.json.result.data.url, TEST_CARDS.declined);
    expect(declined.status).toBe(402);
    await app.emulator?.webhooksIdle();
    expect(app.emulator?.state().customers.length).toBe(customersBefore);
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toEqual({ state: 'none', ended: false });
  });

  it('refuses an unknown plan and a customer id smuggled into checkout', async () => {
    const { browser } = await newUser({ verified: true });
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
  it('answers no subscription when Recur knows no customer for the user', async () => {
    const { browser } = await newUser({ verified: false });
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toEqual({ state: 'none', ended: false });
  });

  it('answers 503 billing_unavailable while Recur is down', async () => {
    const { browser } = await newUser({ verified: false });
    app.emulator?.injectFault({ mode: 'server_error', count: 1 });
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.status).toBe(503);
    expect(status.json.error.data.reason).toBe('billing_unavailable');
    app.emulator?.clearFaults();
  });
});
