// The attempt's audit row, completed after the answer: the outcome lands on the `requested` row,
// an opened portal is also the account's activity, and an account deleted in between is no error.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountActivity, portalSessionAudit, users } from '../../db/schema';
import { createLogCollector, createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import type { AppDeps } from '../trpc/context';
import { createPortalAudit, type PortalAudit } from './portal-audit';

let database: TestDatabase;
let deps: AppDeps;
let audit: PortalAudit;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
  audit = createPortalAudit(database.db, { log: logs.log, scale: 1 });
});
afterAll(async () => {
  await database.close();
});

async function requested() {
  const { client, userId } = await signedInClient(deps);
  const attempt = await audit.begin([client.cookieValue('session') ?? '']);
  if (!attempt.admission?.allowed) throw new Error('the attempt was not admitted');
  return { userId, auditId: attempt.admission.auditId };
}
const rowOf = async (id: number) =>
  (await database.db.select().from(portalSessionAudit).where(eq(portalSessionAudit.id, id)))[0];
const activityOf = (userId: string) =>
  database.db
    .select({ kind: accountActivity.kind, ip: accountActivity.ip })
    .from(accountActivity)
    .where(eq(accountActivity.userId, userId));

describe('completing an attempt', () => {
  it('writes the outcome on its row, and an opened portal to the activity list', async () => {
    const { userId, auditId } = await requested();
    audit.complete({
      auditId,
      userId,
      recurCustomerId: 'cus_1',
      portalSessionId: 'ps_1',
      outcome: 'created',
      ip: '203.0.113.9',
    });
    expect((await rowOf(auditId))?.outcome).toBe('requested');
    await audit.settled();
    expect(await rowOf(auditId)).toMatchObject({
      userId,
      outcome: 'created',
      portalSessionId: 'ps_1',
      recurCustomerId: 'cus_1',
    });
    expect((await activityOf(userId)).filter((row) => row.kind !== 'sign_in')).toEqual([
      { kind: 'portal_opened', ip: '203.0.113.9' },
    ]);
  });

  it('writes a failure without an activity row', async () => {
    const { userId, auditId } = await requested();
    audit.complete({
      auditId,
      userId,
      recurCustomerId: null,
      portalSessionId: null,
      outcome: 'unavailable',
      ip: null,
    });
    await audit.settled();
    expect((await rowOf(auditId))?.outcome).toBe('unavailable');
    expect((await activityOf(userId)).map((row) => row.kind)).not.toContain('portal_opened');
  });

  it('completes the row of an account deleted in between, with no error', async () => {
    const { userId, auditId } = await requested();
    await database.db
      .update(portalSessionAudit)
      .set({ userId: null })
      .where(eq(portalSessionAudit.userId, userId));
    await database.db.delete(users).where(eq(users.id, userId));
    const before = logs.lines.length;
    audit.complete({
      auditId,
      userId,
      recurCustomerId: 'cus_2',
      portalSessionId: 'ps_2',
      outcome: 'created',
      ip: null,
    });
    await audit.settled();
    expect(await rowOf(auditId)).toMatchObject({ userId: null, outcome: 'created' });
    expect(await activityOf(userId)).toEqual([]);
    expect(logs.lines.slice(before)).toEqual([]);
  });
});
