// SIGTERM while requests are in flight: they finish, new connections are refused, the database
// closes, the process exits 0, and every row the finished requests wrote is there afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/create-db';
import { migrate } from '../../db/migrate';
import { portalSessionAudit } from '../../db/schema';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { type ChildServer, startChildServer } from '../support/child-server';
import { demoBrowser } from '../support/http';

let emulator: RunningEmulator;
let dataDir: string;
let server: ChildServer;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'shutdown-test-'));
  // With a Recur key configured the server creates no demo account, so the test adds it first.
  const seeding = await createDb({ pgliteDataDir: dataDir });
  await migrate(seeding);
  await seedDemoAccount(seeding.db);
  await seeding.close();
  server = await startChildServer({
    PGLITE_DATA_DIR: dataDir,
    RECUR_SECRET_KEY: emulator.secretKey,
    RECUR_API_URL: emulator.url,
  });
}, 120_000);
afterAll(async () => {
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function freshConnectionGet(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

describe('graceful shutdown', () => {
  it('finishes in-flight requests, refuses new ones, and exits 0 with nothing lost', async () => {
    const browser = await demoBrowser(server.url);

    const inFlight = 5;
    emulator.injectFault({
      mode: 'slow',
      count: inFlight,
      delayMs: 1500,
      path: '/v1/portal/sessions',
    });
    const responses = Array.from({ length: inFlight }, () =>
      browser.call('/trpc/billing.createPortalSession', { body: {} }),
    );
    // Every request has reached Recur (and is waiting there) once the faults are used up.
    while (emulator.faults().length > 0) await new Promise((r) => setTimeout(r, 20));

    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.stdout?.once('data', resolve));
    // Refused outright, or reset if it raced the listening socket's close: never served.
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(await freshConnectionGet(server.url));

    const statuses = (await Promise.all(responses)).map((response) => response.status);
    expect(statuses).toEqual(Array(inFlight).fill(200));
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('SIGTERM received');

    const database = await createDb({ pgliteDataDir: dataDir });
    try {
      const rows = await database.db
        .select()
        .from(portalSessionAudit)
        .where(eq(portalSessionAudit.userId, DEMO_ACCOUNT.id));
      expect(rows.filter((row) => row.outcome === 'created')).toHaveLength(inFlight);
    } finally {
      await database.close();
    }
  });
});

describe('graceful shutdown after the clients hung up', () => {
  it('still writes the outcome of every portal attempt that was running', async () => {
    const abandonedDir = mkdtempSync(join(tmpdir(), 'shutdown-abandoned-'));
    const seeding = await createDb({ pgliteDataDir: abandonedDir });
    await migrate(seeding);
    await seedDemoAccount(seeding.db);
    await seeding.close();
    const child = await startChildServer({
      PGLITE_DATA_DIR: abandonedDir,
      RECUR_SECRET_KEY: emulator.secretKey,
      RECUR_API_URL: emulator.url,
    });
    try {
      const browser = await demoBrowser(child.url);
      const attempts = 5;
      emulator.injectFault({
        mode: 'slow',
        count: attempts,
        delayMs: 1500,
        path: '/v1/portal/sessions',
      });
      // Closed tabs: each request is abandoned once it is waiting on Recur.
      const hangUp = new AbortController();
      const calls = Array.from({ length: attempts }, () =>
        fetch(`${child.url}/trpc/billing.createPortalSession`, {
          method: 'POST',
          headers: {
            origin: child.url,
            'content-type': 'application/json',
            cookie: browser.cookie ?? '',
          },
          body: '{}',
          signal: hangUp.signal,
        }).catch(() => 'hung up'),
      );
      while (emulator.faults().length > 0) await new Promise((r) => setTimeout(r, 20));
      hangUp.abort();
      expect(await Promise.all(calls)).toEqual(Array(attempts).fill('hung up'));
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);

      const database = await createDb({ pgliteDataDir: abandonedDir });
      try {
        const rows = await database.db
          .select({ outcome: portalSessionAudit.outcome })
          .from(portalSessionAudit)
          .where(eq(portalSessionAudit.userId, DEMO_ACCOUNT.id));
        expect(rows).toEqual(Array(attempts).fill({ outcome: 'created' }));
      } finally {
        await database.close();
      }
    } finally {
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
      emulator.clearFaults();
      rmSync(abandonedDir, { recursive: true, force: true });
    }
  }, 60_000);
});
