// Recur failing in each way it can, seen from a browser: the typed error arrives, and the server
// keeps serving everyone else while a Recur call hangs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import { type RunningEmulator, startEmulator } from '../../emulator';
import type { RunningApp } from '../../server/app';
import { demoBrowser, type httpClient } from '../support/http';
import { recurEnv, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let database: Database;
let emulator: RunningEmulator;
let app: RunningApp;
let demo: ReturnType<typeof httpClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccount(database.db);
  emulator = await startEmulator({ port: 0 });
  app = await startTestApp(database, { env: { ...recurEnv(emulator), RECUR_TIMEOUT_MS: '1500' } });
  demo = await demoBrowser(app.url);
});
afterAll(async () => {
  await app.close();
  await emulator.close();
  await database.close();
});

const openPortal = () => demo.call('/trpc/billing.createPortalSession', { body: {} });

describe('Recur failures over HTTP', () => {
  it.each([
    ['server_error', 503, 'billing_unavailable'],
    ['non_json', 503, 'billing_unavailable'],
    ['rate_limit', 429, 'rate_limited'],
    ['hang', 503, 'billing_unavailable'],
  ] as const)('%s → %i %s', async (mode, status, reason) => {
    emulator.injectFault({ mode, count: 1, path: '/v1/portal/sessions' });
    const response = await openPortal();
    expect(response.status).toBe(status);
    expect(response.json.error.data.reason).toBe(reason);
    expect((await openPortal()).status).toBe(200);
  });

  it('maps Recur being down (nothing listening) to 503', async () => {
    const down = await startTestApp(database, {
      env: { RECUR_SECRET_KEY: emulator.secretKey, RECUR_API_URL: 'http://127.0.0.1:1' },
    });
    try {
      const browser = await demoBrowser(down.url);
      const response = await browser.call('/trpc/billing.createPortalSession', { body: {} });
      expect(response.status).toBe(503);
      expect(response.json.error.data.reason).toBe('billing_unavailable');
    } finally {
      await down.close();
    }
  });

  it('keeps serving other requests while a Recur call hangs', async () => {
    // Its own emulator and a long timeout: the hanging call ends when that emulator closes,
    // so nothing here depends on how fast the machine is.
    const stuck = await startEmulator({ port: 0 });
    const patient = await startTestApp(database, {
      env: { ...recurEnv(stuck), RECUR_TIMEOUT_MS: '60000' },
    });
    try {
      const browser = await demoBrowser(patient.url);
      stuck.injectFault({ mode: 'hang', count: 1, path: '/v1/portal/sessions' });
      let settled = false;
      const hanging = browser
        .call('/trpc/billing.createPortalSession', { body: {} })
        .finally(() => {
          settled = true;
        });
      for (let i = 0; i < 10; i++) {
        const [health, me] = await Promise.all([
          fetch(new URL('/healthz', patient.url)),
          browser.call('/trpc/auth.me'),
        ]);
        expect(health.status).toBe(200);
        expect(me.json.result.data.email).toBe(DEMO_ACCOUNT.email);
      }
      expect(settled).toBe(false);
      await stuck.close();
      const response = await hanging;
      expect(response.status).toBe(503);
      expect(response.json.error.data.reason).toBe('billing_unavailable');
    } finally {
      await patient.close();
      await stuck.close();
    }
  });
});
