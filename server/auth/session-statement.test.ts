// Lucia's session rules, as the two statements that validate sessions apply them: the one every
// procedure uses (auth.validateSessions) and the billing portal's, which also counts the rate
// limit and records the attempt (portal-attempt.ts). Each rule is checked on both.
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalSessionAudit, rateLimits, sessions } from '../../db/schema';
import { createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import { createPortalAudit } from '../billing/portal-audit';
import type { AppDeps } from '../trpc/context';
import { type Auth, createAuth, type ValidatedSession } from './lucia';
import { LAST_SEEN_INTERVAL_MS, SESSION_LIFETIME_MS } from './session-statement';

const DAY = 86_400_000;
let database: TestDatabase;
let deps: AppDeps;
let clock = Date.now();
let auth: Auth;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
  auth = createAuth(database.db, { secureCookies: false, now: () => clock });
});
afterAll(async () => {
  await database.close();
});

/** A signed-in user's session id, and the session's row as stored. */
async function newSession() {
  const { client, userId } = await signedInClient(deps);
  const id = client.cookieValue('session') ?? '';
  return { id, userId };
}
const rowOf = async (id: string) =>
  (await database.db.select().from(sessions).where(eq(sessions.id, id)))[0];
const setRow = (id: string, values: Partial<typeof sessions.$inferInsert>) =>
  database.db.update(sessions).set(values).where(eq(sessions.id, id));

/** Each statement, as the code that uses it reads its answer. */
const statements: [string, (ids: string[]) => Promise<ValidatedSession[]>][] = [
  ['auth.validateSessions', (ids) => auth.validateSessions(ids)],
  [
    'the portal attempt',
    async (ids) => {
      const audit = createPortalAudit(database.db, {
        log: () => {},
        scale: 1000,
        now: () => clock,
      });
      const attempt = await audit.begin(ids);
      return auth.validated(attempt.sessions);
    },
  ],
];

describe.each(statements)('%s', (_name, validate) => {
  it('finds a live session and its user, and renews nothing in the first half of its life', async () => {
    const { id, userId } = await newSession();
    clock = Date.now() + 10 * DAY;
    const before = await rowOf(id);
    const [session] = await validate([id]);
    expect(session?.user.id).toBe(userId);
    expect(session?.renewedCookie).toBeNull();
    expect((await rowOf(id))?.expiresAt).toEqual(before?.expiresAt);
  });

  it('renews a session past half its life: a new cookie, and 30 days more in the row', async () => {
    const { id } = await newSession();
    clock = Date.now() + 16 * DAY;
    const [session] = await validate([id]);
    expect(session?.renewedCookie).toMatch(new RegExp(`^session=${id};.*Max-Age=2592000`));
    expect((await rowOf(id))?.expiresAt.getTime()).toBe(clock + SESSION_LIFETIME_MS);
  });

  it('deletes an expired session and finds nothing', async () => {
    const { id } = await newSession();
    clock = Date.now() + 31 * DAY;
    expect(await validate([id])).toEqual([]);
    expect(await rowOf(id)).toBeUndefined();
  });

  it('writes last_seen_at at most once a minute', async () => {
    const { id } = await newSession();
    const seen = new Date(Date.now() - 10_000);
    await setRow(id, { lastSeenAt: seen });
    clock = Date.now();
    await validate([id]);
    expect((await rowOf(id))?.lastSeenAt).toEqual(seen);
    clock = seen.getTime() + LAST_SEEN_INTERVAL_MS + 1;
    await validate([id]);
    expect((await rowOf(id))?.lastSeenAt.getTime()).toBe(clock);
  });

  it('finds every live session of those presented, and none that is unknown', async () => {
    const first = await newSession();
    const second = await newSession();
    clock = Date.now();
    const found = await validate([first.id, 'unknownsessionid', second.id]);
    expect(found.map((session) => session.sessionId).sort()).toEqual([first.id, second.id].sort());
  });
});

describe('the portal attempt', () => {
  const audit = () => createPortalAudit(database.db, { log: () => {}, scale: 1, now: () => clock });
  const begin = (ids: string[]) => audit().begin(ids);
  const auditRows = (userId: string) =>
    database.db
      .select({ outcome: portalSessionAudit.outcome })
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.userId, userId));

  it('counts the hit and records the attempt as requested, in the same statement', async () => {
    const { id, userId } = await newSession();
    clock = Date.now();
    const attempt = await begin([id]);
    expect(attempt.admission).toMatchObject({ allowed: true, auditId: expect.any(Number) });
    const [row] = await database.db
      .select()
      .from(portalSessionAudit)
      .where(eq(portalSessionAudit.id, attempt.admission?.allowed ? attempt.admission.auditId : 0));
    expect(row).toMatchObject({ userId, outcome: 'requested', portalSessionId: null });
  });

  it('records the first refusal of a window as throttled, and no row for the rest', async () => {
    const { id, userId } = await newSession();
    clock = Date.now();
    const admissions = [];
    for (let i = 0; i < 13; i++) admissions.push((await begin([id])).admission);
    expect(admissions.filter((a) => a?.allowed)).toHaveLength(10);
    expect(admissions.at(-1)).toMatchObject({
      allowed: false,
      retryAfterSeconds: expect.any(Number),
    });
    const outcomes = (await auditRows(userId)).map((row) => row.outcome);
    expect(outcomes.filter((o) => o === 'requested')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(1);
  });

  it('counts a burst that arrives together exactly: each request its own place and row', async () => {
    const { id, userId } = await newSession();
    const other = await newSession();
    clock = Date.now();
    const shared = audit();
    const [admissions, otherAdmissions] = await Promise.all([
      Promise.all(Array.from({ length: 13 }, () => shared.begin([id]))),
      Promise.all(Array.from({ length: 2 }, () => shared.begin([other.id]))),
    ]);
    const allowed = admissions.flatMap((a) => (a.admission?.allowed ? [a.admission.auditId] : []));
    expect(allowed).toHaveLength(10);
    expect(new Set(allowed).size).toBe(10);
    expect(admissions.filter((a) => a.admission?.allowed === false)).toHaveLength(3);
    expect(otherAdmissions.every((a) => a.admission?.allowed)).toBe(true);
    const outcomes = (await auditRows(userId)).map((row) => row.outcome);
    expect(outcomes.filter((o) => o === 'requested')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(1);
    const requested = await database.db
      .select({ id: portalSessionAudit.id })
      .from(portalSessionAudit)
      .where(
        and(eq(portalSessionAudit.userId, userId), eq(portalSessionAudit.outcome, 'requested')),
      );
    expect(requested.map((row) => row.id).sort()).toEqual([...allowed].sort());
  });

  it('counts nothing and records nothing for an expired session', async () => {
    const { id, userId } = await newSession();
    clock = Date.now() + 31 * DAY;
    expect(await begin([id])).toEqual({ sessions: [], admission: null });
    expect(await auditRows(userId)).toEqual([]);
    expect(
      await database.db.$count(rateLimits, like(rateLimits.key, `billing-session:${userId}:%`)),
    ).toBe(0);
  });

  it('admits no one when the sessions presented belong to two users', async () => {
    const first = await newSession();
    const second = await newSession();
    clock = Date.now();
    const attempt = await begin([first.id, second.id]);
    expect(attempt.sessions).toHaveLength(2);
    expect(attempt.admission).toBeNull();
    expect(await auditRows(first.userId)).toEqual([]);
    expect(await auditRows(second.userId)).toEqual([]);
  });
});
