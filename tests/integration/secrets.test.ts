// The Recur secret key stays in server memory: not in the browser bundle, not in any error
// body a client can see, not in the log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { seedDemoAccount } from '../../db/seed';
import { type RunningEmulator, startEmulator } from '../../emulator';
import type { RunningApp } from '../../server/app';
import { demoBrowser, httpClient } from '../support/http';
import { createLogCollector, recurEnv, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const WRONG_KEY = 'sk_test_wrong_but_well_formed_123';
let database: Database;
let emulator: RunningEmulator;
let app: RunningApp;
let misconfiguredApp: RunningApp;
const logs = createLogCollector();
const bodies: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccount(database.db);
  emulator = await startEmulator({ port: 0, logger: logs.log });
  app = await startTestApp(database, {
    env: { ...recurEnv(emulator), RECUR_TIMEOUT_MS: '300' },
    log: logs.log,
  });
  misconfiguredApp = await startTestApp(database, {
    env: { RECUR_SECRET_KEY: WRONG_KEY, RECUR_API_URL: emulator.url },
    log: logs.log,
  });
});
afterAll(async () => {
  await misconfiguredApp.close();
  await app.close();
  await emulator.close();
  await database.close();
});

async function record(response: Promise<{ status: number; text: string }>, status: number) {
  const { status: actual, text } = await response;
  expect(actual).toBe(status);
  bodies.push(text);
}

describe('the secret key never leaves the server', () => {
  it('stays out of every error body', async () => {
    const demo = await demoBrowser(app.url);
    const stranger = httpClient(app.url);
    await record(stranger.call('/trpc/billing.createPortalSession', { body: {} }), 401);
    await record(
      demo.call('/trpc/billing.createPortalSession', { body: { customerId: 'x' } }),
      400,
    );
    emulator.injectFault({ mode: 'rate_limit', count: 1 });
    await record(demo.call('/trpc/billing.createPortalSession', { body: {} }), 429);
    for (const mode of ['server_error', 'non_json', 'hang'] as const) {
      emulator.injectFault({ mode, count: 1 });
      await record(demo.call('/trpc/billing.createPortalSession', { body: {} }), 503);
    }
    const misconfigured = await demoBrowser(misconfiguredApp.url);
    await record(misconfigured.call('/trpc/billing.createPortalSession', { body: {} }), 500);
    await record(stranger.call('/trpc/nope', { body: {} }), 404);
    await record(stranger.call('/api/nope'), 404);
    await record(
      stranger.call('/trpc/auth.signIn', {
        body: { email: 'x', password: 'y' },
        headers: { origin: 'https://evil.example' },
      }),
      403,
    );

    expect(bodies).toHaveLength(10);
    for (const body of bodies) {
      expect(body).not.toContain('sk_');
      expect(body).not.toContain(WRONG_KEY);
    }

    // The same failures, as the server and the emulator logged them.
    const log = logs.lines.join('\n');
    expect(log).toContain('Recur misconfigured: 401');
    expect(log).toContain('Recur unavailable');
    expect(log).not.toContain('sk_');
  });

  it('stays out of the built client bundle, even when the build runs with a key set', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'client-build-'));
    const marker = 'sk_test_bundle_marker_0123456789';
    const previous = process.env.RECUR_SECRET_KEY;
    process.env.RECUR_SECRET_KEY = marker;
    try {
      await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
      const files = readdirSync(join(outDir, 'assets')).map((name) => join(outDir, 'assets', name));
      expect(files.some((file) => file.endsWith('.js'))).toBe(true);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect(text).not.toContain(marker);
        expect(text).not.toContain('sk_');
        expect(text).not.toContain('RECUR_SECRET_KEY');
      }
    } finally {
      if (previous === undefined) delete process.env.RECUR_SECRET_KEY;
      else process.env.RECUR_SECRET_KEY = previous;
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
