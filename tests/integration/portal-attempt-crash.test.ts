// kill -9 of the server while portal attempts wait on Recur: every attempt has its audit row
// afterwards, as `requested`. The row is written by the attempt's first statement, before Recur
// is called; only the outcome, written after the answer, can be lost (decision 27).
// On embedded PGlite (the database dies with the process) and, when TEST_DATABASE_URL is set, on
// the Postgres server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateDbOptions, createDb } from '../../db/create-db';
import { migrate } from '../../db/migrate';
import { portalSessionAudit } from '../../db/schema';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { startChildServer } from '../support/child-server';
import { demoBrowser } from '../support/http';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

interface Target {
  /** What the child server is given, and what the test reads the rows back with. */
  env: Record<string, string>;
  options: CreateDbOptions;
  drop(): Promise<void>;
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'portal-crash-'));
  return {
    env: { PGLITE_DATA_DIR: dir },
    options: { pgliteDataDir: dir },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const name = `crash_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    options: { databaseUrl: url.toString(), maxConnections: 2 },
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const targets: [string, () => Promise<Target>][] = [
  ['embedded PGlite', async () => pgliteTarget()],
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) targets.push(['the Postgres server', () => postgresTarget(serverUrl)]);

describe.each(targets)('kill -9 on %s', (_name, makeTarget) => {
  it('leaves the audit row of every attempt that reached Recur, as requested', async () => {
    const attempts = 3;
    const target = await makeTarget();
    try {
      const seeding = await createDb(target.options);
      await migrate(seeding);
      await seedDemoAccount(seeding.db);
      await seeding.close();
      const server = await startChildServer({
        ...target.env,
        RECUR_SECRET_KEY: emulator.secretKey,
        RECUR_API_URL: emulator.url,
      });
      try {
        const browser = await demoBrowser(server.url);
        emulator.injectFault({
          mode: 'slow',
          count: attempts,
          delayMs: 30_000,
          path: '/v1/portal/sessions',
        });
        const calls = Array.from({ length: attempts }, () =>
          browser.call('/trpc/billing.createPortalSession', { body: {} }).catch(() => 'cut off'),
        );
        // Every attempt is at Recur, waiting, once the faults are used up.
        while (emulator.faults().length > 0) await new Promise((r) => setTimeout(r, 20));
        server.process.kill('SIGKILL');
        await server.exited;
        expect(await Promise.all(calls)).toEqual(Array(attempts).fill('cut off'));
      } finally {
        if (server.process.exitCode === null) server.process.kill('SIGKILL');
      }

      const database = await createDb(target.options);
      try {
        const rows = await database.db
          .select({ outcome: portalSessionAudit.outcome })
          .from(portalSessionAudit)
          .where(eq(portalSessionAudit.userId, DEMO_ACCOUNT.id));
        expect(rows).toEqual(Array(attempts).fill({ outcome: 'requested' }));
      } finally {
        await database.close();
      }
    } finally {
      emulator.clearFaults();
      await target.drop();
    }
  }, 120_000);
});
