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
export interface TestDatabase extends Database {
  /** Where a second server instance connects: its own pool on Postgres (see below). */
  openAnotherConnection(): Promise<Database>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const database = await createDb({ pgliteDataDir: 'memory://', pgliteLoadDataDir: template });
    // The template is migrated already; this checks it is current and costs one query.
    await migrate(database);
    // An in-memory PGlite lives in one process and has one connection, so two "instances" in a
    // test share it; the Postgres run (CI) gives each its own pool and real concurrency.
    return { ...database, openAnotherConnection: async () => database };
  }

  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const others: Database[] = [];
  try {
    const database = await createDb({ databaseUrl: url.toString(), maxConnections: 5 });
    await migrate(database);
    return {
      ...database,
      openAnotherConnection: async () => {
        const other = await createDb({ databaseUrl: url.toString(), maxConnections: 5 });
        others.push(other);
        return other;
      },
      close: async () => {
        await Promise.all([database, ...others].map((db) => db.close()));
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } catch (error) {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    throw error;
  }
}
