import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { bigint, pgSchema } from 'drizzle-orm/pg-core';
import type { Database } from './create-db';

// Beside this module: db/migrations in the source tree, dist/server/migrations in the build.
const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** The advisory lock every instance takes around its migrations: any fixed number, the same for all. */
const MIGRATION_LOCK_KEY = 0x5265_6375_72;

/** Drizzle's record of applied migrations (created by its migrator). */
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  createdAt: bigint('created_at', { mode: 'number' }),
});

/** Applies every pending migration in db/migrations; safe to run at every start. */
export async function migrate(database: Database): Promise<void> {
  // Every start but the first finds nothing to do: one query instead of the migrator's five.
  if (await isUpToDate(database)) return;
  // The migrator of the driver in use only: neither imports the other's driver.
  if (database.kind === 'pglite') {
    // One process per data directory (see create-db.ts): nobody to take turns with.
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const { migrate: migratePostgres } = await import('drizzle-orm/postgres-js/migrator');
  const withOneConnection = database.withOneConnection;
  if (!withOneConnection) throw new Error('a Postgres database must offer withOneConnection');
  // Instances starting together on an empty database would all create drizzle's bookkeeping table
  // and run the same migrations at once, and all but one crash. A session-level advisory lock,
  // taken and released on the migrator's own connection, makes them take turns: the first
  // migrates, the others wait, then find nothing pending. A crashed holder's lock goes with its
  // connection.
  await withOneConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePostgres(db as never, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/**
 * The test Drizzle's migrator makes: a migration is applied when it is newer than the newest one
 * recorded. Nothing recorded yet (or no record table) means not up to date.
 */
async function isUpToDate(database: Database): Promise<boolean> {
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
  ) as {
    entries: { when: number }[];
  };
  const newest = Math.max(...journal.entries.map((entry) => entry.when));
  try {
    const [row] = await database.db
      .select({ newest: sql<string | null>`max(${appliedMigrations.createdAt})` })
      .from(appliedMigrations);
    return row?.newest != null && Number(row.newest) >= newest;
  } catch {
    return false;
  }
}
