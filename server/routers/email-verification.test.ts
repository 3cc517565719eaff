import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { emailVerificationTokens, users } from '../../db/schema';
import { rejection } from '../../tests/support/app-error';
import {
  createTestClient,
  createTestDeps,
  type TestClient,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import {
  startTestMailbox,
  type TestMailbox,
  verificationLinkIn,
} from '../../tests/support/test-mailbox';
import { sha256 } from '../auth/email-verification';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import type { AppDeps } from '../trpc/context';

let database: Database;
let mailbox: TestMailbox;
let deps: AppDeps;
let clock = Date.parse('2026-03-01T09:00:00Z');

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

let counter = 0;
const password = 'correct horse battery';

/** Signs up in a fresh browser and returns it with the mailed token. */
async function signUpAndReadMail(testDeps = deps) {
  const email = `verify-${++counter}-${Date.now()}@example.com`;
  const browser = createTestClient(testDeps);
  await (await browser.caller()).auth.signUp({ email, password, locale: 'en' });
  const { token } = verificationLinkIn(await mailbox.waitFor(email));
  return { email, browser, token };
}

const verify = async (client: TestClient, token: string) =>
  (await client.caller()).auth.verifyEmail({ token });

async function verifiedAt(email: string) {
  const [row] = await database.db
    .select({ at: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.email, email));
  return row?.at ?? null;
}

describe('the token', () => {
  it('is stored only as its SHA-256, and expires 24 hours after it was sent', async () => {
    const { email, token } = await signUpAndReadMail();
    const rows = await database.db
      .select()
      .from(emailVerificationTokens)
      .innerJoin(users, eq(users.id, emailVerificationTokens.userId))
      .where(eq(users.email, email));
    expect(rows).toHaveLength(1);
    const row = rows[0]?.email_verification_tokens;
    expect(row?.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(row?.expiresAt.getTime()).toBe(clock + 24 * 3_600_000);
    expect(row?.browserSecretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies once, even signed out in another browser; the second use answers used', async () => {
    const { email, token } = await signUpAndReadMail();
    const elsewhere = createTestClient(deps);
    expect(await verify(elsewhere, token)).toEqual({ outcome: 'verified', signedIn: false });
    expect(await verifiedAt(email)).toEqual(new Date(clock));
    expect(await (await elsewhere.caller()).auth.me()).toBeNull();
    expect(await verify(elsewhere, token)).toEqual({ outcome: 'used', signedIn: false });
  });

  it('of two uses at once, exactly one verifies', async () => {
    const { token } = await signUpAndReadMail();
    const outcomes = await Promise.all(
      [1, 2, 3].map(async () => (await verify(createTestClient(deps), token)).outcome),
    );
    expect(outcomes.sort()).toEqual(['used', 'used', 'verified']);
  });

  it('answers expired after 24 hours and leaves the address unverified', async () => {
    const { email, token } = await signUpAndReadMail();
    clock += 24 * 3_600_000;
    expect(await verify(createTestClient(deps), token)).toEqual({
      outcome: 'expired',
      signedIn: false,
    });
    expect(await verifiedAt(email)).toBeNull();
  });

  it('works until the last second of the 24 hours', async () => {
    const { email, token } = await signUpAndReadMail();
    clock += 24 * 3_600_000 - 1000;
    expect((await verify(createTestClient(deps), token)).outcome).toBe('verified');
    expect(await verifiedAt(email)).not.toBeNull();
  });

  it('stops working when a newer one is sent, and the newer one works', async () => {
    const { email, browser, token: first } = await signUpAndReadMail();
    await (await browser.caller()).auth.signIn({ email, password });
    await (await browser.caller()).auth.resendVerification();
    const { token: second } = verificationLinkIn(await mailbox.waitFor(email));
    expect(second).not.toBe(first);
    expect((await verify(createTestClient(deps), first)).outcome).toBe('invalid');
    expect((await verify(createTestClient(deps), second)).outcome).toBe('verified');
  });

  it('makes the user’s other links useless once one is used', async () => {
    // Issuing revokes the earlier links; a second live link can still exist for a moment (two
    // server instances issuing at once), so using one revokes the rest too.
    const { email, token } = await signUpAndReadMail();
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const other = 'B'.repeat(43);
    await database.db.insert(emailVerificationTokens).values({
      tokenHash: sha256(other),
      userId: user?.id ?? '',
      email,
      expiresAt: new Date(clock + 3_600_000),
    });
    expect((await verify(createTestClient(deps), token)).outcome).toBe('verified');
    expect((await verify(createTestClient(deps), other)).outcome).toBe('invalid');
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not a token'],
    ['an empty token', ''],
  ])('answers invalid for %s', async (_, token) => {
    expect(await verify(createTestClient(deps), token)).toEqual({
      outcome: 'invalid',
      signedIn: false,
    });
  });
});

describe('signing in with the link', () => {
  it('signs in the browser that signed up, with a new session, and clears its sign-up cookie', async () => {
    const { email, browser, token } = await signUpAndReadMail();
    expect(browser.cookieValue('signup')).toBeDefined();
    expect(await verify(browser, token)).toEqual({ outcome: 'verified', signedIn: true });
    expect(browser.cookieValue('session')).toBeDefined();
    expect(browser.cookieValue('signup')).toBeUndefined();
    expect(await (await browser.caller()).auth.me()).toMatchObject({ email, emailVerified: true });
  });

  it('does not sign in another browser, even one that signed up with another address', async () => {
    const { token } = await signUpAndReadMail();
    const { browser: other } = await signUpAndReadMail();
    expect(await verify(other, token)).toEqual({ outcome: 'verified', signedIn: false });
    expect(other.cookieValue('session')).toBeUndefined();
  });

  it('keeps the user signed in who opens it signed in', async () => {
    const { email, browser, token } = await signUpAndReadMail();
    await (await browser.caller()).auth.signIn({ email, password });
    const session = browser.cookieValue('session');
    expect(await verify(browser, token)).toEqual({ outcome: 'verified', signedIn: true });
    expect(browser.cookieValue('session')).toBe(session);
    expect(await (await browser.caller()).auth.me()).toMatchObject({ emailVerified: true });
  });
});

describe('resending the mail', () => {
  it('needs a session, and says so once the address is verified', async () => {
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.resendVerification(),
    );
    expect(error.code).toBe('UNAUTHORIZED');
    const { email, browser, token } = await signUpAndReadMail();
    await verify(browser, token);
    expect(await (await browser.caller()).auth.resendVerification()).toEqual({
      alreadyVerified: true,
    });
    await deps.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
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

    async function signedInUnverified(clientIp: string) {
      const email = `limits-${++counter}-${Date.now()}@example.com`;
      await (await createTestClient(limited, { clientIp: '192.0.2.1' }).caller()).auth.signUp({
        email,
        password,
      });
      const browser = createTestClient(limited, { clientIp });
      await (await browser.caller()).auth.signIn({ email, password });
      return browser;
    }

    it('allows 5 resends an hour per user, then 429 with the wait', async () => {
      const browser = await signedInUnverified('198.51.100.10');
      for (let i = 0; i < 5; i++) {
        expect(await (await browser.caller()).auth.resendVerification()).toEqual({
          alreadyVerified: false,
        });
      }
      const error = await rejection((await browser.caller()).auth.resendVerification());
      expect(error.code).toBe('TOO_MANY_REQUESTS');
      expect(error.reason).toBe('rate_limited');
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600);
      clock += 3_600_000;
      expect(await (await browser.caller()).auth.resendVerification()).toEqual({
        alreadyVerified: false,
      });
    });

    it('allows 20 resends an hour per IP, whichever users ask', async () => {
      const ip = '198.51.100.20';
      const browsers = await Promise.all([1, 2, 3, 4, 5].map(() => signedInUnverified(ip)));
      for (const browser of browsers.slice(0, 4)) {
        for (let i = 0; i < 5; i++) await (await browser.caller()).auth.resendVerification();
      }
      const fifth = browsers[4] as TestClient;
      const error = await rejection((await fifth.caller()).auth.resendVerification());
      expect(error.code).toBe('TOO_MANY_REQUESTS');
      // The same user from another address is within both limits.
      const elsewhere = createTestClient(limited, { clientIp: '198.51.100.21' });
      elsewhere.cookie = fifth.cookie;
      expect(await (await elsewhere.caller()).auth.resendVerification()).toEqual({
        alreadyVerified: false,
      });
    });
  });
});
