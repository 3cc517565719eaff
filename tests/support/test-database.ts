import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type Database } from '../../db/create-db';
import { migrate } from '../../db/migrate';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
 * on the Postgres server named by TEST_DATABASE_URL (created here, dropped by `close()`).
 */
export async function createTestDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const database = await createDb({ pgliteDataDir: 'memory://', pgliteLoadDataDir: template });
    // The template is migrated already; this checks it is current and costs one query.
    await migrate(database);
    return database;
  }

  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ databaseUrl: url.toString(), maxConnections: 5 });
  await migrate(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
