// The demo account's password is public. A database that holds it must never serve real billing
// on a public URL: the server refuses to start and says how to remove the account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { ConfigError } from '../../server/config';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccount(database.db);
});
afterAll(() => database.close());

const realRecur = { RECUR_SECRET_KEY: 'sk_test_real_looking', RECUR_API_URL: 'http://127.0.0.1:1' };

describe('a database holding the demo account', () => {
  it('stops a server with a Recur key on a public APP_URL, naming the account', async () => {
    const started = startTestApp(database, {
      env: { ...realRecur, APP_URL: 'https://app.example.com' },
    });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(DEMO_ACCOUNT.email);
  });

  it('still serves a local APP_URL and the public demo of the emulator', async () => {
    for (const env of <Record<string, string>[]>[
      { ...realRecur, APP_URL: 'http://localhost:3000' },
      { APP_URL: 'https://demo.example.com', RECUR_EMULATOR: '1' },
    ]) {
      const app = await startTestApp(database, { env });
      await app.close();
    }
  });
});
