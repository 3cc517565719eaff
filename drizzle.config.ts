import { defineConfig } from 'drizzle-kit';

// drizzle-kit generates SQL from db/schema.ts into db/migrations; the app applies them itself at
// start-up (db/migrate.ts). `db:studio` and `db:migrate` use DATABASE_URL when set, else the
// embedded database in PGLITE_DATA_DIR — stop the app first: PGlite allows one process per directory.
export default defineConfig({
  schema: './db/schema.ts',
  out: './db/migrations',
  dialect: 'postgresql',
  ...(process.env.DATABASE_URL
    ? { dbCredentials: { url: process.env.DATABASE_URL } }
    : {
        driver: 'pglite',
        dbCredentials: { url: process.env.PGLITE_DATA_DIR ?? './.data/pglite' },
      }),
});
