import { fileURLToPath } from 'node:url';
import type { Database } from './create-db';

// Beside this module: db/migrations in the source tree, dist/server/migrations in the build.
const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies every pending migration in db/migrations; safe to run at every start. */
export async function migrate(database: Database): Promise<void> {
  // The migrator of the driver in use only: neither imports the other's driver.
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    const { migrate: migratePostgres } = await import('drizzle-orm/postgres-js/migrator');
    await migratePostgres(database.db as never, { migrationsFolder });
  }
}
