import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { sessions, users } from '../../db/schema';
import {
  activityKindsOf,
  activityOf,
  mailLinkIn,
  tokensOf,
  userRow,
} from '../../tests/support/account-security';
import { rejection } from '../../tests/support/app-error';
import {
  createTestClient,
  createTestDeps,
  type TestClient,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { startTestMailbox, type TestMailbox } from '../../tests/support/test-mailbox';
import { signedInClient, TEST_PASSWORD } from '../../tests/support/test-users';
import { sha256 } from '../auth/email-verification';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import type { AppDeps } from '../trpc/context';
import type { AppError } from '../trpc/errors';

let database: Database;
let mailbox: TestMailbox;
let deps: AppDeps;
let clock = Date.parse('2026-06-01T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  deps = createTestDeps(database, { mailer: mailbox.mailer(), now: () => clock });
});
afterAll(async () => {
  await mailbox.close();
  await database.close();
});
beforeEach(() => {
  clock += 30 * 86_400_000;
});

const CONFIRM_SUBJECT = /Confirm your new email|新電子郵件地址/;
const IN_USE_SUBJECT = /another Acme SaaS account|另一個 Acme SaaS 帳戶/;
const CHANGED_SUBJECT = /email address of your|帳戶電子郵件地址已變更/;

let counter = 0;
const freshAddress = (name = 'new') => `${name}-${++counter}-${Date.now()}@example.com`;

const ask = async (client: TestClient, email: string, currentPassword = TEST_PASSWORD) =>
  (await client.caller()).security.requestEmailChange({ currentPassword, email });

const confirm = async (token: string, client = createTestClient(deps)) =>
  (await client.caller()).security.confirmEmailChange({ token });

const report = async (token: string, client = createTestClient(deps)) =>
  (await client.caller()).security.reportEmailChange({ token });

const me = async (client: TestClient) => (await client.caller()).auth.me();

async function signIn(email: string) {
  const client = createTestClient(deps);
  return (await client.caller()).auth.signIn({ email, password: TEST_PASSWORD }).then(
    () => 'signed in',
    (error: AppError) => error.reason,
  );
}

/** A user who asked to move to a new address, with the link mailed there. */
async function askedToMove(options: Parameters<typeof signedInClient>[1] = {}) {
  const user = await signedInClient(deps, { verified: true, ...options });
  const newEmail = freshAddress();
  expect(await ask(user.client, newEmail)).toEqual({ sentTo: newEmail });
  const mail = await mailbox.waitFor(newEmail, CONFIRM_SUBJECT);
  return { ...user, newEmail, mail, ...mailLinkIn(mail, '/confirm-email-change') };
}

/** A user who moved to a new address, with the "this was not me" link mailed to the old one. */
async function moved(options: Parameters<typeof signedInClient>[1] = {}) {
  const user = await askedToMove(options);
  expect(await confirm(user.token)).toEqual({ outcome: 'changed', email: user.newEmail });
  const notice = await mailbox.waitFor(user.email, CHANGED_SUBJECT);
  return { ...user, notice, reportToken: mailLinkIn(notice, '/report-email-change').token };
}

describe('asking for a new address', () => {
  it('changes nothing until the link is followed', async () => {
    const { client, email, userId, newEmail, token } = await askedToMove();
    expect(await me(client)).toMatchObject({ email, emailVerified: true });
    expect(await signIn(email)).toBe('signed in');
    const rows = await tokensOf(database.db, userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      purpose: 'email_change',
      newEmail,
      tokenHash: sha256(token),
      usedAt: null,
    });
    expect(rows[0]?.expiresAt.getTime()).toBe(clock + 24 * 3_600_000);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await activityKindsOf(database.db, userId)).toEqual(['email_change_requested']);
  });

  it.each([
    ['en', 'Confirm your new email address for Acme SaaS', 'Confirm my new address'],
    ['zh-TW', '請確認您在 Acme SaaS 的新電子郵件地址', '確認我的新地址'],
  ] as const)(
    'mails the new address in the user’s language (%s), linking to APP_URL',
    async (locale, subject, button) => {
      const { email, mail, link, token } = await askedToMove({ locale });
      expect(mail.subject).toBe(subject);
      expect(link).toBe(`${deps.config.appUrl}/confirm-email-change?token=${token}`);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.html).toContain(button);
      expect(mail.html).toContain(`lang="${locale}"`);
      // Nothing about the account it belongs to.
      expect(mail.text).not.toContain(email);
      expect(mail.html).not.toContain(email);
    },
  );

  it('lower-cases the new address', async () => {
    const { client, userId } = await signedInClient(deps);
    const newEmail = freshAddress('Mixed.Case');
    expect(await ask(client, `  ${newEmail.toUpperCase()} `)).toEqual({
      sentTo: newEmail.toLowerCase(),
    });
    expect((await tokensOf(database.db, userId))[0]?.newEmail).toBe(newEmail.toLowerCase());
  });

  it('needs the current password: a wrong one writes nothing and mails nobody', async () => {
    const { client, userId } = await signedInClient(deps);
    const newEmail = freshAddress();
    const error = await rejection(ask(client, newEmail, 'not the password'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.reason).toBe('wrong_password');
    expect(await tokensOf(database.db, userId)).toEqual([]);
    expect(await activityKindsOf(database.db, userId)).toEqual([]);
    await deps.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes(newEmail))).toEqual([]);
  });

  it('refuses the address the account has already, in any case', async () => {
    const { client, email } = await signedInClient(deps);
    const error = await rejection(ask(client, email.toUpperCase()));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('same_email');
  });

  it('needs a session', async () => {
    const error = await rejection(ask(createTestClient(deps), freshAddress()));
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('revokes the earlier link when a newer one is asked for', async () => {
    const { client, userId, token: first } = await askedToMove();
    const second = freshAddress();
    await ask(client, second);
    const { token } = mailLinkIn(
      await mailbox.waitFor(second, CONFIRM_SUBJECT),
      '/confirm-email-change',
    );
    expect(await confirm(first)).toEqual({ outcome: 'invalid', email: null });
    expect(await confirm(token)).toEqual({ outcome: 'changed', email: second });
    expect((await userRow(database.db, userId)).email).toBe(second);
  });
});

describe('an address that has an account already', () => {
  it('gets the same answer and rows as a free one; its owner gets a neutral note in their language', async () => {
    const owner = await signedInClient(deps, { locale: 'en' });
    const { client, userId } = await signedInClient(deps, { locale: 'zh-TW' });
    const free = freshAddress();
    const taken = await ask(client, owner.email);
    const freeAnswer = await ask(client, free);
    expect(taken).toEqual({ sentTo: owner.email });
    expect(freeAnswer).toEqual({ sentTo: free });

    const activity = await activityOf(database.db, userId);
    expect(activity.map((row) => [row.kind, Object.keys(row.detail)])).toEqual([
      ['email_change_requested', ['email']],
      ['email_change_requested', ['email']],
    ]);
    const note = await mailbox.waitFor(owner.email, IN_USE_SUBJECT);
    expect(note.subject).toBe('Someone asked to use your address for another Acme SaaS account');
    expect(note.text).not.toMatch(/token=/);
    expect(note.html).toContain(`href="${deps.config.appUrl}/sign-in"`);
    await mailbox.waitFor(free, CONFIRM_SUBJECT);
    await deps.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes(owner.email))).toHaveLength(2);
    expect(
      mailbox.messages.filter((m) => m.to.includes(owner.email) && CONFIRM_SUBJECT.test(m.subject)),
    ).toEqual([]);
    expect((await userRow(database.db, owner.userId)).email).toBe(owner.email);
  });
});

describe('the confirmation link', () => {
  it('moves the account to the new address, verified, and leaves the Recur customer alone', async () => {
    const customer = `cus_email_${Date.now()}`;
    const { client, email, userId, newEmail, token } = await askedToMove({
      recurCustomerId: customer,
    });
    const browser = createTestClient(deps, { clientIp: '203.0.113.20', userAgent: 'Mail/3.0' });
    expect(await confirm(token, browser)).toEqual({ outcome: 'changed', email: newEmail });
    const row = await userRow(database.db, userId);
    expect(row.email).toBe(newEmail);
    expect(row.emailVerifiedAt).toEqual(new Date(clock));
    expect(row.recurCustomerId).toBe(customer);
    expect(await me(client)).toMatchObject({ email: newEmail, emailVerified: true });
    expect(await signIn(newEmail)).toBe('signed in');
    expect(await signIn(email)).toBe('invalid_credentials');
    expect(await activityOf(database.db, userId)).toEqual([
      expect.objectContaining({ kind: 'email_change_requested', detail: { email: newEmail } }),
      {
        kind: 'email_changed',
        detail: { from: email, to: newEmail },
        ip: '203.0.113.20',
        userAgent: 'Mail/3.0',
      },
    ]);
  });

  it('works once; the second use answers used', async () => {
    const { token } = await askedToMove();
    expect((await confirm(token)).outcome).toBe('changed');
    expect(await confirm(token)).toEqual({ outcome: 'used', email: null });
  });

  it('of two uses at once, exactly one changes the address', async () => {
    const { userId, token } = await askedToMove();
    const outcomes = await Promise.all([1, 2, 3].map(async () => (await confirm(token)).outcome));
    expect(outcomes.sort()).toEqual(['changed', 'used', 'used']);
    expect(
      (await activityKindsOf(database.db, userId)).filter((k) => k === 'email_changed'),
    ).toHaveLength(1);
  });

  it('answers expired after 24 hours, and the address stays', async () => {
    const { email, userId, token } = await askedToMove();
    clock += 24 * 3_600_000;
    expect(await confirm(token)).toEqual({ outcome: 'expired', email: null });
    expect((await userRow(database.db, userId)).email).toBe(email);
  });

  it('works until the last second of the 24 hours', async () => {
    const { token } = await askedToMove();
    clock += 24 * 3_600_000 - 1000;
    expect((await confirm(token)).outcome).toBe('changed');
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a malformed token', '../../etc'],
  ])('answers invalid for %s', async (_, token) => {
    expect(await confirm(token)).toEqual({ outcome: 'invalid', email: null });
  });

  it('does not take a link of another kind', async () => {
    const { email } = await signedInClient(deps);
    await (await createTestClient(deps).caller()).security.requestPasswordReset({ email });
    const { token } = mailLinkIn(
      await mailbox.waitFor(email, /Reset your|重設您的/),
      '/reset-password',
    );
    expect(await confirm(token)).toEqual({ outcome: 'invalid', email: null });
  });

  it('stops a reset link mailed to the address being left', async () => {
    const { userId, email, token } = await askedToMove();
    await (await createTestClient(deps).caller()).security.requestPasswordReset({ email });
    await mailbox.waitFor(email, /password|密碼/i);
    expect(
      (await tokensOf(database.db, userId)).filter(
        (t) => t.purpose === 'password_reset' && !t.usedAt,
      ),
    ).toHaveLength(1);
    await confirm(token);
    expect(
      (await tokensOf(database.db, userId)).filter(
        (t) => t.purpose === 'password_reset' && !t.usedAt,
      ),
    ).toEqual([]);
  });

  it('answers taken, and changes nothing, when the address got an account meanwhile', async () => {
    const { email, userId, newEmail, token } = await askedToMove();
    await (await createTestClient(deps).caller()).auth.signUp({
      email: newEmail,
      password: TEST_PASSWORD,
    });
    expect(await confirm(token)).toEqual({ outcome: 'taken', email: null });
    expect((await userRow(database.db, userId)).email).toBe(email);
    expect(await activityKindsOf(database.db, userId)).toEqual(['email_change_requested']);
    // Rolled back whole: the link is not spent, and says the same again.
    expect((await tokensOf(database.db, userId))[0]?.usedAt).toBeNull();
    expect(await confirm(token)).toEqual({ outcome: 'taken', email: null });
    await deps.mailer.idle();
    expect(
      mailbox.messages.filter((m) => m.to.includes(email) && CHANGED_SUBJECT.test(m.subject)),
    ).toEqual([]);
  });

  it.each([
    ['en', 'The email address of your Acme SaaS account was changed', 'This was not me'],
    ['zh-TW', '您的 Acme SaaS 帳戶電子郵件地址已變更', '這不是我'],
  ] as const)(
    'tells the old address in the user’s language (%s), with a link to undo it',
    async (locale, subject, button) => {
      const { newEmail, notice, reportToken } = await moved({ locale });
      expect(notice.subject).toBe(subject);
      const link = `${deps.config.appUrl}/report-email-change?token=${reportToken}`;
      expect(notice.html).toContain(`href="${link}"`);
      expect(notice.text).toContain(`${button}: ${link}`);
      expect(notice.text).not.toContain(newEmail);
    },
  );
});

describe('"this was not me"', () => {
  it('ends every session, gives the old address back and cancels the links of whoever changed it', async () => {
    const { client, email, userId, newEmail, reportToken } = await moved();
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email: newEmail, password: TEST_PASSWORD });
    await (await client.caller()).security.requestEmailChange({
      currentPassword: TEST_PASSWORD,
      email: freshAddress(),
    });
    await (await createTestClient(deps).caller()).security.requestPasswordReset({
      email: newEmail,
    });
    const check = async () =>
      (await createTestClient(deps).caller()).security.checkEmailChangeReport({
        token: reportToken,
      });
    expect(await check()).toEqual({ outcome: 'valid' });

    const browser = createTestClient(deps, { clientIp: '203.0.113.30', userAgent: 'Old/1.0' });
    expect(await report(reportToken, browser)).toEqual({ outcome: 'reported', restored: true });
    expect(await me(client)).toBeNull();
    expect(await me(phone)).toBeNull();
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(0);
    const row = await userRow(database.db, userId);
    expect(row.email).toBe(email);
    expect(row.emailVerifiedAt).toEqual(new Date(clock));
    expect((await tokensOf(database.db, userId)).filter((t) => !t.usedAt)).toEqual([]);
    expect((await activityOf(database.db, userId)).at(-1)).toEqual({
      kind: 'email_change_reported',
      detail: { restored: email },
      ip: '203.0.113.30',
      userAgent: 'Old/1.0',
    });
    expect(await check()).toEqual({ outcome: 'used' });
    expect(await report(reportToken)).toEqual({ outcome: 'used', restored: false });
  });

  it('keeps the old address for its owner: nobody can sign up with it or move to it meanwhile', async () => {
    const { client, email, userId, reportToken } = await moved();
    await (await createTestClient(deps).caller()).auth.signUp({ email, password: TEST_PASSWORD });
    expect(await database.db.$count(users, eq(users.email, email))).toBe(0);
    const other = await signedInClient(deps, { verified: true });
    expect(await ask(other.client, email)).toEqual({ sentTo: email });
    await mailbox.waitFor(email, IN_USE_SUBJECT);

    expect(await report(reportToken)).toEqual({ outcome: 'reported', restored: true });
    expect(await me(client)).toBeNull();
    expect((await userRow(database.db, userId)).email).toBe(email);
  });

  it('stops the password whoever changed the address knew: the owner resets it', async () => {
    const { email, reportToken } = await moved();
    expect(await report(reportToken)).toEqual({ outcome: 'reported', restored: true });
    expect(await signIn(email)).toBe('invalid_credentials');
  });

  it('keeps working after a second change, and then cancels that change’s link', async () => {
    const { client, email, userId, newEmail, reportToken: first } = await moved();
    const third = freshAddress('third');
    await ask(client, third);
    const { token } = mailLinkIn(
      await mailbox.waitFor(third, CONFIRM_SUBJECT),
      '/confirm-email-change',
    );
    clock += 1000;
    expect((await confirm(token)).outcome).toBe('changed');
    expect((await userRow(database.db, userId)).email).toBe(third);
    const later = mailLinkIn(
      await mailbox.waitFor(newEmail, CHANGED_SUBJECT),
      '/report-email-change',
    ).token;

    expect(await report(first)).toEqual({ outcome: 'reported', restored: true });
    expect((await userRow(database.db, userId)).email).toBe(email);
    expect(await report(later)).toEqual({ outcome: 'invalid', restored: false });
    expect((await userRow(database.db, userId)).email).toBe(email);
  });

  it('works for 7 days', async () => {
    const { reportToken } = await moved();
    clock += 7 * 86_400_000;
    expect(await report(reportToken)).toEqual({ outcome: 'expired', restored: false });
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['an empty token', ''],
  ])('answers invalid for %s', async (_, token) => {
    expect(await report(token)).toEqual({ outcome: 'invalid', restored: false });
  });
});

describe('limits', () => {
  let limited: AppDeps;
  beforeAll(() => {
    limited = createTestDeps(database, {
      config: testConfig({ RATE_LIMIT_SCALE: '1' }),
      mailer: deps.mailer,
      rateLimiter: createRateLimiter(database.db, { now: () => clock }),
      now: () => clock,
    });
  });

  it('allow 5 address changes an hour per user, then 429 with the wait', async () => {
    const { client } = await signedInClient(limited);
    for (let i = 0; i < 5; i++) await ask(client, freshAddress());
    const error = await rejection(ask(client, freshAddress()));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it('mail one address at most 3 times a day, whoever asks, with the same answer', async () => {
    const target = freshAddress('target');
    for (let i = 0; i < 4; i++) {
      const { client } = await signedInClient(limited);
      expect(await ask(client, target)).toEqual({ sentTo: target });
    }
    await limited.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes(target))).toHaveLength(3);
  });
});
