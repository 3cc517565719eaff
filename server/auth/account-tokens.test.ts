// The account links' store: nothing is written for an id with no user, earlier links of the same
// purpose stop working unless kept, and housekeeping keeps a week of expired rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { tokensOf } from '../../tests/support/account-security';
import { createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import type { AppDeps } from '../trpc/context';
import {
  deleteStaleAccountTokens,
  findUsableToken,
  issueAccountToken,
  spendAccountToken,
} from './account-tokens';

let database: Database;
let deps: AppDeps;
const now = new Date('2026-07-01T09:00:00Z');
const HOUR = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

const issue = (userId: string, options: { validMs?: number; keepEarlier?: boolean } = {}) =>
  issueAccountToken(database.db, {
    userId,
    purpose: 'email_change_report',
    now,
    validMs: options.validMs ?? HOUR,
    ...(options.keepEarlier ? { keepEarlier: true } : {}),
  });

describe('account links', () => {
  it('are not written for an id with no user', async () => {
    const token = await issue('no-such-user');
    expect(await findUsableToken(database.db, token, 'email_change_report', now)).toBe('invalid');
    expect(await tokensOf(database.db, 'no-such-user')).toEqual([]);
  });

  it('replace the earlier link of the purpose, unless it is kept', async () => {
    const { userId } = await signedInClient(deps);
    const first = await issue(userId);
    const second = await issue(userId, { keepEarlier: true });
    const third = await issue(userId);
    expect(await findUsableToken(database.db, first, 'email_change_report', now)).toBe('invalid');
    expect(await findUsableToken(database.db, second, 'email_change_report', now)).toBe('invalid');
    expect(await findUsableToken(database.db, third, 'email_change_report', now)).toMatchObject({
      userId,
    });
    const kept = await issue(userId, { keepEarlier: true });
    expect(await tokensOf(database.db, userId)).toHaveLength(2);
    expect(await findUsableToken(database.db, kept, 'email_change_report', now)).not.toBe(
      'invalid',
    );
  });

  it('are spent for their own purpose only', async () => {
    const { userId } = await signedInClient(deps);
    const token = await issue(userId);
    const spent = await database.db.transaction((tx) =>
      spendAccountToken(tx, token, 'password_reset', now),
    );
    expect(spent).toBe('invalid');
  });

  it('are deleted a week after they expire, not before', async () => {
    const { userId } = await signedInClient(deps);
    await issue(userId, { validMs: -7 * 24 * HOUR - 1000, keepEarlier: true });
    const recent = await issue(userId, { validMs: -7 * 24 * HOUR + 1000, keepEarlier: true });
    await deleteStaleAccountTokens(database.db, now);
    const rows = await tokensOf(database.db, userId);
    expect(rows).toHaveLength(1);
    expect(await findUsableToken(database.db, recent, 'email_change_report', now)).toBe('expired');
  });
});
