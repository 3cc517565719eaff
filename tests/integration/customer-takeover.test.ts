// The billing takeover, tried for real: someone signs up with an address whose Recur customer
// belongs to another person and pays. Recur (and the emulator, on purpose) attaches that checkout
// to the existing customer with the same email. Nothing may hand that customer to the newcomer.
// Runs on PGlite, and on the Postgres server when TEST_DATABASE_URL is set.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { users } from '../../db/schema';
import { DEMO_CUSTOMER_EMAIL } from '../../emulator';
import type { RunningApp } from '../../server/app';
import { payEmulatorCheckout, TEST_CARDS } from '../support/emulator-checkout';
import { httpClient, signUpAndSignIn } from '../support/http';
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

async function signUp(email: string) {
  const browser = httpClient(app.url);
  await signUpAndSignIn(browser, { email, password: 'a long password for tests', locale: 'en' });
  const [row] = await database.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error('no user row');
  return { browser, userId: row.id };
}

const markVerified = (userId: string) =>
  database.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
const rowOf = async (userId: string) =>
  (await database.db.select().from(users).where(eq(users.id, userId)))[0];

async function subscribe(browser: ReturnType<typeof httpClient>, plan: string) {
  const checkout = await browser.call('/trpc/billing.createCheckoutSession', { body: { plan } });
  expect(checkout.status).toBe(200);
  expect(
    (await payEmulatorCheckout(checkout.json.result.data.url, TEST_CARDS.success)).status,
  ).toBe(303);
  await app.emulator?.webhooksIdle();
}

describe('signing up with the address of an existing Recur customer', () => {
  it("cannot check out before proving the address, nor reach that customer's billing", async () => {
    // The emulator's demo customer has a subscription; no account in this database holds it.
    const attacker = await signUp(DEMO_CUSTOMER_EMAIL);
    const before = app.emulator?.state().checkoutSessions.length;
    const checkout = await attacker.browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(checkout.status).toBe(403);
    expect(checkout.json.error.data.reason).toBe('email_unverified');
    expect(app.emulator?.state().checkoutSessions.length).toBe(before);

    const status = await attacker.browser.call('/trpc/billing.subscription');
    expect(status.json.result.data.state).toBe('none');
    const portal = await attacker.browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(portal.json.error.data.reason).toBe('no_customer');
    expect((await rowOf(attacker.userId))?.recurCustomerId).toBeNull();
  });

  it("cannot pay into, see, open or link the other person's customer, even owning the address", async () => {
    const oldEmail = `victim-${Date.now()}@example.com`;
    const victim = await signUp(oldEmail);
    await markVerified(victim.userId);
    await subscribe(victim.browser, 'starter-plan');
    const victimCustomer = (await rowOf(victim.userId))?.recurCustomerId;
    expect(victimCustomer).toMatch(/^cus_/);

    // The victim moves to a new address here; Recur's customer keeps the old one.
    await database.db
      .update(users)
      .set({ email: `moved-${oldEmail}` })
      .where(eq(users.id, victim.userId));
    const attacker = await signUp(oldEmail);
    await markVerified(attacker.userId);
    // Recur would attach this payment to the victim's customer (same email): refused up front.
    const before = app.emulator?.state().checkoutSessions.length;
    const checkout = await attacker.browser.call('/trpc/billing.createCheckoutSession', {
      body: { plan: 'pro-plan' },
    });
    expect(checkout.status).toBe(409);
    expect(checkout.json.error.data.reason).toBe('billing_email_conflict');
    expect(app.emulator?.state().checkoutSessions.length).toBe(before);

    const status = await attacker.browser.call('/trpc/billing.subscription');
    expect(status.json.result.data.state).toBe('none');
    const portalsBefore = app.emulator?.state().portalSessions.length;
    const portal = await attacker.browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(portal.status).toBe(404);
    expect(portal.json.error.data.reason).toBe('no_customer');
    expect(app.emulator?.state().portalSessions.length).toBe(portalsBefore);
    expect((await rowOf(attacker.userId))?.recurCustomerId).toBeNull();
    expect((await rowOf(victim.userId))?.recurCustomerId).toBe(victimCustomer);

    const victimPortal = await victim.browser.call('/trpc/billing.createPortalSession', {
      body: {},
    });
    expect(victimPortal.status).toBe(200);
  });
});
