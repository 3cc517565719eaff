import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/create-db';
import { emailVerificationTokens, users } from '../../db/schema';
import { rejection } from '../../tests/support/app-error';
import {
  createLogCollector,
  createTestClient,
  createTestDeps,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import {
  startTestMailbox,
  type TestMailbox,
  verificationLinkIn,
} from '../../tests/support/test-mailbox';
import { hashPassword } from '../auth/password';
import type { AppDeps } from '../trpc/context';

// The real hash, observed: how many times a sign-up runs it.
vi.mock('../auth/password', async (importOriginal) => {
  const real = await importOriginal<typeof import('../auth/password')>();
  return { ...real, hashPassword: vi.fn(real.hashPassword) };
});

let database: Database;
let mailbox: TestMailbox;
let deps: AppDeps;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  deps = createTestDeps(database, { mailer: mailbox.mailer(logs.log), log: logs.log });
});
afterAll(async () => {
  await mailbox.close();
  await database.close();
});

let counter = 0;
const freshEmail = () => `sign-up-${++counter}-${Date.now()}@example.com`;
const password = 'correct horse battery';

async function signUp(input: { email: string; password: string; locale?: 'en' | 'zh-TW' }) {
  const client = createTestClient(deps);
  const result = await (await client.caller()).auth.signUp(input);
  return { client, result };
}

describe('a registered address', () => {
  it('gets the same answer and cookie as a new one, and its owner gets a mail instead', async () => {
    const taken = freshEmail();
    await signUp({ email: taken, password, locale: 'en' });
    await mailbox.waitFor(taken, 'Confirm your email');
    const [owner] = await database.db.select().from(users).where(eq(users.email, taken));

    const fresh = await signUp({ email: freshEmail(), password: 'another long password' });
    const again = await signUp({ email: taken.toUpperCase(), password: 'another long password' });

    expect(again.result).toEqual(fresh.result);
    // The same Set-Cookie shape, only the random secret differs; no session either way.
    const shape = (cookies: string[]) =>
      cookies.map((cookie) => cookie.replace(/=[A-Za-z0-9_-]{43};/, '=<secret>;'));
    expect(shape(again.client.setCookies)).toEqual(shape(fresh.client.setCookies));
    expect(await (await again.client.caller()).auth.me()).toBeNull();

    // Nothing about the account changed; the owner is told, in the owner's language.
    const [after] = await database.db.select().from(users).where(eq(users.email, taken));
    expect(after).toEqual(owner);
    const notice = await mailbox.waitFor(taken, 'Someone tried to create');
    expect(notice.text).toContain(`${deps.config.appUrl}/sign-in`);
    expect(notice.text).not.toMatch(/verify-email|token=/);
    expect(notice.html).toContain(`href="${deps.config.appUrl}/sign-in"`);
    expect(
      await database.db.$count(
        emailVerificationTokens,
        eq(emailVerificationTokens.userId, after?.id ?? ''),
      ),
    ).toBe(1);
  });

  it('mails an address at most 3 times a day from sign-ups, and still answers the same', async () => {
    const limited = createTestDeps(database, {
      config: testConfig({ RATE_LIMIT_SCALE: '1' }),
      mailer: deps.mailer,
    });
    const taken = freshEmail();
    const attempt = async () =>
      (await createTestClient(limited).caller()).auth.signUp({ email: taken, password });
    await attempt();
    for (let i = 0; i < 5; i++) expect(await attempt()).toEqual({ ok: true });
    await deps.mailer.idle();
    // The verification mail of the new account, then two notices to its owner.
    const mails = mailbox.messages.filter((mail) => mail.to.includes(taken));
    expect(mails.map((mail) => mail.subject.includes('有人嘗試'))).toEqual([false, true, true]);
  });

  it('costs a password hash as a new address does', async () => {
    // The hash (tens of ms of Argon2) is what would set the two apart; the rest is one query.
    const taken = freshEmail();
    await signUp({ email: taken, password });
    const hashes = vi.mocked(hashPassword);
    hashes.mockClear();
    await signUp({ email: freshEmail(), password });
    expect(hashes).toHaveBeenCalledTimes(1);
    hashes.mockClear();
    await signUp({ email: taken, password });
    expect(hashes).toHaveBeenCalledTimes(1);
  });
});

describe('the verification mail', () => {
  it.each([
    ['en', 'Confirm your email address', 'Confirm my email address'],
    ['zh-TW', '請確認您在', '確認我的電子郵件地址'],
  ] as const)(
    'is in the user’s language (%s), as HTML and text, linking to APP_URL',
    async (locale, subject, button) => {
      const email = freshEmail();
      await signUp({ email, password, locale });
      const mail = await mailbox.waitFor(email, subject);
      const { link, token } = verificationLinkIn(mail);
      expect(link).toBe(`${deps.config.appUrl}/verify-email?token=${token}`);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.html).toContain(button);
      expect(mail.text).toContain(button);
      expect(mail.html).toContain(`lang="${locale}"`);
      expect(mail.from).toContain('Acme SaaS');
    },
  );

  it('carries nothing the visitor typed', async () => {
    const email = freshEmail();
    const client = createTestClient(deps);
    await (await client.caller()).auth.signUp({
      email,
      password,
      displayName: 'Call +1 555 0100 now',
    });
    const mail = await mailbox.waitFor(email);
    expect(mail.text).not.toContain('555');
    expect(mail.html).not.toContain('555');
  });
});

describe('a weak password', () => {
  it.each([
    ['a common password', 'password123', 'common'],
    ['a keyboard row', 'qwertyuiop', 'topHundred'],
    ['one close to a common password', 'demo-password', 'similarToCommon'],
    ['the email itself', 'strong-looking-ignored', null],
  ])('is refused with the reason: %s', async (what, weak, warning) => {
    const email = what === 'the email itself' ? 'strong-looking-ignored@example.com' : freshEmail();
    const before = await database.db.$count(users);
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.signUp({ email, password: weak }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('weak_password');
    expect(error.message).toMatch(/^This password is too easy to guess\./);
    expect(error.passwordFeedback?.suggestions.length).toBeGreaterThan(0);
    if (warning) expect(error.passwordFeedback?.warning).toBe(warning);
    expect(await database.db.$count(users)).toBe(before);
  });

  it('is refused the same way for a registered address', async () => {
    const taken = freshEmail();
    await signUp({ email: taken, password });
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.signUp({
        email: taken,
        password: 'password123',
      }),
    );
    expect(error.reason).toBe('weak_password');
  });
});

describe('a mail server that is down', () => {
  it('does not stop sign-up; the user can sign in and resend once it is back; no token in the log', async () => {
    const email = freshEmail();
    mailbox.refuse(true);
    try {
      const { result } = await signUp({ email, password });
      expect(result).toEqual({ ok: true });
      await deps.mailer.idle();
    } finally {
      mailbox.refuse(false);
    }
    const failure = logs.lines.find((line) =>
      line.startsWith('mail: could not send the verification'),
    );
    expect(failure).toBe('mail: could not send the verification mail: EENVELOPE, SMTP 451');
    const [token] = await database.db
      .select()
      .from(emailVerificationTokens)
      .innerJoin(users, eq(users.id, emailVerificationTokens.userId))
      .where(eq(users.email, email));
    expect(token).toBeDefined();
    const log = logs.lines.join('\n');
    expect(log).not.toContain(email);
    expect(log).not.toContain('verify-email');
    expect(log).not.toContain(token?.email_verification_tokens.tokenHash ?? 'none');

    // Signed in, unverified: resending works now the server is back.
    const client = createTestClient(deps);
    await (await client.caller()).auth.signIn({ email, password });
    expect(await (await client.caller()).auth.me()).toMatchObject({ emailVerified: false });
    expect(await (await client.caller()).auth.resendVerification()).toEqual({
      alreadyVerified: false,
    });
    const mail = await mailbox.waitFor(email);
    expect(log).not.toContain(verificationLinkIn(mail).token);

    // Down again during a resend: the user is told (503 mail_unavailable) and may retry.
    mailbox.refuse(true);
    try {
      const error = await rejection((await client.caller()).auth.resendVerification());
      expect(error.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.reason).toBe('mail_unavailable');
    } finally {
      mailbox.refuse(false);
    }
  });
});
