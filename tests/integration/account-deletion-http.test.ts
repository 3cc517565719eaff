// Deleting an account over real HTTP, with the emulator as Recur and a real SMTP server: refused
// for a wrong password, for the demo subscriber and while Recur is down; otherwise the rows go, the
// billing trail stays without the user, the cookie is cleared and the confirmation arrives.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { portalSessionAudit, sessions, users } from '../../db/schema';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { type RunningEmulator, startEmulator } from '../../emulator';
import type { RunningApp } from '../../server/app';
import { deletionText } from '../../server/mail/deletion-mail';
import { demoBrowser, httpClient, signUpAndSignIn } from '../support/http';
import { recurEnv, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { startTestMailbox, type TestMailbox } from '../support/test-mailbox';

const password = 'correct horse battery';
let database: Database;
let emulator: RunningEmulator;
let mailbox: TestMailbox;
let app: RunningApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccount(database.db);
  emulator = await startEmulator({ port: 0 });
  mailbox = await startTestMailbox();
  app = await startTestApp(database, {
    env: {
      ...recurEnv(emulator),
      RECUR_TIMEOUT_MS: '1000',
      SMTP_URL: mailbox.url,
      MAIL_FROM: 'no-reply@example.com',
    },
  });
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await emulator.close();
  await database.close();
});
beforeEach(() => emulator.clearFaults());

const deleteAccount = (browser: ReturnType<typeof httpClient>, body: unknown) =>
  browser.call('/trpc/account.delete', { body });

const userCount = async (email: string) => database.db.$count(users, eq(users.email, email));

describe('account.delete over HTTP', () => {
  it('a wrong password: 403 wrong_password, and the account stays', async () => {
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email: 'wrong-password@example.com', password });
    const response = await deleteAccount(browser, { password: 'not the password' });
    expect(response.status).toBe(403);
    expect(response.json.error.data.reason).toBe('wrong_password');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await userCount('wrong-password@example.com')).toBe(1);
  });

  it('the demo subscriber (active at Recur): 409 subscription_active, and the account stays', async () => {
    const demo = await demoBrowser(app.url);
    const response = await deleteAccount(demo, { password: DEMO_ACCOUNT.password });
    expect(response.status).toBe(409);
    expect(response.json.error.data.reason).toBe('subscription_active');
    expect(await userCount(DEMO_ACCOUNT.email)).toBe(1);
    expect((await demo.call('/trpc/auth.me')).json.result.data.email).toBe(DEMO_ACCOUNT.email);
  });

  it('Recur down: 503 billing_unavailable, and nothing is deleted', async () => {
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email: 'recur-down@example.com', password });
    emulator.injectFault({ mode: 'server_error', path: '/v1/subscriptions' });
    const response = await deleteAccount(browser, { password });
    expect(response.status).toBe(503);
    expect(response.json.error.data.reason).toBe('billing_unavailable');
    expect(await userCount('recur-down@example.com')).toBe(1);
    expect((await browser.call('/trpc/auth.me')).json.result.data).not.toBeNull();
  });

  it('success: rows gone, audit kept without the user, cookie cleared, mail sent, no sign-in', async () => {
    const email = 'leaving@example.com';
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email, password, locale: 'en' });
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const userId = user?.id ?? '';
    // Opening the portal leaves an audit row (no Recur customer yet: no_customer).
    expect((await browser.call('/trpc/billing.createPortalSession', { body: {} })).status).toBe(
      404,
    );
    await app.deps.portalAudit.settled();
    const audit = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.userId, userId));
    expect(audit).toHaveLength(1);

    const response = await deleteAccount(browser, { password });
    expect(response.status).toBe(200);
    expect(response.json.result.data).toEqual({ ok: true });
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^session=; HttpOnly; Max-Age=0; Path=\/; SameSite=Lax/),
    ]);

    expect(await userCount(email)).toBe(0);
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(0);
    const [kept] = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.id, audit[0]?.id ?? 0));
    expect(kept).toMatchObject({ userId: null, outcome: 'no_customer' });

    const mail = await mailbox.waitFor(email, deletionText.en.subject);
    expect(mail.text).toContain(deletionText.en.paragraphs[0]);

    expect((await browser.call('/trpc/auth.me')).json.result.data).toBeNull();
    const signIn = await httpClient(app.url).call('/trpc/auth.signIn', {
      body: { email, password },
    });
    expect(signIn.status).toBe(401);
    expect(signIn.json.error.data.reason).toBe('invalid_credentials');
  });
});
