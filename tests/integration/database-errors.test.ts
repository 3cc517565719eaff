// A query that fails inside the database (here: a table that has gone missing) answers a generic
// 500 with nothing of the SQL or the driver's message, and the server keeps serving.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { DEMO_ACCOUNT, seedDemoAccount } from '../../db/seed';
import type { RunningApp } from '../../server/app';
import { demoBrowser } from '../support/http';
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

describe('a failing query', () => {
  it('answers a generic 500 without SQL, logs the cause, and keeps serving', async () => {
    const demo = await demoBrowser(app.url);
    await database.db.execute(sql`alter table portal_session_audit rename to audit_gone`);
    try {
      const response = await demo.call('/trpc/billing.createPortalSession', { body: {} });
      expect(response.status).toBe(500);
      expect(response.json.error.message).toBe(
        'Something went wrong on our side. Please try again.',
      );
      expect(response.text).not.toMatch(/portal_session_audit|relation|insert|select|stack/i);
      const logged = logs.lines.find((line) => line.includes('portal_session_audit'));
      expect(logged).toMatch(/42P01: relation "portal_session_audit" does not exist/);
      // The database's message, not the query and its parameters.
      expect(logged).not.toMatch(/insert into|params|user_demo/i);

      const me = await demo.call('/trpc/auth.me');
      expect(me.json.result.data.email).toBe(DEMO_ACCOUNT.email);
    } finally {
      await database.db.execute(sql`alter table audit_gone rename to portal_session_audit`);
    }
  });
});
