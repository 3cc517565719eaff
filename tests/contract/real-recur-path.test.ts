// The whole billing path against a stand-in built from Recur's public material alone (not our
// emulator): checkout → webhook → linked account → subscription status → portal, in each
// documented event form and signature encoding, and with no webhook at all.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import type { RunningApp } from '../../server/app';
import { httpClient, signUpAndSignIn } from '../support/http';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { type RecurStandin, type StandinOptions, startRecurStandin } from './recur-standin';

const WEBHOOK_SECRET = 'whsec_standin_path';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

let running: { app: RunningApp; standin: RecurStandin } | undefined;
afterEach(async () => {
  await running?.app.close();
  await running?.standin.close();
  running = undefined;
});

async function startPath(
  form: Omit<StandinOptions, 'webhookSecret' | 'webhookUrl'>,
  webhooks = true,
) {
  const options: StandinOptions = { ...form, webhookSecret: WEBHOOK_SECRET };
  const standin = await startRecurStandin(options);
  const app = await startTestApp(await database.openAnotherConnection(), {
    env: {
      RECUR_SECRET_KEY: standin.secretKey,
      RECUR_API_URL: standin.url,
      RECUR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      RECUR_PRODUCT_IDS: 'pro-plan=prod_pro',
    },
  });
  if (webhooks) options.webhookUrl = `${app.url}/api/webhooks/recur`;
  running = { app, standin };
  return running;
}

let counter = 0;
async function verifiedUser(app: RunningApp) {
  const email = `path-${++counter}-${Date.now()}@example.com`;
  const browser = httpClient(app.url);
  await signUpAndSignIn(browser, { email, password: 'a long password for tests', locale: 'en' });
  const [row] = await database.db
    .update(users)
    .set({ emailVerifiedAt: new Date() })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error('no user row');
  return { browser, email, userId: row.id };
}

const checkoutIdOf = (url: string) => new URL(url).pathname.split('/').pop() ?? '';
const customerIdOf = async (userId: string) =>
  (await database.db.select().from(users).where(eq(users.id, userId)))[0]?.recurCustomerId;

describe.each([
  { eventForm: 'snake', signatureEncoding: 'base64', eventOrder: 'checkout-first' },
  { eventForm: 'camel', signatureEncoding: 'hex', eventOrder: 'docs' },
] as const)(
  'documented forms: $eventForm events, $signatureEncoding signatures, $eventOrder order',
  (form) => {
    it('checkout → webhook → linked account → subscription status → portal', async () => {
      const { app, standin } = await startPath(form);
      const { browser, email, userId } = await verifiedUser(app);

      const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
        body: { plan: 'pro-plan' },
      });
      expect(checkout.status).toBe(200);
      const sent = standin.checkoutRequests.at(-1);
      expect(sent).toMatchObject({
        productId: 'prod_pro',
        externalCustomerId: userId,
        customerEmail: email,
        mode: 'SUBSCRIPTION',
      });
      expect(sent).not.toHaveProperty('productSlug');

      const { customerId } = await standin.pay(checkoutIdOf(checkout.json.result.data.url));
      expect(
        standin.deliveries.every((delivery) => delivery.status === 200 || delivery.status === 503),
      ).toBe(true);
      expect(await customerIdOf(userId)).toBe(customerId);

      const status = await browser.call('/trpc/billing.subscription');
      expect(status.json.result.data).toMatchObject({
        state: 'subscribed',
        subscriptions: [{ planSlug: 'pro-plan', status: 'active', canceled: false }],
      });

      const portal = await browser.call('/trpc/billing.createPortalSession', { body: {} });
      expect(portal.status).toBe(200);
      expect(portal.json.result.data.url).toMatch(new RegExp(`^${standin.url}/s/`));

      const again = await browser.call('/trpc/billing.createCheckoutSession', {
        body: { plan: 'starter-plan' },
      });
      expect(again.json.error.data.reason).toBe('already_subscribed');
    });
  },
);

describe('no webhook ever delivered', () => {
  it('still shows the plan and opens the portal, by the external id sent at checkout', async () => {
    const { app, standin } = await startPath(
      { eventForm: 'snake', signatureEncoding: 'hex' },
      false,
    );
    const { browser, userId } = await verifiedUser(app);
    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    expect(standin.checkoutRequests.at(-1)).toMatchObject({
      productSlug: 'starter-plan',
      externalCustomerId: userId,
    });
    expect(standin.checkoutRequests.at(-1)).not.toHaveProperty('productId');
    const { customerId } = await standin.pay(checkoutIdOf(checkout.json.result.data.url));
    expect(await customerIdOf(userId)).toBeNull();

    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toMatchObject({
      state: 'subscribed',
      subscriptions: [{ planSlug: 'starter-plan', status: 'active' }],
    });
    const portal = await browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(portal.status).toBe(200);
    expect(await customerIdOf(userId)).toBe(customerId);
  });

  it('shows "canceled, access until" from the documented canceled_at', async () => {
    const { app, standin } = await startPath({ eventForm: 'snake', signatureEncoding: 'hex' });
    const { browser } = await verifiedUser(app);
    const checkout = await browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'starter-plan' },
    });
    const { subscriptionId } = await standin.pay(checkoutIdOf(checkout.json.result.data.url));
    await standin.cancel(subscriptionId);
    const status = await browser.call('/trpc/billing.subscription');
    expect(status.json.result.data).toMatchObject({
      state: 'subscribed',
      subscriptions: [{ planSlug: 'starter-plan', canceled: true }],
    });
  });
});
