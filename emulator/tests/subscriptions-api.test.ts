import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index';
import type { Fixture } from '../types';
import { api, keysNamed, NEVER_SENT } from './helpers';

const NOW = Date.parse('2025-06-15T00:00:00.000Z');
let emulator: RunningEmulator;

const FIXTURE: Fixture = {
  products: [
    { id: 'prod_starter', slug: 'starter-plan', name: 'Starter', price: 290 },
    { id: 'prod_pro', slug: 'pro-plan', name: 'Pro', price: 990 },
    { id: 'prod_team', slug: 'team-plan', name: 'Team', price: 9900, interval: 'year' },
  ],
  customers: [
    { id: 'cus_a', email: 'a@example.com', externalId: 'user_a' },
    { id: 'cus_b', email: 'b@example.com' },
    { id: 'cus_none', email: 'none@example.com' },
  ],
  subscriptions: [
    {
      id: 'sub_a1',
      customerId: 'cus_a',
      product: 'pro-plan',
      currentPeriodEnd: '2025-07-01T00:00:00.000Z',
    },
    { id: 'sub_a2', customerId: 'cus_a', product: 'starter-plan', status: 'expired' },
    {
      id: 'sub_a3',
      customerId: 'cus_a',
      product: 'team-plan',
      status: 'canceled',
      canceledAt: '2025-06-01T00:00:00.000Z',
    },
    { id: 'sub_b1', customerId: 'cus_b', product: 'starter-plan', status: 'trialing' },
    { id: 'sub_b2', customerId: 'cus_b', product: 'pro-plan', status: 'past_due' },
  ],
};

interface Item {
  id: string;
  status: string;
  [key: string]: unknown;
}
interface List {
  object: string;
  has_active_subscription: boolean;
  subscriptions: Item[];
  has_more: boolean;
}

async function list(query: string): Promise<List> {
  const response = await api(emulator, `/v1/subscriptions${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as List;
}

const ids = (body: List) => body.subscriptions.map((s) => s.id).sort();

async function errorOf(query: string) {
  const response = await api(emulator, `/v1/subscriptions${query}`);
  const body = (await response.json()) as { error: { type: string; code: string } };
  return [response.status, body.error.code, body.error.type];
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => NOW, fixture: FIXTURE });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('GET /v1/subscriptions', () => {
  it('answers the documented list shape, snake_case with upper-case statuses', async () => {
    const body = await list('?customer_id=cus_a&product_id=prod_pro');
    expect(body).toEqual({
      object: 'list',
      has_active_subscription: true,
      subscriptions: [
        {
          id: 'sub_a1',
          object: 'subscription',
          customer_id: 'cus_a',
          status: 'ACTIVE',
          product_id: 'prod_pro',
          product_slug: 'pro-plan',
          product_name: 'Pro',
          amount: 990,
          interval: 'month',
          interval_count: 1,
          current_period_start: '2025-06-01T00:00:00.000Z',
          current_period_end: '2025-07-01T00:00:00.000Z',
          canceled_at: null,
          started_at: '2025-06-15T00:00:00.000Z',
        },
      ],
      has_more: false,
    });
    const canceled = await list('?customer_id=cus_a&product_slug=team-plan');
    expect(canceled.subscriptions[0]).toMatchObject({
      status: 'CANCELED',
      canceled_at: '2025-06-01T00:00:00.000Z',
      interval: 'year',
    });
    expect(keysNamed(await list('?limit=100'), NEVER_SENT)).toEqual([]);
  });

  it('filters by customer_id, external_id or email; no customer filter lists them all', async () => {
    expect(ids(await list('?customer_id=cus_a'))).toEqual(['sub_a1', 'sub_a2', 'sub_a3']);
    expect(ids(await list('?external_id=user_a'))).toEqual(['sub_a1', 'sub_a2', 'sub_a3']);
    expect(ids(await list('?email=B@Example.com'))).toEqual(['sub_b1', 'sub_b2']);
    expect(ids(await list('?limit=100'))).toEqual([
      'sub_a1',
      'sub_a2',
      'sub_a3',
      'sub_b1',
      'sub_b2',
    ]);
    const none = await list('?customer_id=cus_none');
    expect(none).toEqual({
      object: 'list',
      has_active_subscription: false,
      subscriptions: [],
      has_more: false,
    });
  });

  it('answers 404 customer_not_found for an unknown customer filter', async () => {
    for (const query of ['?customer_id=cus_x', '?external_id=nobody', '?email=x@y.test']) {
      expect(await errorOf(query)).toEqual([404, 'customer_not_found', 'invalid_request_error']);
    }
  });

  it('active=true keeps ACTIVE, TRIALING and PAST_DUE only', async () => {
    expect(ids(await list('?active=true&limit=100'))).toEqual(['sub_a1', 'sub_b1', 'sub_b2']);
    const b = await list('?customer_id=cus_b&active=true');
    expect(b.subscriptions.map((s) => s.status).sort()).toEqual(['PAST_DUE', 'TRIALING']);
    expect(b.has_active_subscription).toBe(true);
    const aCanceledOnly = await list('?customer_id=cus_a&product_id=prod_team&active=true');
    expect(aCanceledOnly.subscriptions).toEqual([]);
    expect(aCanceledOnly.has_active_subscription).toBe(false);
    expect(await errorOf('?active=yes')).toEqual([
      400,
      'invalid_parameter',
      'invalid_request_error',
    ]);
  });

  it('filters by status in any case (TRIAL means TRIALING)', async () => {
    expect(ids(await list('?status=CANCELED'))).toEqual(['sub_a3']);
    expect(ids(await list('?status=expired'))).toEqual(['sub_a2']);
    expect(ids(await list('?status=TRIAL'))).toEqual(['sub_b1']);
    expect(await errorOf('?status=PAUSED')).toEqual([
      400,
      'invalid_parameter',
      'invalid_request_error',
    ]);
  });

  it('pages with limit (default 10, max 100) and starting_after', async () => {
    const first = await list('?limit=2');
    expect(first.subscriptions).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const seen = first.subscriptions.map((s) => s.id);
    let cursor = seen.at(-1);
    for (;;) {
      const next = await list(`?limit=2&starting_after=${cursor}`);
      seen.push(...next.subscriptions.map((s) => s.id));
      cursor = seen.at(-1);
      if (!next.has_more) break;
    }
    expect(seen.sort()).toEqual(['sub_a1', 'sub_a2', 'sub_a3', 'sub_b1', 'sub_b2']);
    expect(await errorOf('?limit=0')).toEqual([400, 'invalid_parameter', 'invalid_request_error']);
    expect(await errorOf('?starting_after=sub_nope')).toEqual([
      404,
      'resource_not_found',
      'invalid_request_error',
    ]);

    emulator.reset({
      ...FIXTURE,
      subscriptions: Array.from({ length: 120 }, (_, i) => ({
        id: `sub_${i}`,
        customerId: 'cus_a',
        product: 'pro-plan',
      })),
    });
    expect((await list('')).subscriptions).toHaveLength(10);
    const capped = await list('?limit=500');
    expect(capped.subscriptions).toHaveLength(100);
    expect(capped.has_more).toBe(true);
  });

  it('needs the secret key', async () => {
    const response = await fetch(`${emulator.url}/v1/subscriptions`);
    expect(response.status).toBe(401);
  });
});
