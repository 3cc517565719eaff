import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { sessions, users } from '../../db/schema';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { rejection } from '../../tests/support/app-error';
import { createTestClient, createTestDeps, testConfig } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import type { AppDeps } from '../trpc/context';
import type { AppError } from '../trpc/errors';

let database: Database;
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

let counter = 0;
const freshEmail = () => `user${++counter}-${Date.now()}@example.com`;
const password = 'correct horse battery';

describe('auth.signUp', () => {
  it('creates the account with the email lower-cased, and answers without a session', async () => {
    const client = createTestClient(deps);
    const email = freshEmail();
    const result = await (await client.caller()).auth.signUp({
      email: `  ${email.toUpperCase()} `,
      password,
      displayName: 'Mei',
    });
    expect(result).toEqual({ ok: true });
    // No session: the same answer is given for a registered address (sign-up.test.ts), so it
    // cannot sign anyone in. The verification link does, in this browser.
    expect(client.setCookies).toHaveLength(1);
    expect(client.setCookies[0]).toMatch(
      /^signup=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/,
    );
    expect(await (await client.caller()).auth.me()).toBeNull();

    await (await client.caller()).auth.signIn({ email, password });
    const me = await (await client.caller()).auth.me();
    expect(me).toMatchObject({
      email,
      displayName: 'Mei',
      locale: 'zh-TW',
      emailVerified: false,
      hasBillingAccount: false,
    });
    const [row] = await database.db.select().from(users).where(eq(users.email, email));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.emailVerifiedAt).toBeNull();
  });

  it('keeps one account per address, whatever its case', async () => {
    const email = freshEmail();
    await (await createTestClient(deps).caller()).auth.signUp({ email, password });
    const again = await (await createTestClient(deps).caller()).auth.signUp({
      email: email.toUpperCase(),
      password: 'another long password',
    });
    expect(again).toEqual({ ok: true });
    const rows = await database.db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(1);
    // The first password still signs in; the second never became one.
    const client = createTestClient(deps);
    await (await client.caller()).auth.signIn({ email, password });
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.signIn({
        email,
        password: 'another long password',
      }),
    );
    expect((error as AppError).reason).toBe('invalid_credentials');
  });

  it.each([
    ['a malformed email', { email: 'not-an-email', password }],
    ['a short password', { email: 'short@example.com', password: 'seven77' }],
    ['a password over 128 characters', { email: 'long@example.com', password: 'x'.repeat(129) }],
    ['an unknown field', { email: 'extra@example.com', password, role: 'admin' }],
  ])('rejects %s with BAD_REQUEST and creates nothing', async (_, input) => {
    const before = await database.db.$count(users);
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.signUp(input as never),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(await database.db.$count(users)).toBe(before);
  });
});

describe('auth.signIn', () => {
  const email = freshEmail();
  beforeAll(async () => {
    await (await createTestClient(deps).caller()).auth.signUp({ email, password });
  });

  it('signs in with the right password, case-insensitively on the email', async () => {
    const client = createTestClient(deps);
    await (await client.caller()).auth.signIn({ email: email.toUpperCase(), password });
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
  });

  it('gives a wrong password and an unknown email the same error', async () => {
    const wrongPassword = await rejection(
      (await createTestClient(deps).caller()).auth.signIn({ email, password: 'wrong password' }),
    );
    const unknownEmail = await rejection(
      (await createTestClient(deps).caller()).auth.signIn({ email: freshEmail(), password }),
    );
    for (const error of [wrongPassword, unknownEmail]) {
      expect(error.code).toBe('UNAUTHORIZED');
      expect((error as AppError).reason).toBe('invalid_credentials');
    }
    expect(wrongPassword.message).toBe(unknownEmail.message);
  });

  it('rejects a malformed email before looking anything up', async () => {
    const error = await rejection(
      (await createTestClient(deps).caller()).auth.signIn({ email: 'nope', password }),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });
});

describe('auth.demoAccount', () => {
  it('suggests the demo sign-in only with the local emulator and once the account exists', async () => {
    const caller = () => createTestClient(deps).caller();
    expect(await (await caller()).auth.demoAccount()).toBeNull();
    await seedDemoAccount(database.db);
    expect(await (await caller()).auth.demoAccount()).toEqual({
      email: DEMO_ACCOUNT.email,
      password: DEMO_ACCOUNT.password,
    });
    const withRealRecur = createTestDeps(database, {
      config: testConfig({
        RECUR_SECRET_KEY: 'sk_test_remote',
        RECUR_API_URL: 'https://api.recur.tw',
      }),
    });
    expect(await (await createTestClient(withRealRecur).caller()).auth.demoAccount()).toBeNull();
  });
});

describe('auth.me and auth.signOut', () => {
  it('me is null when signed out', async () => {
    expect(await (await createTestClient(deps).caller()).auth.me()).toBeNull();
  });

  it('me is null for a forged session cookie, and the cookie is cleared', async () => {
    const client = createTestClient(deps);
    client.cookie = 'session=forged-session-id';
    expect(await (await client.caller()).auth.me()).toBeNull();
    expect(client.setCookies.at(-1)).toMatch(/^session=;.*Max-Age=0/i);
  });

  it('signOut deletes the session row, and the old cookie no longer works', async () => {
    const { client } = await signedInClient(deps);
    const oldCookie = client.cookie;
    const sessionId = client.cookieValue('session') ?? '';
    expect(await database.db.$count(sessions, eq(sessions.id, sessionId))).toBe(1);

    await (await client.caller()).auth.signOut();
    expect(client.cookieValue('session')).toBeUndefined();
    expect(await database.db.$count(sessions, eq(sessions.id, sessionId))).toBe(0);

    client.cookie = oldCookie;
    expect(await (await client.caller()).auth.me()).toBeNull();
  });

  it('the cleanup deletes expired sessions and keeps live ones', async () => {
    const { client: expired } = await signedInClient(deps);
    const { client: live } = await signedInClient(deps);
    const idOf = (client: typeof expired) => client.cookieValue('session') ?? '';
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, idOf(expired)));

    await deps.auth.deleteExpiredSessions();
    expect(await database.db.$count(sessions, eq(sessions.id, idOf(expired)))).toBe(0);
    expect(await database.db.$count(sessions, eq(sessions.id, idOf(live)))).toBe(1);
  });

  it('signOut when signed out is UNAUTHORIZED', async () => {
    const error = await rejection((await createTestClient(deps).caller()).auth.signOut());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});
