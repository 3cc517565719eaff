import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { sessions } from '../../db/schema';
import { activityKindsOf, activityOf, tokensOf } from '../../tests/support/account-security';
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
import { createRateLimiter } from '../rate-limit/rate-limiter';
import type { AppDeps } from '../trpc/context';
import type { AppError } from '../trpc/errors';

let database: Database;
let mailbox: TestMailbox;
let deps: AppDeps;
let clock = Date.parse('2026-05-01T09:00:00Z');

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

const NEW_PASSWORD = 'copper kettle whistling softly';
const CHANGED_SUBJECT = /password was changed|密碼已變更/;

const change = async (client: TestClient, currentPassword: string, password = NEW_PASSWORD) =>
  (await client.caller()).security.changePassword({ currentPassword, password });

async function signIn(email: string, password: string) {
  const client = createTestClient(deps);
  return (await client.caller()).auth.signIn({ email, password }).then(
    () => 'signed in',
    (error: AppError) => error.reason,
  );
}

describe('changing the password', () => {
  it('keeps this session and ends every other one of the user', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const other = await signedInClient(deps);
    const session = client.cookieValue('session');

    expect(await change(client, TEST_PASSWORD)).toEqual({ ok: true });
    expect(client.cookieValue('session')).toBe(session);
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
    expect(await (await phone.caller()).auth.me()).toBeNull();
    expect(await database.db.$count(sessions, eq(sessions.userId, userId))).toBe(1);
    expect(await (await other.client.caller()).auth.me()).toMatchObject({ email: other.email });
  });

  it('makes the new password the one that signs in', async () => {
    const { client, email } = await signedInClient(deps);
    await change(client, TEST_PASSWORD);
    expect(await signIn(email, NEW_PASSWORD)).toBe('signed in');
    expect(await signIn(email, TEST_PASSWORD)).toBe('invalid_credentials');
  });

  it('records the change with the IP and browser', async () => {
    const { client, userId } = await signedInClient(deps);
    const browser = createTestClient(deps, { clientIp: '203.0.113.7', userAgent: 'Change/2.0' });
    browser.cookie = client.cookie;
    await change(browser, TEST_PASSWORD);
    expect(await activityOf(database.db, userId)).toEqual([
      { kind: 'password_changed', detail: {}, ip: '203.0.113.7', userAgent: 'Change/2.0' },
    ]);
  });

  it.each([
    ['en', 'Your Acme SaaS password was changed', 'Every other device'],
    ['zh-TW', '您的 Acme SaaS 密碼已變更', '其他已登入這個帳戶的裝置都已登出'],
  ] as const)('mails a notice in the user’s language (%s)', async (locale, subject, text) => {
    const { client, email } = await signedInClient(deps, { locale });
    await change(client, TEST_PASSWORD);
    const notice = await mailbox.waitFor(email, CHANGED_SUBJECT);
    expect(notice.subject).toBe(subject);
    expect(notice.text).toContain(text);
    expect(notice.html).toContain(`href="${deps.config.appUrl}/forgot-password"`);
    expect(notice.html).toContain(`lang="${locale}"`);
  });

  it('cancels the reset and address-change links asked for before', async () => {
    const { client, email, userId } = await signedInClient(deps);
    await (await client.caller()).security.requestEmailChange({
      currentPassword: TEST_PASSWORD,
      email: `elsewhere-${Date.now()}@example.com`,
    });
    await (await createTestClient(deps).caller()).security.requestPasswordReset({ email });
    expect(await tokensOf(database.db, userId)).toHaveLength(2);
    await change(client, TEST_PASSWORD);
    expect(await tokensOf(database.db, userId)).toEqual([]);
  });

  it('needs a session', async () => {
    const error = await rejection(change(createTestClient(deps), TEST_PASSWORD));
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('a refused change changes nothing', () => {
  it('with a wrong current password: a clear error, no activity, no mail, sessions kept', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const error = await rejection(change(client, 'not my password at all'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.reason).toBe('wrong_password');
    expect(error.message).toBe('Your current password is not correct.');
    expect(await signIn(email, TEST_PASSWORD)).toBe('signed in');
    expect(await (await phone.caller()).auth.me()).toMatchObject({ email });
    expect(await activityKindsOf(database.db, userId)).toEqual([]);
    await deps.mailer.idle();
    expect(
      mailbox.messages.filter((m) => m.to.includes(email) && CHANGED_SUBJECT.test(m.subject)),
    ).toEqual([]);
  });

  it('with a weak new password: its reasons, and the old password still works', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const error = await rejection(change(client, TEST_PASSWORD, 'password123'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('weak_password');
    expect(error.passwordFeedback).toEqual({ warning: 'common', suggestions: ['anotherWord'] });
    // The address is easy to guess, as at sign-up.
    expect((await rejection(change(client, TEST_PASSWORD, email))).reason).toBe('weak_password');
    expect(await signIn(email, TEST_PASSWORD)).toBe('signed in');
    expect(await activityKindsOf(database.db, userId)).toEqual([]);
  });

  it.each([
    ['a short new password', { currentPassword: TEST_PASSWORD, password: 'short' }],
    ['no current password', { currentPassword: '', password: NEW_PASSWORD }],
    ['an unknown field', { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, userId: 'x' }],
  ])('with %s: invalid_input', async (_, input) => {
    const { client } = await signedInClient(deps);
    const error = await rejection(
      (await client.caller()).security.changePassword(
        input as { currentPassword: string; password: string },
      ),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });
});

describe('guessing the current password', () => {
  let limited: AppDeps;
  beforeAll(() => {
    limited = createTestDeps(database, {
      config: testConfig({ RATE_LIMIT_SCALE: '1' }),
      mailer: deps.mailer,
      rateLimiter: createRateLimiter(database.db, { now: () => clock }),
      now: () => clock,
    });
  });

  it('is limited to 5 a minute per user, then a back-off that doubles, whatever the IP', async () => {
    const { client, email } = await signedInClient(limited);
    for (let i = 0; i < 5; i++) {
      const browser = createTestClient(limited, { clientIp: `198.51.100.${70 + i}` });
      browser.cookie = client.cookie;
      expect((await rejection(change(browser, `wrong guess ${i}`))).reason).toBe('wrong_password');
    }
    const sixth = await rejection(change(client, 'wrong guess 6'));
    expect(sixth.code).toBe('TOO_MANY_REQUESTS');
    expect(sixth.reason).toBe('rate_limited');
    expect(sixth.retryAfterSeconds).toBe(60);
    // The right password waits too, while the back-off lasts.
    expect((await rejection(change(client, TEST_PASSWORD))).retryAfterSeconds).toBeGreaterThan(0);
    clock += 60_000;
    expect((await rejection(change(client, 'wrong guess 7'))).reason).toBe('wrong_password');
    for (let i = 0; i < 4; i++) await rejection(change(client, `wrong again ${i}`));
    expect((await rejection(change(client, 'wrong guess 8'))).retryAfterSeconds).toBe(120);
    clock += 120_000;
    expect(await change(client, TEST_PASSWORD)).toEqual({ ok: true });
    expect(await signIn(email, NEW_PASSWORD)).toBe('signed in');
  });

  it('counts attempts at changing the address too', async () => {
    const { client } = await signedInClient(limited);
    for (let i = 0; i < 5; i++) {
      await rejection(
        (await client.caller()).security.requestEmailChange({
          currentPassword: `wrong ${i}`,
          email: `guess-${i}-${Date.now()}@example.com`,
        }),
      );
    }
    expect((await rejection(change(client, TEST_PASSWORD))).reason).toBe('rate_limited');
  });

  it('is counted per user: another user is not held up', async () => {
    const { client: first } = await signedInClient(limited);
    for (let i = 0; i < 6; i++) await rejection(change(first, `wrong ${i}`));
    const { client: second } = await signedInClient(limited);
    expect(await change(second, TEST_PASSWORD)).toEqual({ ok: true });
  });
});
