import { type AddressInfo, createServer, type Socket } from 'node:net';
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
import { createMailer } from '../mail/mailer';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import type { AppDeps } from '../trpc/context';
import type { AppError } from '../trpc/errors';

let database: Database;
let mailbox: TestMailbox;
let deps: AppDeps;
let clock = Date.parse('2026-04-01T09:00:00Z');

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
  clock += 7 * 86_400_000;
});

const NEW_PASSWORD = 'violet tractor under moonlight';
const RESET_SUBJECT = /Reset your|重設您的/;
const CHANGED_SUBJECT = /password was changed|密碼已變更/;

const ask = async (email: string, client: TestClient = createTestClient(deps)) =>
  (await client.caller()).security.requestPasswordReset({ email });

const reset = async (token: string, password = NEW_PASSWORD, client = createTestClient(deps)) =>
  (await client.caller()).security.resetPassword({ token, password });

const check = async (token: string) =>
  (await createTestClient(deps).caller()).security.checkPasswordReset({ token });

/** A signed-in user who asked for a reset, with the mailed link. */
async function userWithResetLink(options: { locale?: 'en' | 'zh-TW'; verified?: boolean } = {}) {
  const user = await signedInClient(deps, { verified: true, ...options });
  await ask(user.email);
  const mail = await mailbox.waitFor(user.email, RESET_SUBJECT);
  return { ...user, mail, ...mailLinkIn(mail, '/reset-password') };
}

async function signIn(email: string, password: string) {
  const client = createTestClient(deps);
  return (await client.caller()).auth.signIn({ email, password }).then(
    () => 'signed in',
    (error: AppError) => error.reason,
  );
}

describe('asking for a reset', () => {
  it('answers an unknown address exactly like a registered one, and mails only the registered', async () => {
    const { email } = await signedInClient(deps);
    const unknown = `nobody-${Date.now()}@example.com`;
    expect(await ask(email)).toEqual({ ok: true });
    expect(await ask(unknown)).toEqual({ ok: true });
    await mailbox.waitFor(email, RESET_SUBJECT);
    await deps.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes(unknown))).toEqual([]);
  });

  it('answers before the mail is sent, so a registered address takes no longer to answer', async () => {
    // A mail server that accepts the connection and never says a word: a send waits on it.
    const connections: Socket[] = [];
    const silent = createServer((socket) => void connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const mailer = createMailer({
      smtp: { url: `smtp://127.0.0.1:${port}`, plain: true },
      from: 'app@example.com',
      log: () => {},
    });
    try {
      const { email } = await signedInClient(deps);
      const answer = await ask(email, createTestClient({ ...deps, mailer }));
      expect(answer).toEqual({ ok: true });
      while (connections.length === 0) await new Promise((r) => setTimeout(r, 10));
      let sent = false;
      const idle = mailer.idle().then(() => {
        sent = true;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(sent).toBe(false);
      for (const socket of connections) socket.destroy();
      await idle;
    } finally {
      silent.close();
    }
  });

  it('stores only the SHA-256 of the link, which expires in an hour', async () => {
    const { userId, token } = await userWithResetLink();
    const rows = await tokensOf(database.db, userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: 'password_reset', tokenHash: sha256(token) });
    expect(rows[0]?.expiresAt.getTime()).toBe(clock + 3_600_000);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['en', 'Reset your Acme SaaS password', 'Choose a new password'],
    ['zh-TW', '重設您的 Acme SaaS 密碼', '設定新密碼'],
  ] as const)(
    'mails in the user’s language (%s), linking to APP_URL',
    async (locale, subject, button) => {
      const { mail, link, token } = await userWithResetLink({ locale });
      expect(mail.subject).toBe(subject);
      expect(link).toBe(`${deps.config.appUrl}/reset-password?token=${token}`);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.html).toContain(button);
      expect(mail.html).toContain(`lang="${locale}"`);
      expect(mail.text).toContain(button);
    },
  );

  it('revokes the earlier link when a newer one is sent', async () => {
    const { email, token: first } = await userWithResetLink();
    await ask(email);
    const { token: second } = mailLinkIn(
      await mailbox.waitFor(email, RESET_SUBJECT),
      '/reset-password',
    );
    expect(await check(first)).toEqual({ outcome: 'invalid' });
    expect(await reset(first)).toEqual({ outcome: 'invalid' });
    expect(await reset(second)).toEqual({ outcome: 'reset' });
  });
});

describe('the reset link', () => {
  it('sets the new password once; the second use answers used', async () => {
    const { email, token } = await userWithResetLink();
    expect(await check(token)).toEqual({ outcome: 'valid' });
    expect(await reset(token)).toEqual({ outcome: 'reset' });
    expect(await signIn(email, NEW_PASSWORD)).toBe('signed in');
    expect(await signIn(email, TEST_PASSWORD)).toBe('invalid_credentials');
    expect(await check(token)).toEqual({ outcome: 'used' });
    expect(await reset(token, 'another quite long passphrase')).toEqual({ outcome: 'used' });
    expect(await signIn(email, NEW_PASSWORD)).toBe('signed in');
  });

  it('of two uses at once, exactly one resets', async () => {
    const { userId, token } = await userWithResetLink();
    const outcomes = await Promise.all(
      ['first passphrase of many words', 'second passphrase of many words'].map(
        async (password) => (await reset(token, password)).outcome,
      ),
    );
    expect(outcomes.sort()).toEqual(['reset', 'used']);
    expect(await activityKindsOf(database.db, userId)).toEqual(['password_reset']);
  });

  it('answers expired after an hour and changes nothing', async () => {
    const { email, userId, token } = await userWithResetLink();
    clock += 3_600_000;
    expect(await check(token)).toEqual({ outcome: 'expired' });
    expect(await reset(token)).toEqual({ outcome: 'expired' });
    expect(await signIn(email, TEST_PASSWORD)).toBe('signed in');
    expect(await activityKindsOf(database.db, userId)).toEqual([]);
  });

  it('works until the last second of the hour', async () => {
    const { token } = await userWithResetLink();
    clock += 3_600_000 - 1000;
    expect(await reset(token)).toEqual({ outcome: 'reset' });
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not a token'],
    ['an empty token', ''],
  ])('answers invalid for %s', async (_, token) => {
    expect(await check(token)).toEqual({ outcome: 'invalid' });
    expect(await reset(token)).toEqual({ outcome: 'invalid' });
  });

  it('refuses a weak password with its reasons, and leaves the link usable', async () => {
    const { email, userId, token } = await userWithResetLink();
    const error = await rejection(reset(token, 'password123'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('weak_password');
    expect(error.passwordFeedback).toEqual({ warning: 'common', suggestions: ['anotherWord'] });
    // The address counts as easy to guess, as at sign-up.
    expect((await rejection(reset(token, email))).reason).toBe('weak_password');
    expect(await activityKindsOf(database.db, userId)).toEqual([]);
    expect(await signIn(email, TEST_PASSWORD)).toBe('signed in');
    expect(await reset(token)).toEqual({ outcome: 'reset' });
  });
});

describe('a reset', () => {
  it('ends every session of the user, the resetting browser’s too', async () => {
    const { client: laptop, email, userId, token } = await userWithResetLink();
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const other = await signedInClient(deps);
    expect(await reset(token, NEW_PASSWORD, laptop)).toEqual({ outcome: 'reset' });
    expect(await (await laptop.caller()).auth.me()).toBeNull();
    expect(await (await phone.caller()).auth.me()).toBeNull();
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(0);
    // Another user's session is not touched.
    expect(await (await other.client.caller()).auth.me()).toMatchObject({ email: other.email });
  });

  it('verifies the address, and records both with the IP and browser', async () => {
    const { email, userId, token } = await userWithResetLink({ verified: false });
    expect((await userRow(database.db, userId)).emailVerifiedAt).toBeNull();
    const browser = createTestClient(deps, { clientIp: '203.0.113.9', userAgent: 'Reset/1.0' });
    expect(await reset(token, NEW_PASSWORD, browser)).toEqual({ outcome: 'reset' });
    expect((await userRow(database.db, userId)).emailVerifiedAt).toEqual(new Date(clock));
    expect(await activityOf(database.db, userId)).toEqual([
      { kind: 'password_reset', detail: {}, ip: '203.0.113.9', userAgent: 'Reset/1.0' },
      {
        kind: 'email_verified',
        detail: { via: 'password_reset' },
        ip: '203.0.113.9',
        userAgent: 'Reset/1.0',
      },
    ]);
    expect(await signIn(email, NEW_PASSWORD)).toBe('signed in');
  });

  it('keeps an earlier verification date', async () => {
    const { userId, token } = await userWithResetLink({ verified: true });
    const before = (await userRow(database.db, userId)).emailVerifiedAt;
    await reset(token);
    expect((await userRow(database.db, userId)).emailVerifiedAt).toEqual(before);
    expect(await activityKindsOf(database.db, userId)).toEqual(['password_reset']);
  });

  it.each([
    ['en', 'Your Acme SaaS password was changed', 'Reset my password'],
    ['zh-TW', '您的 Acme SaaS 密碼已變更', '重設我的密碼'],
  ] as const)('mails a notice in the user’s language (%s)', async (locale, subject, button) => {
    const { email, token } = await userWithResetLink({ locale });
    await reset(token);
    const notice = await mailbox.waitFor(email, CHANGED_SUBJECT);
    expect(notice.subject).toBe(subject);
    expect(notice.html).toContain(`href="${deps.config.appUrl}/forgot-password"`);
    expect(notice.text).toContain(button);
    expect(notice.text).not.toMatch(/token=/);
  });

  it('cancels an address change asked for with the old password', async () => {
    const { client, userId, token } = await userWithResetLink();
    await (await client.caller()).security.requestEmailChange({
      currentPassword: TEST_PASSWORD,
      email: `moved-${Date.now()}@example.com`,
    });
    expect((await tokensOf(database.db, userId)).map((t) => t.purpose).sort()).toEqual([
      'email_change',
      'password_reset',
    ]);
    await reset(token);
    expect((await tokensOf(database.db, userId)).filter((t) => !t.usedAt)).toEqual([]);
  });

  it('changes no other account’s password', async () => {
    const other = await signedInClient(deps);
    const before = (await userRow(database.db, other.userId)).passwordHash;
    const { token } = await userWithResetLink();
    await reset(token);
    const [row] = await database.db
      .select({ hash: users.passwordHash })
      .from(users)
      .where(eq(users.id, other.userId));
    expect(row?.hash).toBe(before);
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
  const askFrom = async (ip: string, email: string) =>
    (await createTestClient(limited, { clientIp: ip }).caller()).security.requestPasswordReset({
      email,
    });

  it.each([
    ['a registered address', true],
    ['an unknown address', false],
  ])('allow 3 requests an hour for %s, then 429 with the wait', async (_, registered) => {
    const email = registered
      ? (await signedInClient(deps)).email
      : `limit-${Date.now()}@example.com`;
    for (let i = 0; i < 3; i++) {
      expect(await askFrom(`198.51.100.${30 + i}`, email)).toEqual({ ok: true });
    }
    const error = await rejection(askFrom('198.51.100.40', email));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.reason).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600);
    clock += 3_600_000;
    expect(await askFrom('198.51.100.40', email)).toEqual({ ok: true });
  });

  it('allow 10 requests an hour per IP, whichever addresses', async () => {
    for (let i = 0; i < 10; i++) {
      await askFrom('198.51.100.50', `ip-${i}-${Date.now()}@example.com`);
    }
    const error = await rejection(askFrom('198.51.100.50', `ip-x-${Date.now()}@example.com`));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(await askFrom('198.51.100.51', `ip-y-${Date.now()}@example.com`)).toEqual({ ok: true });
  });

  it('allow 30 uses of links an hour per IP', async () => {
    const browser = createTestClient(limited, { clientIp: '198.51.100.60' });
    for (let i = 0; i < 30; i++) {
      await (await browser.caller()).security.checkPasswordReset({ token: 'A'.repeat(43) });
    }
    const error = await rejection(
      (await browser.caller()).security.resetPassword({
        token: 'A'.repeat(43),
        password: 'x'.repeat(8),
      }),
    );
    expect(error.code).toBe('TOO_MANY_REQUESTS');
  });
});
