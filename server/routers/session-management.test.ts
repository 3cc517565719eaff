import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { accountActivity, sessions } from '../../db/schema';
import { rejection as failure } from '../../tests/support/app-error';
import { createTestClient, createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient, TEST_PASSWORD } from '../../tests/support/test-users';
import { createAuth } from '../auth/lucia';
import { publicSessionId } from '../auth/user-sessions';
import type { AppDeps } from '../trpc/context';

const FIREFOX_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

let database: Database;
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

/** Another browser of the same user, signed in with the password. */
async function anotherDevice(email: string, options: { userAgent?: string; clientIp?: string }) {
  const device = createTestClient(deps, options);
  await (await device.caller()).auth.signIn({ email, password: TEST_PASSWORD });
  return device;
}

const sessionRow = async (id: string | undefined) =>
  (
    await database.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, id ?? ''))
  )[0];

const activityOf = (userId: string) =>
  database.db
    .select()
    .from(accountActivity)
    .where(eq(accountActivity.userId, userId))
    .orderBy(accountActivity.id);

describe('a new session', () => {
  it('stores the user agent (cut to 512 characters) and the address it signed in from', async () => {
    const { email } = await signedInClient(deps);
    const long = `${FIREFOX_MAC} ${'x'.repeat(1000)}`;
    const device = await anotherDevice(email, { userAgent: long, clientIp: '203.0.113.7' });
    const row = await sessionRow(device.cookieValue('session'));
    expect(row?.userAgent).toBe(long.slice(0, 512));
    expect(row?.ip).toBe('203.0.113.7');
    expect(row?.createdAt.getTime()).toBe(row?.lastSeenAt.getTime());
  });

  it('stores no user agent when the browser sends none', async () => {
    const { client } = await signedInClient(deps);
    expect((await sessionRow(client.cookieValue('session')))?.userAgent).toBeNull();
  });
});

describe('last_seen_at', () => {
  it('is written at most once a minute per session, by the requests that carry it', async () => {
    let clock = Date.parse('2026-11-27T08:00:00Z');
    const now = () => clock;
    const clocked = createTestDeps(database, {
      auth: createAuth(database.db, { secureCookies: false, now }),
      now,
    });
    const { client } = await signedInClient(clocked);
    const id = client.cookieValue('session');
    const lastSeen = async () => (await sessionRow(id))?.lastSeenAt.toISOString();
    const request = async () => (await client.caller()).auth.me();
    expect(await lastSeen()).toBe('2026-11-27T08:00:00.000Z');

    clock += 30_000;
    await request();
    expect(await lastSeen()).toBe('2026-11-27T08:00:00.000Z');
    clock += 30_000; // exactly a minute: not yet
    await request();
    expect(await lastSeen()).toBe('2026-11-27T08:00:00.000Z');
    clock += 1;
    await request();
    expect(await lastSeen()).toBe('2026-11-27T08:01:00.001Z');
    clock += 59_000;
    await request();
    await request();
    expect(await lastSeen()).toBe('2026-11-27T08:01:00.001Z');
    clock += 10 * 60_000;
    await request();
    expect(await lastSeen()).toBe('2026-11-27T08:11:59.001Z');
    expect((await sessionRow(id))?.createdAt.toISOString()).toBe('2026-11-27T08:00:00.000Z');
  });

  it('touches only the session the request carries', async () => {
    let clock = Date.parse('2026-11-27T09:00:00Z');
    const now = () => clock;
    const clocked = createTestDeps(database, {
      auth: createAuth(database.db, { secureCookies: false, now }),
      now,
    });
    const { client: laptop, email } = await signedInClient(clocked);
    const phone = createTestClient(clocked);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    clock += 5 * 60_000;
    await (await laptop.caller()).auth.me();
    expect((await sessionRow(laptop.cookieValue('session')))?.lastSeenAt.toISOString()).toBe(
      '2026-11-27T09:05:00.000Z',
    );
    expect((await sessionRow(phone.cookieValue('session')))?.lastSeenAt.toISOString()).toBe(
      '2026-11-27T09:00:00.000Z',
    );
  });
});

describe('sessions.list', () => {
  it("lists the user's own sessions: browser and system, address, times, and which is this one", async () => {
    const { client, email } = await signedInClient(deps);
    await anotherDevice(email, { userAgent: FIREFOX_MAC, clientIp: '198.51.100.4' });
    await anotherDevice(email, { userAgent: CHROME_ANDROID, clientIp: '2001:db8::1' });
    // Someone else's sessions never appear.
    await signedInClient(deps);

    const list = await (await client.caller()).sessions.list();
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({ current: true, browser: null, os: null, ip: '127.0.0.1' });
    expect(list.slice(1).map((s) => [s.browser?.name, s.os?.name, s.ip, s.current])).toEqual(
      expect.arrayContaining([
        ['Firefox', 'macOS', '198.51.100.4', false],
        ['Chrome', 'Android', '2001:db8::1', false],
      ]),
    );
    for (const session of list) {
      expect(Object.keys(session).sort()).toEqual(
        ['browser', 'createdAt', 'current', 'id', 'ip', 'lastSeenAt', 'os'].sort(),
      );
      expect(session.id).toMatch(/^[0-9a-f]{32}$/);
      expect(new Date(session.createdAt).toISOString()).toBe(session.createdAt);
    }
  });

  it('never shows a session id (the cookie’s secret), only a name derived from it', async () => {
    const { client } = await signedInClient(deps);
    const secret = client.cookieValue('session') ?? '';
    const list = await (await client.caller()).sessions.list();
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(list[0]?.id).toBe(publicSessionId(secret));
  });

  it('leaves out expired sessions', async () => {
    const { client, email } = await signedInClient(deps);
    const old = await anotherDevice(email, {});
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, old.cookieValue('session') ?? ''));
    const list = await (await client.caller()).sessions.list();
    expect(list.map((s) => s.current)).toEqual([true]);
  });

  it('answers UNAUTHORIZED when signed out', async () => {
    const error = await failure((await createTestClient(deps).caller()).sessions.list());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('sessions.revoke', () => {
  it('ends one of the caller’s sessions: its cookie stops working, the event is recorded', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const phone = await anotherDevice(email, { userAgent: CHROME_ANDROID });
    const list = await (await client.caller()).sessions.list();
    const target = list.find((s) => !s.current);
    expect(target).toBeDefined();

    const result = await (await client.caller()).sessions.revoke({ id: target?.id ?? '' });
    expect(result).toEqual({ ok: true });
    expect(await sessionRow(phone.cookieValue('session'))).toBeUndefined();
    expect(await (await phone.caller()).auth.me()).toBeNull();
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
    const events = await activityOf(userId);
    expect(events.at(-1)).toMatchObject({
      kind: 'session_revoked',
      detail: { browser: 'Chrome', os: 'Android' },
      ip: '127.0.0.1',
    });
  });

  it("answers another user's session exactly as an unknown one, and ends nothing", async () => {
    const { client: victim, userId: victimId } = await signedInClient(deps);
    const { client: attacker, userId: attackerId } = await signedInClient(deps);
    const victimSession = (await (await victim.caller()).sessions.list())[0];
    expect(victimSession).toBeDefined();

    const foreign = await failure(
      (await attacker.caller()).sessions.revoke({ id: victimSession?.id ?? '' }),
    );
    const unknown = await failure(
      (await attacker.caller()).sessions.revoke({ id: 'f'.repeat(32) }),
    );
    for (const error of [foreign, unknown]) {
      expect(error.code).toBe('NOT_FOUND');
      expect(error.reason).toBe('session_not_found');
    }
    expect(foreign.message).toBe(unknown.message);
    expect(await (await victim.caller()).auth.me()).not.toBeNull();
    // Nothing recorded for either account.
    expect((await activityOf(victimId)).map((e) => e.kind)).toEqual(['sign_in']);
    expect((await activityOf(attackerId)).map((e) => e.kind)).toEqual(['sign_in']);
  });

  it('refuses the raw session id (a cookie value) as input', async () => {
    const { client } = await signedInClient(deps);
    const error = await failure(
      (await client.caller()).sessions.revoke({ id: client.cookieValue('session') ?? '' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('a session ended already answers NOT_FOUND the second time', async () => {
    const { client, email } = await signedInClient(deps);
    await anotherDevice(email, {});
    const target = (await (await client.caller()).sessions.list()).find((s) => !s.current);
    await (await client.caller()).sessions.revoke({ id: target?.id ?? '' });
    const again = await failure((await client.caller()).sessions.revoke({ id: target?.id ?? '' }));
    expect(again.reason).toBe('session_not_found');
  });

  it('ending the current session signs this browser out and clears its cookie', async () => {
    const { client } = await signedInClient(deps);
    const current = (await (await client.caller()).sessions.list())[0];
    await (await client.caller()).sessions.revoke({ id: current?.id ?? '' });
    expect(client.setCookies.at(-1)).toMatch(/^session=;/);
    expect(await (await client.caller()).auth.me()).toBeNull();
  });
});

describe('sessions.revokeOthers', () => {
  it('keeps the current session and ends every other; the old cookies stop working', async () => {
    const { client, email, userId } = await signedInClient(deps);
    const others = [
      await anotherDevice(email, { userAgent: FIREFOX_MAC }),
      await anotherDevice(email, { userAgent: CHROME_ANDROID }),
    ];
    const { client: stranger } = await signedInClient(deps);

    expect(await (await client.caller()).sessions.revokeOthers()).toEqual({ count: 2 });
    for (const other of others) {
      expect(await (await other.caller()).auth.me()).toBeNull();
      // The browser is told its cookie is stale the next time it calls.
      expect(other.setCookies.at(-1)).toMatch(/^session=;/);
    }
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
    expect((await (await client.caller()).sessions.list()).map((s) => s.current)).toEqual([true]);
    expect(await (await stranger.caller()).auth.me()).not.toBeNull();
    const events = await activityOf(userId);
    expect(events.at(-1)).toMatchObject({
      kind: 'other_sessions_revoked',
      detail: { count: '2' },
    });
  });

  it('with no other session: nothing ends, nothing is recorded', async () => {
    const { client, userId } = await signedInClient(deps);
    expect(await (await client.caller()).sessions.revokeOthers()).toEqual({ count: 0 });
    expect((await activityOf(userId)).map((e) => e.kind)).toEqual(['sign_in']);
  });
});
