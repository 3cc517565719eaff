// The whole "Manage billing" path over real HTTP: the app server, the published SDK and the
// Recur emulator, each on its own port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import type { RunningApp } from '../../server/app';
import { demoBrowser, httpClient } from '../support/http';
import { createLogCollector, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let database: Database;
let app: RunningApp;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccount(database.db);
  app = await startTestApp(database, { log: logs.log });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('Manage billing, end to end', () => {
  it('signs in the demo user, opens the portal once, and refuses the same link twice', async () => {
    const browser = await demoBrowser(app.url);

    const created = await browser.call('/trpc/billing.createPortalSession', { body: {} });
    expect(created.status).toBe(200);
    const { url, expiresAt } = created.json.result.data;
    expect(url).toMatch(/\/s\/ps_/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    const portal = await fetch(url);
    expect(portal.status).toBe(200);
    const html = await portal.text();
    expect(html).toContain(`href="${app.deps.config.appUrl}/account"`);
    expect(html).toContain(DEMO_ACCOUNT.email);

    const again = await fetch(url);
    expect(again.status).toBe(410);
  });

  it('answers a signed-out call with 401 and a readable reason', async () => {
    const response = await httpClient(app.url).call('/trpc/billing.createPortalSession', {
      body: {},
    });
    expect(response.status).toBe(401);
    expect(response.json.error.data.reason).toBe('unauthenticated');
  });
});
