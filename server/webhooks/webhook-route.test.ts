import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recurLinkConflicts, users, webhookEvents } from '../../db/schema';
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
/** An event as Recur documents it: an ISO-8601 `timestamp`. */
function event(type: string, data: Record<string, unknown>, at = Date.now()) {
  return {
    id: `evt_test_${++eventCounter}_${Date.now()}`,
    type,
    timestamp: new Date(at).toISOString(),
    data,
  };
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

async function resultOf(eventId: string) {
  const [row] = await database.db
    .select({ result: webhookEvents.result })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, eventId));
  return row?.result;
}

async function linkedUser(customerId: string) {
  const user = await newUser();
  await database.db
    .update(users)
    .set({ recurCustomerId: customerId })
    .where(eq(users.id, user.userId));
  return user;
}

const statusOf = async (userId: string) =>
  (await database.db.select().from(users).where(eq(users.id, userId)))[0];

describe('POST /api/webhooks/recur: linking', () => {
  it('links on customer.created by the external id the app sent at checkout (snake_case, base64)', async () => {
    const { userId, email } = await newUser();
    const payload = event('customer.created', {
      id: 'cus_created_1',
      email: 'someone-else@example.com',
      external_id: userId,
    });
    expect(await deliver(payload)).toEqual({ status: 200, json: { received: true } });
    expect(await customerIdOf(database.db, userId)).toBe('cus_created_1');
    expect(await resultOf(payload.id)).toBe('linked_customer');
    expect(email).not.toBe('someone-else@example.com');
  });

  it('links on customer.updated by externalId (camelCase, hex signature)', async () => {
    const { userId } = await newUser();
    const payload = event('customer.updated', { id: 'cus_updated_1', externalId: userId });
    expect((await deliver(payload, { encoding: 'hex' })).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBe('cus_updated_1');
  });

  it("never links on checkout.completed, whose data names the payer, not the customer's owner", async () => {
    const { userId } = await newUser();
    const payload = event('checkout.completed', {
      customerId: 'cus_checkout_1',
      externalCustomerId: userId,
      external_id: userId,
      metadata: { userId },
      productId: 'prod_starter',
      amount: 290,
    });
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('no_external_id');
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('links by our own metadata only on a new customer with no external id, and the external id wins', async () => {
    const first = await newUser();
    const second = await newUser();
    await deliver(
      event('customer.created', { id: 'cus_meta_1', metadata: { userId: first.userId } }),
    );
    expect(await customerIdOf(database.db, first.userId)).toBe('cus_meta_1');
    await deliver(
      event('customer.created', {
        id: 'cus_meta_2',
        external_id: second.userId,
        metadata: { userId: first.userId },
      }),
    );
    expect(await customerIdOf(database.db, second.userId)).toBe('cus_meta_2');
    expect(await customerIdOf(database.db, first.userId)).toBe('cus_meta_1');
    const third = await newUser();
    await deliver(
      event('customer.updated', { id: 'cus_meta_3', metadata: { userId: third.userId } }),
    );
    expect(await customerIdOf(database.db, third.userId)).toBeNull();
  });

  it.each([
    ['a trailing space', 'cus_demo '],
    ['a NUL byte', 'cus_\u0000demo'],
    ['another script', 'cus_d\u0435mo'],
  ])(
    'refuses a customer id with %s as unusable, never storing a second spelling',
    async (_, customerId) => {
      const { userId } = await newUser();
      const payload = event('customer.updated', { id: customerId, external_id: userId });
      expect((await deliver(payload)).status).toBe(200);
      expect(await resultOf(payload.id)).toBe('unusable_data');
      expect(await customerIdOf(database.db, userId)).toBeNull();
    },
  );

  it('documented checkout.completed data (no external id) is stored, answered 200, and links nobody', async () => {
    const { userId, email } = await newUser();
    const payload = event('checkout.completed', {
      customerId: 'cus_no_external',
      customerEmail: email,
      subscriptionId: 'sub_x',
      productId: 'prod_starter',
      amount: 290,
    });
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('no_external_id');
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('never links by email alone', async () => {
    const { userId, email } = await newUser();
    const payload = event('customer.created', { id: 'cus_by_email_1', email });
    expect((await deliver(payload)).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('never replaces a customer the user already holds: refused, both kept, recorded', async () => {
    const { userId } = await linkedUser('cus_original');
    const payload = event('customer.created', { id: 'cus_second', external_id: userId });
    expect((await deliver(payload)).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBe('cus_original');
    expect(await resultOf(payload.id)).toBe('user_holds_another_customer');
    const conflicts = await database.db
      .select()
      .from(recurLinkConflicts)
      .where(eq(recurLinkConflicts.userId, userId));
    expect(conflicts).toMatchObject([
      {
        keptCustomerId: 'cus_original',
        refusedCustomerId: 'cus_second',
        source: `webhook:${payload.id}`,
      },
    ]);
    expect(
      logs.lines.some(
        (line) => line.includes(payload.id) && line.includes('user_holds_another_customer'),
      ),
    ).toBe(true);
  });

  it('does not move a customer id that another account already holds', async () => {
    const holder = await linkedUser('cus_taken');
    const other = await newUser();
    const payload = event('customer.created', { id: 'cus_taken', external_id: other.userId });
    await deliver(payload);
    expect(await customerIdOf(database.db, holder.userId)).toBe('cus_taken');
    expect(await customerIdOf(database.db, other.userId)).toBeNull();
    expect(await resultOf(payload.id)).toBe('customer_held_by_another_user');
  });
});

describe('POST /api/webhooks/recur: subscription status', () => {
  it.each([
    [
      'snake_case, upper case',
      {
        id: 'sub_s1',
        customer_id: 'CUS',
        product_id: 'prod_pro',
        status: 'ACTIVE',
        current_period_end: '2030-01-01T00:00:00.000Z',
      },
      'active',
    ],
    [
      'camelCase, lower case',
      { subscriptionId: 'sub_c1', customerId: 'CUS', productId: 'prod_pro', status: 'active' },
      'active',
    ],
    ['PAST_DUE', { id: 'sub_s2', customer_id: 'CUS', status: 'PAST_DUE' }, 'past_due'],
    ['TRIALING', { id: 'sub_s3', customer_id: 'CUS', status: 'TRIALING' }, 'trialing'],
  ])('stores the status of a %s event, normalised', async (_, data, expected) => {
    const customerId = `cus_form_${++eventCounter}`;
    const { userId } = await linkedUser(customerId);
    const payload = event('subscription.activated', {
      ...data,
      ...('customer_id' in data ? { customer_id: customerId } : { customerId }),
    });
    expect((await deliver(payload)).status).toBe(200);
    expect((await statusOf(userId))?.subscriptionStatus).toBe(expected);
  });

  it('reads subscription.cancelled without a status as canceled', async () => {
    const { userId } = await linkedUser('cus_cancel_1');
    const payload = event('subscription.cancelled', {
      subscriptionId: 'sub_cancel_1',
      customerId: 'cus_cancel_1',
      cancelledAt: new Date().toISOString(),
      accessUntil: '2030-01-01T00:00:00.000Z',
    });
    expect((await deliver(payload)).status).toBe(200);
    expect((await statusOf(userId))?.subscriptionStatus).toBe('canceled');
  });

  it('records the newest subscription status, ignoring an older event that arrives late', async () => {
    const { userId } = await linkedUser('cus_status_1');
    const now = Date.now();
    const sub = { id: 'sub_1', customer_id: 'cus_status_1' };
    await deliver(event('subscription.cancelled', { ...sub, status: 'CANCELED' }, now));
    await deliver(event('subscription.activated', { ...sub, status: 'ACTIVE' }, now - 60_000));
    const row = await statusOf(userId);
    expect(row?.subscriptionStatus).toBe('canceled');
    expect(row?.subscriptionStatusAt?.getTime()).toBe(now);
  });

  it('refuses an event dated more than 5 minutes ahead, so it cannot outrank later ones', async () => {
    const { userId } = await linkedUser('cus_future_1');
    const sub = { id: 'sub_f', customer_id: 'cus_future_1' };
    const ahead = event(
      'subscription.cancelled',
      { ...sub, status: 'CANCELED' },
      Date.now() + 6 * 60_000,
    );
    const before = await eventCount();
    const refused = await deliver(ahead, { sentAt: Date.now() });
    expect(refused.status).toBe(503);
    expect((refused.json.error as { code: string }).code).toBe('timestamp_in_future');
    expect(await eventCount()).toBe(before);
    await deliver(event('subscription.activated', { ...sub, status: 'ACTIVE' }));
    expect((await statusOf(userId))?.subscriptionStatus).toBe('active');
  });

  it('keeps the stored status on an upgrade that names none', async () => {
    const { userId } = await linkedUser('cus_upgrade_1');
    await deliver(
      event(
        'subscription.activated',
        { id: 'sub_u', customer_id: 'cus_upgrade_1', status: 'ACTIVE' },
        Date.now() - 1000,
      ),
    );
    const payload = event('subscription.upgraded', {
      subscriptionId: 'sub_u',
      customerId: 'cus_upgrade_1',
      productId: 'prod_pro',
    });
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('no_status_change');
    expect((await statusOf(userId))?.subscriptionStatus).toBe('active');
  });

  it('applies a documented downgrade that carries a status', async () => {
    const { userId } = await linkedUser('cus_down_1');
    const payload = event('subscription.downgraded', {
      id: 'sub_d',
      customer_id: 'cus_down_1',
      product_id: 'prod_starter',
      status: 'ACTIVE',
    });
    expect((await deliver(payload)).status).toBe(200);
    expect((await statusOf(userId))?.subscriptionStatus).toBe('active');
  });

  it('defers a subscription event until its customer is linked, then applies its retry', async () => {
    const { userId } = await newUser();
    const early = event('subscription.activated', {
      id: 'sub_early',
      customer_id: 'cus_early',
      status: 'ACTIVE',
    });
    const before = await eventCount();
    expect((await deliver(early)).status).toBe(503);
    expect(await eventCount()).toBe(before);

    await deliver(event('customer.created', { id: 'cus_early', external_id: userId }));
    expect((await deliver(early)).json).toEqual({ received: true });
    expect((await statusOf(userId))?.subscriptionStatus).toBe('active');
  });
});

describe('POST /api/webhooks/recur: what Recur must not retry forever', () => {
  it.each([
    ['a subscription event without ids', 'subscription.activated', { status: 'ACTIVE' }],
    [
      'a subscription event with an unknown status',
      'subscription.activated',
      { id: 'sub_z', customer_id: 'cus_z', status: 'SOMETHING' },
    ],
    ['a checkout without a customer', 'checkout.completed', { amount: 290 }],
  ])('stores %s as unusable_data, answers 200, and logs it', async (_, type, data) => {
    const payload = event(type, data);
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('unusable_data');
    expect(
      logs.lines.some((line) => line.includes(payload.id) && line.includes('unusable_data')),
    ).toBe(true);
  });

  it('accepts an unknown event type with 200 and ignores it', async () => {
    const payload = event('invoice.paid', { id: 'inv_1' });
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('ignored');
  });

  it.each([
    ['Unix ms', () => Date.now()],
    ['Unix seconds', () => Math.floor(Date.now() / 1000)],
    ['a string of Unix ms', () => String(Date.now())],
    ['fractional ms', () => Date.now() + 0.5],
  ])('reads a %s timestamp as the time it is', async (_, timestamp) => {
    const customerId = `cus_time_${++eventCounter}`;
    const { userId } = await linkedUser(customerId);
    const payload = {
      ...event('subscription.activated', {
        id: 'sub_t',
        customer_id: customerId,
        status: 'ACTIVE',
      }),
      timestamp: timestamp(),
    };
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('status_updated');
    const at = (await statusOf(userId))?.subscriptionStatusAt?.getTime() ?? 0;
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['data that is null', { data: null }],
    ['data that is a list', { data: [] }],
    ['a timestamp that is no time', { timestamp: 'soon' }],
    ['a timestamp before 2000', { timestamp: '-200000-01-01T00:00:00Z' }],
  ])('stores a signed event with %s as unusable_data and answers 200', async (_, change) => {
    const payload = { ...event('subscription.activated', {}), ...change };
    expect((await deliver(payload)).status).toBe(200);
    expect(await resultOf(payload.id)).toBe('unusable_data');
    expect((await deliver(payload)).json).toEqual({ received: true, duplicate: true });
  });

  it('names an unreadable signed event by X-Recur-Event-Id when its body cannot', async () => {
    const id = `evt_header_${Date.now()}`;
    const body = JSON.stringify({ type: 'subscription.activated', data: 'nonsense' });
    const response = await fetch(new URL('/api/webhooks/recur', app.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-recur-signature': sign(body),
        'x-recur-event-id': id,
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await resultOf(id)).toBe('unusable_data');
  });

  it('answers 200 to a status no one spells, without a prototype key becoming one', async () => {
    const { userId } = await linkedUser('cus_proto');
    for (const status of ['constructor', '__proto__', 'toString']) {
      const payload = event('subscription.activated', {
        id: 'sub_p',
        customer_id: 'cus_proto',
        status,
      });
      expect((await deliver(payload)).status).toBe(200);
      expect(await resultOf(payload.id)).toBe('unusable_data');
    }
    expect((await statusOf(userId))?.subscriptionStatus).toBeNull();
  });
});

describe('POST /api/webhooks/recur: delivery', () => {
  it('accepts a retry hours after an outage, whatever X-Recur-Timestamp says', async () => {
    const { userId } = await newUser();
    const hoursAgo = Date.now() - 3 * 60 * 60_000;
    const old = event('customer.created', { id: 'cus_retried', external_id: userId }, hoursAgo);
    expect((await deliver(old, { sentAt: hoursAgo })).status).toBe(200);
    expect(await customerIdOf(database.db, userId)).toBe('cus_retried');
  });

  it('answers a replayed event with 200 and writes nothing twice', async () => {
    const { userId } = await newUser();
    const payload = event('customer.created', { id: 'cus_replay_1', external_id: userId });
    expect((await deliver(payload)).json).toEqual({ received: true });
    await database.db.update(users).set({ recurCustomerId: null }).where(eq(users.id, userId));
    const before = await eventCount();
    const replay = await deliver(payload);
    expect(replay).toEqual({ status: 200, json: { received: true, duplicate: true } });
    expect(await eventCount()).toBe(before);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it.each([
    ['a signature made with another secret', { signature: sign('{}', 'base64', 'whsec_other') }],
    ['no signature', { signature: '' }],
    ['a garbled signature', { signature: 'not-a-signature' }],
  ])('refuses %s with 401 and writes nothing', async (_, options) => {
    const { userId } = await newUser();
    const before = await eventCount();
    const response = await deliver(
      event('customer.created', { id: 'cus_forged', external_id: userId }),
      options,
    );
    expect(response.status).toBe(401);
    expect(await eventCount()).toBe(before);
    expect(await customerIdOf(database.db, userId)).toBeNull();
  });

  it('applies an old replayed event once and lets it outrank nothing newer', async () => {
    const { userId } = await linkedUser('cus_replayed_status');
    const sub = { id: 'sub_r', customer_id: 'cus_replayed_status' };
    const old = event(
      'subscription.activated',
      { ...sub, status: 'ACTIVE' },
      Date.now() - 60 * 60_000,
    );
    await deliver(old);
    await deliver(event('subscription.cancelled', { ...sub, status: 'CANCELED' }));
    expect((await deliver(old)).json).toEqual({ received: true, duplicate: true });
    const replayedUnderNewId = { ...old, id: `${old.id}_again` };
    expect((await deliver(replayedUnderNewId)).status).toBe(200);
    expect((await statusOf(userId))?.subscriptionStatus).toBe('canceled');
  });

  it.each([
    ['not JSON', '{"id": '],
    ['JSON without the envelope', JSON.stringify({ hello: 'world' })],
  ])('refuses %s with 400 and writes nothing', async (_, body) => {
    const before = await eventCount();
    expect((await deliver(body)).status).toBe(400);
    expect(await eventCount()).toBe(before);
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
        event('customer.created', { id: 'cus_twice', external_id: userId }),
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
