import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import {
  accountActivity,
  accountTokens,
  emailVerificationTokens,
  portalSessionAudit,
  recurCheckouts,
  recurLinkConflicts,
  sessions,
  users,
} from '../../db/schema';
import {
  DEMO_CUSTOMER_ID,
  DEMO_SUBSCRIPTION_ID,
  type RunningEmulator,
  startEmulator,
} from '../../emulator';
import { rejection as failure } from '../../tests/support/app-error';
import {
  createLogCollector,
  createTestClient,
  createTestDeps,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { startTestMailbox, type TestMailbox } from '../../tests/support/test-mailbox';
import { signedInClient, TEST_PASSWORD } from '../../tests/support/test-users';
import { issueVerificationToken } from '../auth/email-verification';
import { createRecurClient } from '../billing/recur-client';
import { deletionText } from '../mail/deletion-mail';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import type { AppDeps } from '../trpc/context';

let database: Database;
let emulator: RunningEmulator;
let mailbox: TestMailbox;
let deps: AppDeps;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startEmulator({ port: 0 });
  mailbox = await startTestMailbox();
  deps = createTestDeps(database, {
    log: logs.log,
    mailer: mailbox.mailer(logs.log),
    recur: createRecurClient({
      secretKey: emulator.secretKey,
      apiUrl: emulator.url,
      timeoutMs: 500,
    }),
  });
});
afterAll(async () => {
  await mailbox.close();
  await emulator.close();
  await database.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearFaults();
});

const userExists = async (userId: string) =>
  (await database.db.$count(users, eq(users.id, userId))) === 1;

describe('account.delete refuses, and deletes nothing', () => {
  it('with a wrong password (without asking Recur)', async () => {
    const { client, userId } = await signedInClient(deps);
    emulator.injectFault({ mode: 'server_error', path: '/v1/subscriptions' });
    const error = await failure(
      (await client.caller()).account.delete({ password: 'not my password at all' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.reason).toBe('wrong_password');
    expect(error.message).toBe('The password is not correct.');
    expect(emulator.faults()).toHaveLength(1); // Recur was never called
    expect(await userExists(userId)).toBe(true);
    expect(await (await client.caller()).auth.me()).not.toBeNull();
  });

  it('after 5 attempts an hour, with 429 and the wait (per user)', async () => {
    const limited = createTestDeps(database, {
      config: testConfig({ RATE_LIMIT_SCALE: '1' }),
      rateLimiter: createRateLimiter(database.bookkeepingDb, { scale: 1 }),
      recur: deps.recur,
    });
    const { client, userId } = await signedInClient(limited);
    const attempt = async () =>
      (await client.caller()).account.delete({ password: 'not my password at all' });
    for (let i = 0; i < 5; i++) expect((await failure(attempt())).reason).toBe('wrong_password');
    const limitedError = await failure(attempt());
    expect(limitedError.code).toBe('TOO_MANY_REQUESTS');
    expect(limitedError.reason).toBe('rate_limited');
    expect(limitedError.retryAfterSeconds).toBeGreaterThan(0);
    // Even the right password waits now.
    const right = await failure(
      (await client.caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(right.reason).toBe('rate_limited');
    expect(await userExists(userId)).toBe(true);
    // Another user has attempts of their own.
    const { client: other } = await signedInClient(limited);
    const otherError = await failure(
      (await other.caller()).account.delete({ password: 'not my password at all' }),
    );
    expect(otherError.reason).toBe('wrong_password');
  });

  it('while a subscription still gives access (the emulator’s demo customer is active)', async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    const error = await failure(
      (await client.caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.reason).toBe('subscription_active');
    expect(await userExists(userId)).toBe(true);
    expect(await (await client.caller()).auth.me()).not.toBeNull();
  });

  it('while a cancelled subscription runs to the end of its paid period', async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, {
      status: 'canceled',
      currentPeriodEnd: Date.now() + 7 * 86_400_000,
    });
    const error = await failure(
      (await client.caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(error.reason).toBe('subscription_active');
    expect(await userExists(userId)).toBe(true);
  });

  it.each([
    ['server_error', 'SERVICE_UNAVAILABLE', 'billing_unavailable'],
    ['hang', 'SERVICE_UNAVAILABLE', 'billing_unavailable'],
    ['non_json', 'SERVICE_UNAVAILABLE', 'billing_unavailable'],
    ['rate_limit', 'TOO_MANY_REQUESTS', 'rate_limited'],
  ] as const)('when Recur fails (%s): %s %s', async (mode, code, reason) => {
    const { client, userId } = await signedInClient(deps);
    emulator.injectFault({ mode, path: '/v1/subscriptions', delayMs: 2000 });
    const error = await failure(
      (await client.caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(await userExists(userId)).toBe(true);
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(1);
    expect(await (await client.caller()).auth.me()).not.toBeNull();
  });

  it('when nothing answers at Recur’s address', async () => {
    const down = createTestDeps(database, {
      recur: createRecurClient({
        secretKey: emulator.secretKey,
        apiUrl: 'http://127.0.0.1:1',
        timeoutMs: 500,
      }),
    });
    const { client, userId } = await signedInClient(down);
    const error = await failure(
      (await client.caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.reason).toBe('billing_unavailable');
    expect(await userExists(userId)).toBe(true);
  });

  it.each([[{}], [{ password: '' }], [{ password: TEST_PASSWORD, userId: 'someone-else' }]])(
    'with the input %o',
    async (input) => {
      const { client, userId } = await signedInClient(deps);
      const error = await failure((await client.caller()).account.delete(input as never));
      expect(error.code).toBe('BAD_REQUEST');
      expect(await userExists(userId)).toBe(true);
    },
  );

  it('when signed out', async () => {
    const error = await failure(
      (await createTestClient(deps).caller()).account.delete({ password: TEST_PASSWORD }),
    );
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('account.delete', () => {
  it('removes every row of the account in one go and keeps the billing trail without the user', async () => {
    const { client, email, userId } = await signedInClient(deps, { locale: 'en' });
    const { client: bystander, userId: bystanderId } = await signedInClient(deps);
    // Something of each kind the account can hold.
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    await issueVerificationToken(database.db, { userId, email, now: new Date() });
    for (const purpose of ['password_reset', 'email_change', 'email_change_report'] as const) {
      await database.db.insert(accountTokens).values({
        tokenHash: `${purpose}-${userId}`,
        userId,
        purpose,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
    }
    await database.db.insert(recurCheckouts).values({
      userId,
      plan: 'starter-plan',
      url: 'https://checkout.example/cs_1',
      reusableUntil: new Date(Date.now() + 600_000),
    });
    const [audit] = await database.db
      .insert(portalSessionAudit)
      .values({ userId, recurCustomerId: 'cus_gone', outcome: 'created' })
      .returning();
    const [conflict] = await database.db
      .insert(recurLinkConflicts)
      .values({ userId, refusedCustomerId: 'cus_other', source: 'lookup:test' })
      .returning();
    const [bystanderAudit] = await database.db
      .insert(portalSessionAudit)
      .values({ userId: bystanderId, recurCustomerId: null, outcome: 'no_customer' })
      .returning();

    const result = await (await client.caller()).account.delete({ password: TEST_PASSWORD });
    expect(result).toEqual({ ok: true });

    // Every row of the account is gone.
    expect(await userExists(userId)).toBe(false);
    for (const [table, column] of [
      [sessions, sessions.userId],
      [emailVerificationTokens, emailVerificationTokens.userId],
      [accountTokens, accountTokens.userId],
      [accountActivity, accountActivity.userId],
      [recurCheckouts, recurCheckouts.userId],
    ] as const) {
      expect(await database.db.$count(table, eq(column, userId))).toBe(0);
    }
    // The billing trail stays, naming nobody.
    const [auditAfter] = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.id, audit?.id ?? 0));
    expect(auditAfter).toMatchObject({ userId: null, recurCustomerId: 'cus_gone' });
    const [conflictAfter] = await database.db
      .select()
      .from(recurLinkConflicts)
      .where(eq(recurLinkConflicts.id, conflict?.id ?? 0));
    expect(conflictAfter).toMatchObject({ userId: null, refusedCustomerId: 'cus_other' });
    // Nobody else's.
    const [bystanderAuditAfter] = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.id, bystanderAudit?.id ?? 0));
    expect(bystanderAuditAfter?.userId).toBe(bystanderId);
    expect(await (await bystander.caller()).auth.me()).not.toBeNull();

    // This browser's cookie is cleared; the other device is signed out too.
    expect(client.setCookies.at(-1)).toMatch(/^session=;/);
    expect(await (await client.caller()).auth.me()).toBeNull();
    expect(await (await phone.caller()).auth.me()).toBeNull();

    // The confirmation, in the account's language.
    const mail = await mailbox.waitFor(email, deletionText.en.subject);
    expect(mail.text).toContain(deletionText.en.paragraphs[0]);
    expect(mail.html).toContain('lang="en"');

    // The password no longer signs in, with the answer an unknown address gets.
    const again = await failure(
      (await createTestClient(deps).caller()).auth.signIn({ email, password: TEST_PASSWORD }),
    );
    expect(again.reason).toBe('invalid_credentials');
    // And the address is free for a new account.
    await (await createTestClient(deps).caller()).auth.signUp({ email, password: TEST_PASSWORD });
    expect(await database.db.$count(users, eq(users.email, email))).toBe(1);
  });

  it('is one transaction: a failure at the last step leaves every row as it was', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const [audit] = await database.db
      .insert(portalSessionAudit)
      .values({ userId, recurCustomerId: null, outcome: 'no_customer' })
      .returning();
    // A table of someone's own that refers to users without a cascade: deleting the user fails.
    await database.db.execute(
      sql`create table deletion_blocker (user_id text not null references users(id))`,
    );
    try {
      await database.db.execute(sql`insert into deletion_blocker values (${userId})`);
      await failure((await client.caller()).account.delete({ password: TEST_PASSWORD }));
    } finally {
      await database.db.execute(sql`drop table deletion_blocker`);
    }
    expect(await userExists(userId)).toBe(true);
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(1);
    expect(await database.db.$count(accountActivity, eq(accountActivity.userId, userId))).toBe(1);
    const [auditAfter] = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.id, audit?.id ?? 0));
    expect(auditAfter?.userId).toBe(userId);
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
    await deps.mailer.idle();
    expect(
      mailbox.messages.some((m) => m.to.includes(email) && /deleted|刪除/.test(m.subject)),
    ).toBe(false);
  });

  it('mails in Chinese to a zh-TW account', async () => {
    const { client, email } = await signedInClient(deps, { locale: 'zh-TW' });
    await (await client.caller()).account.delete({ password: TEST_PASSWORD });
    const mail = await mailbox.waitFor(email, deletionText['zh-TW'].subject);
    expect(mail.text).toContain(deletionText['zh-TW'].paragraphs[0]);
  });

  it('goes ahead once the subscription has ended', async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'expired' });
    await (await client.caller()).account.delete({ password: TEST_PASSWORD });
    expect(await userExists(userId)).toBe(false);
  });

  it('a mail server that is down does not stop it', async () => {
    mailbox.refuse(true);
    try {
      const { client, userId } = await signedInClient(deps);
      expect(await (await client.caller()).account.delete({ password: TEST_PASSWORD })).toEqual({
        ok: true,
      });
      expect(await userExists(userId)).toBe(false);
      await deps.mailer.idle();
      expect(logs.lines.some((line) => line.includes('account deletion mail'))).toBe(true);
    } finally {
      mailbox.refuse(false);
    }
  });
});
