import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { accountActivity } from '../../db/schema';
import { rejection as failure } from '../../tests/support/app-error';
import { createTestClient, createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient, TEST_PASSWORD } from '../../tests/support/test-users';
import { recordActivity } from '../account/activity';
import { issueVerificationToken } from '../auth/email-verification';
import type { AppDeps } from '../trpc/context';

const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

let database: Database;
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

const rowsOf = (userId: string) =>
  database.db
    .select()
    .from(accountActivity)
    .where(eq(accountActivity.userId, userId))
    .orderBy(accountActivity.id);

describe('what is recorded', () => {
  it('a sign-in, with the address and the device it came from', async () => {
    const { client, email } = await signedInClient(deps);
    const phone = createTestClient(deps, { userAgent: SAFARI_IPHONE, clientIp: '203.0.113.9' });
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });

    const { items, nextCursor } = await (await client.caller()).activity.list();
    expect(nextCursor).toBeNull();
    expect(items.map((item) => item.kind)).toEqual(['sign_in', 'sign_in']);
    const [newest] = items;
    expect(newest).toMatchObject({
      kind: 'sign_in',
      detail: { method: 'password' },
      ip: '203.0.113.9',
      browser: { name: 'Safari', version: '18' },
      os: { name: 'iOS', version: '18.1' },
    });
    expect(Object.keys(newest ?? {}).sort()).toEqual(
      ['browser', 'createdAt', 'detail', 'id', 'ip', 'kind', 'os'].sort(),
    );
    expect(new Date(newest?.createdAt ?? '').toISOString()).toBe(newest?.createdAt);
  });

  it('a sign-out, in the same transaction as the sessions it ends', async () => {
    const { client, email, userId } = await signedInClient(deps);
    await (await client.caller()).auth.signOut();
    expect((await rowsOf(userId)).map((row) => row.kind)).toEqual(['sign_in', 'sign_out']);
    await (await client.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const { items } = await (await client.caller()).activity.list();
    expect(items.map((item) => item.kind)).toEqual(['sign_in', 'sign_out', 'sign_in']);
  });

  it('email verified, once, by whoever opened the link', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const token = await issueVerificationToken(database.db, {
      userId,
      email,
      now: new Date(),
    });
    const elsewhere = createTestClient(deps, { userAgent: SAFARI_IPHONE, clientIp: '192.0.2.5' });
    const result = await (await elsewhere.caller()).auth.verifyEmail({ token });
    expect(result).toEqual({ outcome: 'verified', signedIn: false });
    await (await elsewhere.caller()).auth.verifyEmail({ token }); // used: nothing new
    const { items } = await (await client.caller()).activity.list();
    expect(items.map((item) => item.kind)).toEqual(['email_verified', 'sign_in']);
    expect(items[0]).toMatchObject({ ip: '192.0.2.5', browser: { name: 'Safari' } });
  });
});

describe('a failed sign-in', () => {
  it('is recorded on the account of that address, and the caller learns nothing from it', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const stranger = createTestClient(deps, { userAgent: SAFARI_IPHONE, clientIp: '192.0.2.66' });
    const wrongPassword = await failure(
      (await stranger.caller()).auth.signIn({ email, password: 'not the password at all' }),
    );
    const unknownAccount = await failure(
      (await stranger.caller()).auth.signIn({
        email: `nobody-${Date.now()}@example.com`,
        password: 'not the password at all',
      }),
    );
    // Word for word the same answer, and no cookie either way.
    for (const error of [wrongPassword, unknownAccount]) {
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.reason).toBe('invalid_credentials');
    }
    expect(wrongPassword.message).toBe(unknownAccount.message);
    expect(stranger.setCookies).toEqual([]);

    const { items } = await (await client.caller()).activity.list();
    expect(items.map((item) => item.kind)).toEqual(['sign_in_failed', 'sign_in']);
    expect(items[0]).toMatchObject({ ip: '192.0.2.66', os: { name: 'iOS' }, detail: {} });
    expect((await rowsOf(userId)).length).toBe(2);
  });

  it('at an unknown address writes nothing anywhere', async () => {
    const before = await database.db.$count(accountActivity);
    await failure(
      (await createTestClient(deps).caller()).auth.signIn({
        email: `nobody-else-${Date.now()}@example.com`,
        password: 'not the password at all',
      }),
    );
    expect(await database.db.$count(accountActivity)).toBe(before);
  });

  it('matches the address as sign-in does, whatever its case and spaces', async () => {
    const { email, userId } = await signedInClient(deps);
    await failure(
      (await createTestClient(deps).caller()).auth.signIn({
        email: `  ${email.toUpperCase()} `,
        password: 'not the password at all',
      }),
    );
    expect((await rowsOf(userId)).map((row) => row.kind)).toEqual(['sign_in', 'sign_in_failed']);
  });

  it('takes as long for a registered address as for an unknown one', async () => {
    // Interleaved, medians of five: both pay one Argon2 verification and the same statement.
    const { email } = await signedInClient(deps);
    const timed = async (address: string) => {
      const started = performance.now();
      await (await createTestClient(deps).caller()).auth
        .signIn({ email: address, password: 'not the password at all' })
        .catch(() => undefined);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed(email));
      unknown.push(await timed(`absent-${i}-${Date.now()}@example.com`));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[2] ?? 0;
    expect(median(known)).toBeGreaterThan(median(unknown) * 0.5);
    expect(median(known)).toBeLessThan(median(unknown) * 2);
  });
});

describe('activity.list', () => {
  it("shows only the user's own events", async () => {
    const { client, userId } = await signedInClient(deps);
    const { userId: otherId } = await signedInClient(deps);
    await recordActivity(database.db, { userId: otherId, kind: 'password_changed' });
    await recordActivity(database.db, { userId, kind: 'profile_updated' });
    const { items } = await (await client.caller()).activity.list();
    expect(items.map((item) => item.kind)).toEqual(['profile_updated', 'sign_in']);
    const ids = (await rowsOf(userId)).map((row) => row.id);
    expect(items.every((item) => ids.includes(item.id))).toBe(true);
  });

  it('pages newest first by cursor, with no gaps, no repeats and no empty last page', async () => {
    const { client, userId } = await signedInClient(deps);
    for (let i = 1; i <= 8; i++) {
      await recordActivity(database.db, {
        userId,
        kind: 'checkout_started',
        detail: { plan: `plan-${i}` },
      });
    }
    // Nine events: the sign-in, then plan-1 … plan-8. Pages of three: 8 7 6 | 5 4 3 | 2 1 sign-in.
    const caller = await client.caller();
    const label = (item: { kind: string; detail: Record<string, string> }) =>
      item.detail.plan ?? item.kind;
    const first = await caller.activity.list({ limit: 3 });
    expect(first.items.map(label)).toEqual(['plan-8', 'plan-7', 'plan-6']);
    expect(first.nextCursor).toBe(first.items[2]?.id);

    // An event recorded meanwhile does not shift the next page.
    await recordActivity(database.db, {
      userId,
      kind: 'checkout_started',
      detail: { plan: 'new' },
    });
    const second = await caller.activity.list({
      limit: 3,
      cursor: first.nextCursor,
      direction: 'forward', // as the client's infinite query sends it
    });
    expect(second.items.map(label)).toEqual(['plan-5', 'plan-4', 'plan-3']);
    const third = await caller.activity.list({ limit: 3, cursor: second.nextCursor });
    expect(third.items.map(label)).toEqual(['plan-2', 'plan-1', 'sign_in']);
    expect(third.nextCursor).toBeNull();

    // Ids strictly decreasing across the pages.
    const ids = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(9);
  });

  it('a cursor is exclusive, and one below every event answers an empty last page', async () => {
    const { client, userId } = await signedInClient(deps);
    await recordActivity(database.db, { userId, kind: 'profile_updated' });
    const [signIn, updated] = await rowsOf(userId);
    const caller = await client.caller();
    expect((await caller.activity.list({ cursor: updated?.id })).items.map((i) => i.id)).toEqual([
      signIn?.id,
    ]);
    expect(await caller.activity.list({ cursor: signIn?.id })).toEqual({
      items: [],
      nextCursor: null,
    });
    // A cursor above every id is the first page.
    const top = await caller.activity.list({ cursor: Number.MAX_SAFE_INTEGER });
    expect(top.items.map((i) => i.id)).toEqual([updated?.id, signIn?.id]);
  });

  it("a cursor taken from another user's events shows nothing of theirs", async () => {
    const { client } = await signedInClient(deps);
    const { userId: otherId } = await signedInClient(deps);
    await recordActivity(database.db, { userId: otherId, kind: 'password_changed' });
    await recordActivity(database.db, { userId: otherId, kind: 'password_changed' });
    const [, , otherNewest] = await rowsOf(otherId);
    const page = await (await client.caller()).activity.list({ cursor: otherNewest?.id });
    expect(page.items.map((item) => item.kind)).toEqual(['sign_in']);
  });

  it.each([
    [{ limit: 0 }],
    [{ limit: 51 }],
    [{ cursor: 0 }],
    [{ cursor: -5 }],
    [{ cursor: 1.5 }],
    [{ userId: 'someone-else' }],
  ])('refuses %o', async (input) => {
    const { client } = await signedInClient(deps);
    const error = await failure((await client.caller()).activity.list(input as never));
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('answers UNAUTHORIZED when signed out', async () => {
    const error = await failure((await createTestClient(deps).caller()).activity.list());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});
