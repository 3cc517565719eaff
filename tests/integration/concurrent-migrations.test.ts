// Several instances starting together on an empty Postgres database: each applies the pending
// migrations at start, and an advisory lock makes them take turns, so every instance starts and
// every migration is applied once. Runs where the PostgreSQL server binaries are installed and
// TEST_DATABASE_URL is set (as in CI), on a scratch server of its own; skipped elsewhere.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { createScratchPostgres, postgresBinDir } from '../support/scratch-postgres';
import { startTestApp } from '../support/test-app';

const enabled = postgresBinDir() !== null && process.env.TEST_DATABASE_URL !== undefined;
const INSTANCES = 3;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe.skipIf(!enabled)('instances starting together on an empty database', () => {
  let scratch: ReturnType<typeof createScratchPostgres>;
  const databases: Database[] = [];
  let apps: PromiseSettledResult<RunningApp>[] = [];

  beforeAll(async () => {
    scratch = createScratchPostgres(await freePort());
    scratch.start();
    for (let i = 0; i < INSTANCES; i++) {
      databases.push(await createDb({ databaseUrl: scratch.url, maxConnections: 3 }));
    }
    apps = await Promise.allSettled(databases.map((database) => startTestApp(database)));
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) if (app.status === 'fulfilled') await app.value.close();
    await Promise.all(databases.map((database) => database.close()));
    scratch?.destroy();
  });

  it('all start, and each migration is recorded once', async () => {
    const failures = apps.flatMap((app) => (app.status === 'rejected' ? [String(app.reason)] : []));
    expect(failures).toEqual([]);
    for (const app of apps) {
      if (app.status === 'fulfilled')
        expect((await fetch(`${app.value.url}/healthz`)).status).toBe(200);
    }

    const journal = JSON.parse(
      readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
    ) as { entries: unknown[] };
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
      expect(rows).toHaveLength(journal.entries.length);
      expect(new Set(rows.map((row) => row.hash)).size).toBe(rows.length);
    } finally {
      await sql.end();
    }
  });
});
