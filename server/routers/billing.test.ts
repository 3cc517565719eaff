import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { RecurAPIError } from 'recur-tw/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { portalSessionAudit, recurLinkConflicts } from '../../db/schema';
import { DEMO_CUSTOMER_ID, type RunningEmulator, startEmulator } from '../../emulator';
import { rejection as failure } from '../../tests/support/app-error';
import { payEmulatorCheckout, TEST_CARDS } from '../../tests/support/emulator-checkout';
import {
  createLogCollector,
  createTestClient,
  createTestDeps,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { customerIdOf, signedInClient } from '../../tests/support/test-users';
import { createRecurClient, type RecurSdk } from '../billing/recur-client';
import type { AppDeps } from '../trpc/context';

// Long enough for a loaded machine to answer, short enough for the hang test to be quick.
const TIMEOUT_MS = 1500;
let database: Database;
let emulator: RunningEmulator;
let deps: AppDeps;
const logs = createLogCollector();
const config = testConfig({
  APP_URL: 'https://app.example.com',
  RECUR_PORTAL_CONFIGURATION_ID: 'cfg_test',
});

function depsWith(recur: { apiUrl?: string; secretKey?: string; sdk?: RecurSdk }): AppDeps {
  return createTestDeps(database, {
    config,
    log: logs.log,
    recur: createRecurClient({
      secretKey: recur.secretKey ?? emulator.secretKey,
      apiUrl: recur.apiUrl ?? emulator.url,
      timeoutMs: TIMEOUT_MS,
      ...(recur.sdk ? { sdk: recur.sdk } : {}),
    }),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startEmulator({ port: 0 });
  deps = depsWith({});
});
afterAll(async () => {
  await emulator.close();
  await database.close();
});
beforeEach(() => {
  emulator.clearFaults();
});

/** The user's audit rows, once `from` has written the outcomes it completes after answering. */
async function auditOf(userId: string, from: AppDeps = deps) {
  await from.portalAudit.settled();
  return database.db.select().from(portalSessionAudit).where(eq(portalSessionAudit.userId, userId));
}
const portalSessionCount = () => emulator.state().portalSessions.length;

describe('billing.createPortalSession: who may call it', () => {
  it('answers UNAUTHORIZED when signed out, without calling Recur', async () => {
    const before = portalSessionCount();
    const error = await failure(
      (await createTestClient(deps).caller()).billing.createPortalSession(),
    );
    expect(error.code).toBe('UNAUTHORIZED');
    expect(portalSessionCount()).toBe(before);
  });

  it("asks Recur by the user's own id when the row has none, and answers no_customer when Recur knows none", async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: null });
    const before = portalSessionCount();
    const error = await failure((await client.caller()).billing.createPortalSession());
    expect(error.code).toBe('NOT_FOUND');
    expect(error.reason).toBe('no_customer');
    expect(error.message).toBe('No subscription found.');
    expect(portalSessionCount()).toBe(before);
    expect((await auditOf(userId)).map((row) => row.outcome)).toEqual(['no_customer']);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it.each([
    [{ customerId: 'cus_someone_else' }],
    [{ customer: 'cus_someone_else' }],
    [{ locale: 'fr' }],
  ])('rejects the input %o and calls nobody', async (input) => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    const before = portalSessionCount();
    const error = await failure(
      (await client.caller()).billing.createPortalSession(input as never),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(portalSessionCount()).toBe(before);
    expect(await auditOf(userId)).toEqual([]);
  });
});

describe('billing.createPortalSession: success', () => {
  it("sends exactly the row's customer id, the configured return URL, configuration and locale", async () => {
    const { client, userId } = await signedInClient(deps, {
      recurCustomerId: DEMO_CUSTOMER_ID,
      locale: 'en',
    });
    const result = await (await client.caller()).billing.createPortalSession();

    expect(Object.keys(result).sort()).toEqual(['expiresAt', 'url']);
    expect(result.url).toMatch(new RegExp(`^${emulator.url}/s/ps_`));
    const sent = emulator.state().portalSessions.at(-1);
    expect(sent).toMatchObject({
      customerId: DEMO_CUSTOMER_ID,
      returnUrl: 'https://app.example.com/account',
      configurationId: 'cfg_test',
      locale: 'en',
    });
    expect(new Date(result.expiresAt).getTime()).toBe(sent?.expiresAt);
    const audit = await auditOf(userId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      outcome: 'created',
      recurCustomerId: DEMO_CUSTOMER_ID,
      portalSessionId: sent?.id,
    });
  });

  it('uses the locale asked for over the account language', async () => {
    const { client } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    await (await client.caller()).billing.createPortalSession({ locale: 'en' });
    expect(emulator.state().portalSessions.at(-1)?.locale).toBe('en');
    await (await client.caller()).billing.createPortalSession();
    expect(emulator.state().portalSessions.at(-1)?.locale).toBe('zh-TW');
  });

  it('creates a fresh session on every call', async () => {
    const { client } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    const first = await (await client.caller()).billing.createPortalSession();
    const second = await (await client.caller()).billing.createPortalSession();
    expect(first.url).not.toBe(second.url);
  });
});

describe('billing.createPortalSession: a user who paid but whose webhook never came', () => {
  it('opens the portal by external id and stores the customer Recur names', async () => {
    const { client, userId } = await signedInClient(deps, { verified: true });
    const caller = await client.caller();
    const { url } = await caller.billing.createCheckoutSession({ plan: 'starter-plan' });
    expect((await payEmulatorCheckout(url, TEST_CARDS.success)).status).toBe(303);
    expect(await customerIdOf(database.db, userId)).toBeNull();

    const result = await caller.billing.createPortalSession();
    expect(result.url).toMatch(new RegExp(`^${emulator.url}/s/ps_`));
    const customer = emulator.state().customers.find((c) => c.externalId === userId);
    expect(customer).toBeDefined();
    expect(await customerIdOf(database.db, userId)).toBe(customer?.id);
    expect(emulator.state().portalSessions.at(-1)?.customerId).toBe(customer?.id);
    expect((await auditOf(userId)).map((row) => [row.outcome, row.recurCustomerId])).toEqual([
      ['created', customer?.id],
    ]);
  });

  it('refuses, records and keeps both when Recur names a customer another user holds', async () => {
    const holder = await signedInClient(deps, { verified: true });
    const { url } = await (await holder.client.caller()).billing.createCheckoutSession({
      plan: 'pro-plan',
    });
    await payEmulatorCheckout(url, TEST_CARDS.success);
    const customer = emulator.state().customers.find((c) => c.externalId === holder.userId);
    if (!customer) throw new Error('checkout made no customer');
    // Another account got hold of that customer id first (however it happened).
    const other = await signedInClient(deps, { recurCustomerId: customer.id });

    const error = await failure((await holder.client.caller()).billing.createPortalSession());
    expect(error.reason).toBe('billing_misconfigured');
    expect(await customerIdOf(database.db, holder.userId)).toBeNull();
    expect(await customerIdOf(database.db, other.userId)).toBe(customer.id);
    const conflicts = await database.db
      .select()
      .from(recurLinkConflicts)
      .where(eq(recurLinkConflicts.userId, holder.userId));
    expect(conflicts).toMatchObject([
      { refusedCustomerId: customer.id, keptCustomerId: null, source: 'lookup:portal' },
    ]);
    expect((await auditOf(holder.userId)).map((row) => row.outcome)).toEqual(['link_conflict']);
  });
});

describe('billing.createPortalSession: the database fails while linking', () => {
  it('answers a generic error and still completes the attempt, as unavailable', async () => {
    const { client, userId } = await signedInClient(deps, { verified: true });
    const caller = await client.caller();
    const { url } = await caller.billing.createCheckoutSession({ plan: 'starter-plan' });
    await payEmulatorCheckout(url, TEST_CARDS.success);
    // A real failure inside the database, for this user's row only.
    await database.db.execute(
      sql.raw(`CREATE FUNCTION refuse_link() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the link is refused for this test'; END $$ LANGUAGE plpgsql`),
    );
    await database.db.execute(
      sql.raw(`CREATE TRIGGER refuse_link BEFORE UPDATE OF recur_customer_id ON users
        FOR EACH ROW WHEN (NEW.id = '${userId}') EXECUTE FUNCTION refuse_link()`),
    );
    try {
      const error = await failure(caller.billing.createPortalSession());
      expect(error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await customerIdOf(database.db, userId)).toBeNull();
      expect((await auditOf(userId)).map((row) => row.outcome)).toEqual(['unavailable']);
    } finally {
      await database.db.execute(sql.raw('DROP TRIGGER refuse_link ON users'));
      await database.db.execute(sql.raw('DROP FUNCTION refuse_link()'));
    }
  });
});

describe('billing.createPortalSession: upstream failures', () => {
  async function callAs(recurCustomerId: string, callDeps = deps) {
    const { client, userId } = await signedInClient(callDeps, { recurCustomerId });
    const error = await failure((await client.caller()).billing.createPortalSession());
    const audit = await auditOf(userId, callDeps);
    return { error, audit, userId };
  }

  it('maps customer_not_found to NOT_FOUND no_customer and keeps the stored id', async () => {
    const { error, audit, userId } = await callAs('cus_unknown_to_recur');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.reason).toBe('no_customer');
    expect(audit.map((row) => row.outcome)).toEqual(['customer_not_found']);
    expect(await customerIdOf(database.db, userId)).toBe('cus_unknown_to_recur');
  });

  it('maps a bad key to a generic INTERNAL_SERVER_ERROR, cause in the log but not the key', async () => {
    const { error, audit } = await callAs(
      DEMO_CUSTOMER_ID,
      depsWith({ secretKey: 'sk_test_revoked_key_123' }),
    );
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.reason).toBe('billing_misconfigured');
    expect(error.message).not.toMatch(/sk_|401|key/i);
    expect(audit.map((row) => row.outcome)).toEqual(['misconfigured']);
    const line = logs.lines.find((l) => l.includes('Recur misconfigured: 401'));
    expect(line).toBeDefined();
    expect(logs.lines.join('\n')).not.toContain('sk_test_revoked_key_123');
  });

  it('maps missing_return_url to a generic INTERNAL_SERVER_ERROR', async () => {
    const sdk = {
      portal: {
        sessions: {
          create: async () => {
            throw new RecurAPIError(
              {
                type: 'invalid_request_error',
                code: 'missing_return_url',
                message: 'No return URL',
              },
              400,
            );
          },
        },
      },
    } as unknown as RecurSdk;
    const { error, audit } = await callAs(DEMO_CUSTOMER_ID, depsWith({ sdk }));
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.reason).toBe('billing_misconfigured');
    expect(audit.map((row) => row.outcome)).toEqual(['misconfigured']);
  });

  it('maps Recur 429 to TOO_MANY_REQUESTS with a retry-after', async () => {
    emulator.injectFault({ mode: 'rate_limit', count: 1 });
    const { error, audit } = await callAs(DEMO_CUSTOMER_ID);
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.reason).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(audit.map((row) => row.outcome)).toEqual(['rate_limited']);
  });

  it.each([
    ['a 500', 'server_error', /Recur unavailable: 500/],
    ['a non-JSON body', 'non_json', /response was not JSON/],
    ['no answer before the timeout', 'hang', new RegExp(`no answer within ${TIMEOUT_MS} ms`)],
  ] as const)('maps %s to SERVICE_UNAVAILABLE billing_unavailable', async (_, mode, logged) => {
    emulator.injectFault({ mode, count: 1 });
    const { error, audit, userId } = await callAs(DEMO_CUSTOMER_ID);
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.reason).toBe('billing_unavailable');
    expect(audit.map((row) => row.outcome)).toEqual(['unavailable']);
    expect(logs.lines.some((l) => l.includes(userId) && logged.test(l))).toBe(true);
  });

  it('maps a refused connection to billing_unavailable', async () => {
    const { error } = await callAs(DEMO_CUSTOMER_ID, depsWith({ apiUrl: 'http://127.0.0.1:1' }));
    expect(error.reason).toBe('billing_unavailable');
  });

  it('maps an error body without `error` (a proxy’s JSON 502) to billing_unavailable', async () => {
    const proxy = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Bad Gateway' }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const { error } = await callAs(
        DEMO_CUSTOMER_ID,
        depsWith({ apiUrl: `http://127.0.0.1:${port}` }),
      );
      expect(error.reason).toBe('billing_unavailable');
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
