import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users, webhookEvents } from '../../db/schema';
import { createLogCollector, createTestDeps, startTestApp } from '../../tests/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { customerIdOf, signedInClient } from '../../tests/support/test-users';
import type { RunningApp } from '../app';

const SECRET = 'whsec_route_test_secret';
let database: TestDatabase;
let app: RunningApp;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database, { env: { RECUR_WEBHOOK_SECRET: SECRET }, log: logs.log });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

let eventCounter = 0;
function event(type: string, data: Record<string, unknown>, timestamp = Date.now()) {
  return { id: `evt_test_${++eventCounter}_${Date.now()}`, type, timestamp, data };
}

function sign(body: string, encoding: 'base64' | 'hex' = 'base64', secret = SECRET) {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

async function deliver(
  payload: unknown,
  options: { signature?: string; encoding?: 'base64' | 'hex'; sentAt?: number } = {},
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const response = await fetch(new URL('/api/webhooks/recur', app.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-recur-signature': options.signature ?? sign(body, options.encoding),
      ...(options.sentAt === undefined ? {} : { 'x-recur-timestamp': String(options.sentAt) }),
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const eventCount = () => database.db.$count(webhookEvents);

async function newUser() {
  return signedInClient(createTestDeps(database), { recurCustomerId: null });
}

describe('POST /api/webhooks/recur', () => {
  it('links the customer on checkout.completed by the user id in metadata (base64 signature)', async () => {
    const { userId, email } = await newUser();
    const response = await deliver(
      event('checkout.completed', {
        customerId: 'cus_checkout_1',
        customerEmail: 'someone-else@example.com',
        metadata: { userId },
      }),
    );
    expect(response).toEqual({ status: 200, json: { received: true } });
    expect(await customerIdOf(database.db, userId)).toBe('cus_checkout_1');
    expect(email).not.toBe('someone-else@example.com');
  });

  it('links on customer.created by the user id in metadata (hex signature)', async () => {
    const { userId } = await newUser();
    const response = await deliver(
      event('customer.created', { id: 'cus_created_1', metadata: { userId } }),
      { encoding: 'hex' },
    );
    expect(response.status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBe('cus_created_1');
  });

  it('never links by email alone: addresses are not verified', async () => {
    const { userId, email } = await newUser();
    const payload = event('customer.created', { id: 'cus_by_email_1', email });
    expect((await deliver(payload)).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBeNull();
    const [row] = await database.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, payload.id));
    expect(row?.result).toBe('no_matching_user');
  });

  it('records the newest subscription status, ignoring an older event that arrives late', async () => {
    const { userId } = await newUser();
    await database.db
      .update(users)
      .set({ recurCustomerId: 'cus_status_1' })
      .where(eq(users.id, userId));
    const now = Date.now();
    const sub = { id: 'sub_1', customerId: 'cus_status_1' };
    await deliver(event('subscription.cancelled', { ...sub, status: 'canceled' }, now));
    await deliver(event('subscription.activated', { ...sub, status: 'active' }, now - 60_000));
    const [row] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(row?.subscriptionStatus).toBe('canceled');
    expect(row?.subscriptionStatusAt?.getTime()).toBe(now);
  });

  it('defers a subscription event until its customer is linked, then applies its retry', async () => {
    const { userId } = await newUser();
    const sub = { id: 'sub_early', customerId: 'cus_early', status: 'active' };
    const early = event('subscription.activated', sub);
    const before = await eventCount();
    expect((await deliver(early)).status).toBe(503);
    expect(await eventCount()).toBe(before);

    await deliver(event('checkout.completed', { customerId: 'cus_early', metadata: { userId } }));
    expect((await deliver(early)).json).toEqual({ received: true });
    const [row] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(row?.subscriptionStatus).toBe('active');
  });

  it('accepts a retry of an old event when this delivery is fresh (X-Recur-Timestamp)', async () => {
    const { userId } = await newUser();
    const old = event(
      'checkout.completed',
      { customerId: 'cus_retried', metadata: { userId } },
      Date.now() - 3 * 60 * 60_000,
    );
    expect((await deliver(old, { sentAt: Date.now() - 6 * 60_000 })).status).toBe(400);
    expect((await deliver(old, { sentAt: Date.now() })).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBe('cus_retried');
  });

  it('answers a replayed event with 200 and writes nothing twice', async () => {
    const { userId } = await newUser();
    const payload = event('checkout.completed', {
      customerId: 'cus_replay_1',
      metadata: { userId },
    });
    expect((await deliver(payload)).json).toEqual({ received: true });
    await database.db.update(users).set({ recurCustomerId: null }).where(eq(users.id, userId));
    const before = await eventCount();
    const replay = await deliver(payload);
    expect(replay).toEqual({ status: 200, json: { received: true, duplicate: true } });
    expect(await eventCount()).toBe(before);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('accepts an unknown event type with 200 and ignores it', async () => {
    const payload = event('invoice.paid', { id: 'inv_1' });
    expect((await deliver(payload)).status).toBe(200);
    const [row] = await database.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, payload.id));
    expect(row?.result).toBe('ignored');
  });

  it.each([
    ['a signature made with another secret', { signature: sign('{}', 'base64', 'whsec_other') }],
    ['no signature', { signature: '' }],
    ['a garbled signature', { signature: 'not-a-signature' }],
  ])('refuses %s with 401 and writes nothing', async (_, options) => {
    const { userId } = await newUser();
    const before = await eventCount();
    const response = await deliver(
      event('checkout.completed', { customerId: 'cus_forged', metadata: { userId } }),
      options,
    );
    expect(response.status).toBe(401);
    expect(await eventCount()).toBe(before);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('refuses an event signed correctly but dated more than 5 minutes away', async () => {
    const { userId } = await newUser();
    const before = await eventCount();
    const old = event(
      'checkout.completed',
      { customerId: 'cus_old', metadata: { userId } },
      Date.now() - 6 * 60_000,
    );
    expect((await deliver(old)).status).toBe(400);
    const future = event(
      'checkout.completed',
      { customerId: 'cus_future', metadata: { userId } },
      Date.now() + 6 * 60_000,
    );
    expect((await deliver(future)).status).toBe(400);
    expect(await eventCount()).toBe(before);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it.each([
    ['not JSON', '{"id": '],
    ['JSON without the envelope', JSON.stringify({ hello: 'world' })],
    ['a known event without its data', JSON.stringify(event('checkout.completed', {}))],
  ])('refuses %s with 400 and writes nothing', async (_, body) => {
    const before = await eventCount();
    expect((await deliver(body)).status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('does not move a customer id that another account already holds', async () => {
    const holder = await newUser();
    const other = await newUser();
    await deliver(
      event('checkout.completed', { customerId: 'cus_taken', metadata: { userId: holder.userId } }),
    );
    await deliver(
      event('checkout.completed', { customerId: 'cus_taken', metadata: { userId: other.userId } }),
    );
    expect(await customerIdOf(database.db, holder.userId)).toBe('cus_taken');
    expect(await customerIdOf(database.db, other.userId)).toBeNull();
  });
});

describe('one event delivered to two server instances at once', () => {
  it('is applied once: one answer says duplicate, one event row exists', async () => {
    const second = await startTestApp(await database.openAnotherConnection(), {
      env: { RECUR_WEBHOOK_SECRET: SECRET },
    });
    try {
      const { userId } = await newUser();
      const body = JSON.stringify(
        event('checkout.completed', { customerId: 'cus_twice', metadata: { userId } }),
      );
      const post = (url: string) =>
        fetch(new URL('/api/webhooks/recur', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-recur-signature': sign(body) },
          body,
        }).then(async (response) => ({ status: response.status, json: await response.json() }));
      const answers = await Promise.all([post(app.url), post(second.url)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers.filter((a) => a.json.duplicate === true)).toHaveLength(1);
      const id = (JSON.parse(body) as { id: string }).id;
      expect(await database.db.$count(webhookEvents, eq(webhookEvents.id, id))).toBe(1);
      expect(await customerIdOf(database.db, userId)).toBe('cus_twice');
    } finally {
      await second.close();
    }
  });
});

describe('webhooks with no secret configured', () => {
  it('answers 503 and says why in the log', async () => {
    const unconfigured = await startTestApp(database, {
      env: { RECUR_SECRET_KEY: 'sk_test_x', RECUR_API_URL: 'http://127.0.0.1:1' },
      log: logs.log,
    });
    try {
      const response = await fetch(new URL('/api/webhooks/recur', unconfigured.url), {
        method: 'POST',
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect(logs.lines.some((l) => l.includes('RECUR_WEBHOOK_SECRET is not set'))).toBe(true);
    } finally {
      await unconfigured.close();
    }
  });
});
