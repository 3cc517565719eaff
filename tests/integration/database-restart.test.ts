// The Postgres server restarts under a running app: requests during the outage get a clear 503,
// the server keeps answering, and it recovers on its own once the database is back.
// Runs where the PostgreSQL server binaries are installed (as in CI); skipped elsewhere.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { httpClient, signUpAndSignIn } from '../support/http';
import { createScratchPostgres, postgresBinDir } from '../support/scratch-postgres';
import { startTestApp } from '../support/test-app';

const enabled = postgresBinDir() !== null && process.env.TEST_DATABASE_URL !== undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe.skipIf(!enabled)('a Postgres server restart', () => {
  let postgres: ReturnType<typeof createScratchPostgres>;
  let database: Database;
  let app: RunningApp;

  beforeAll(async () => {
    postgres = createScratchPostgres(await freePort());
    postgres.start();
    database = await createDb({ databaseUrl: postgres.url, maxConnections: 3 });
    app = await startTestApp(database);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
    postgres?.destroy();
  });

  it('answers 503 database_unavailable during the outage and recovers without a restart', async () => {
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email: 'restart@example.com', password: 'a long password' });

    postgres.stop();

    const me = await browser.call('/trpc/auth.me');
    expect(me.status).toBe(503);
    expect(me.json.error.data.reason).toBe('database_unavailable');
    expect(me.text).not.toMatch(/ECONNREFUSED|select|postgres:\/\//i);
    const anonymousSignUp = await httpClient(app.url).call('/trpc/auth.signUp', {
      body: { email: 'during-outage@example.com', password: 'a long password' },
    });
    expect(anonymousSignUp.status).toBe(503);
    expect((await fetch(new URL('/healthz', app.url))).status).toBe(503);
    expect((await fetch(new URL('/api/unknown', app.url))).status).toBe(404);

    postgres.start();

    let recovered = await browser.call('/trpc/auth.me');
    for (let attempt = 0; attempt < 50 && recovered.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = await browser.call('/trpc/auth.me');
    }
    expect(recovered.status).toBe(200);
    expect(recovered.json.result.data.email).toBe('restart@example.com');
    expect((await fetch(new URL('/healthz', app.url))).status).toBe(200);
  });
});
