// `npm run db:migrate` and `npm run db:seed`: the same database the app uses (DATABASE_URL, else
// the embedded one in PGLITE_DATA_DIR), read from `.env` as the server reads it (variables already
// set win). Stop the app first when it uses the embedded database.
import { existsSync } from 'node:fs';
import { createDb } from './create-db';
import { migrate } from './migrate';
import { DEMO_ACCOUNT, seedDemoAccount } from './seed';

if (existsSync('.env')) process.loadEnvFile('.env');

const command = process.argv[2];
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: tsx db/cli.ts migrate|seed');
  process.exit(2);
}

const database = await createDb({
  databaseUrl: process.env.DATABASE_URL || undefined,
  pgliteDataDir: process.env.PGLITE_DATA_DIR || './.data/pglite',
});
try {
  await migrate(database);
  console.log(`Migrations applied (${database.kind}).`);
  if (command === 'seed') {
    const created = await seedDemoAccount(database.db);
    console.log(
      created
        ? `Demo account created: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}`
        : `Demo account already exists: ${DEMO_ACCOUNT.email}`,
    );
  }
} finally {
  await database.close();
}
