import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../server/auth/password';
import { createTestDatabase } from '../tests/support/test-database';
import type { Database } from './create-db';
import { migrate } from './migrate';
import { users } from './schema';
import { DEMO_ACCOUNT, isDatabaseEmpty, seedDemoAccount } from './seed';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the demo account seed', () => {
  it('stores a hash that verifies against the password the README states', async () => {
    expect(await verifyPassword(DEMO_ACCOUNT.passwordHash, DEMO_ACCOUNT.password)).toBe(true);
  });

  it('creates the demo account linked to the emulator customer, once', async () => {
    expect(await isDatabaseEmpty(database.db)).toBe(true);
    expect(await seedDemoAccount(database.db)).toBe(true);
    expect(await seedDemoAccount(database.db)).toBe(false);
    const rows = await database.db.select().from(users).where(eq(users.email, DEMO_ACCOUNT.email));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.recurCustomerId).toBe('cus_demo');
    expect(await isDatabaseEmpty(database.db)).toBe(false);
  });

  it('lets migrations run again at every start without changing anything', async () => {
    await migrate(database);
    expect(await database.db.$count(users)).toBe(1);
  });

  it('refuses an email that is not lower-cased, even from outside the app', async () => {
    await expect(
      database.db.insert(users).values({
        id: 'upper',
        email: 'Upper@Example.com',
        passwordHash: 'x',
        displayName: 'x',
      }),
    ).rejects.toThrow();
  });
});
