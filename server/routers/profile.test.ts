// profile.update: the display name and the language, strict input, and `profile_updated` in the
// activity log written with the change.
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { accountActivity, users } from '../../db/schema';
import { createTestClient, createTestDeps } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import type { AppDeps } from '../trpc/context';

let database: Database;
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

const activityOf = (userId: string) =>
  database.db
    .select({ kind: accountActivity.kind, detail: accountActivity.detail, ip: accountActivity.ip })
    .from(accountActivity)
    .where(and(eq(accountActivity.userId, userId), eq(accountActivity.kind, 'profile_updated')));

async function rowOf(userId: string) {
  const [row] = await database.db
    .select({ displayName: users.displayName, locale: users.locale, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

describe('profile.update', () => {
  it('changes the display name and the language, and says so in the activity log', async () => {
    const { client, userId } = await signedInClient(deps, { locale: 'zh-TW' });
    const caller = await client.caller();
    expect(await caller.profile.update({ displayName: '  林美玲 ', locale: 'en' })).toEqual({
      displayName: '林美玲',
      locale: 'en',
    });
    expect(await rowOf(userId)).toMatchObject({ displayName: '林美玲', locale: 'en' });
    expect(await (await client.caller()).auth.me()).toMatchObject({
      displayName: '林美玲',
      locale: 'en',
    });
    expect(await activityOf(userId)).toEqual([
      {
        kind: 'profile_updated',
        detail: { fields: 'displayName,locale', locale: 'en' },
        ip: '127.0.0.1',
      },
    ]);
  });

  it('changes only the fields given, and records nothing when nothing changed', async () => {
    const { client, userId } = await signedInClient(deps, { locale: 'en' });
    const before = await rowOf(userId);
    const caller = await client.caller();
    await caller.profile.update({ locale: 'zh-TW' });
    expect(await rowOf(userId)).toMatchObject({
      displayName: before?.displayName,
      locale: 'zh-TW',
    });
    await (await client.caller()).profile.update({ locale: 'zh-TW' });
    await (await client.caller()).profile.update({});
    expect((await activityOf(userId)).map((entry) => entry.detail)).toEqual([
      { fields: 'locale', locale: 'zh-TW' },
    ]);
  });

  it('refuses an empty, too long or control-character name, and any other field', async () => {
    const { client, userId } = await signedInClient(deps);
    const before = await rowOf(userId);
    const caller = await client.caller();
    for (const input of [
      { displayName: '   ' },
      { displayName: 'x'.repeat(81) },
      { displayName: 'a\u0007b' },
      { locale: 'fr' },
      { email: 'someone@example.com' },
      { displayName: 'Fine', userId: 'user_demo' },
    ]) {
      await expect(
        caller.profile.update(input as Parameters<typeof caller.profile.update>[0]),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await rowOf(userId)).toEqual(before);
    expect(await activityOf(userId)).toEqual([]);
  });

  it('needs a session', async () => {
    const anonymous = await createTestClient(deps).caller();
    const error = await anonymous.profile.update({ displayName: 'Nobody' }).catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('auth.setLocale (the header language switch)', () => {
  it('is the same profile change: saved, and recorded once, only when it changes', async () => {
    const { client, userId } = await signedInClient(deps, { locale: 'zh-TW' });
    const caller = await client.caller();
    expect(await caller.auth.setLocale({ locale: 'en' })).toEqual({ locale: 'en' });
    expect((await rowOf(userId))?.locale).toBe('en');
    await (await client.caller()).auth.setLocale({ locale: 'en' });
    expect(await activityOf(userId)).toEqual([
      { kind: 'profile_updated', detail: { fields: 'locale', locale: 'en' }, ip: '127.0.0.1' },
    ]);
  });
});
