import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Recur, RecurAPIError } from 'recur-tw/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecurStandin, type StandinOptions, startRecurStandin } from './recur-standin';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
}

const SECRET = 'whsec_contract_test_secret';
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function receiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function standin(options: Partial<StandinOptions> = {}): Promise<RecurStandin> {
  const s = await startRecurStandin({
    webhookSecret: SECRET,
    eventForm: 'camel',
    signatureEncoding: 'hex',
    ...options,
  });
  open.push(s);
  return s;
}

async function api(s: RecurStandin, path: string, body?: unknown, key = s.secretKey) {
  const res = await fetch(`${s.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function checkout(s: RecurStandin, body: Record<string, unknown>): Promise<string> {
  const res = await api(s, '/v1/checkout/sessions', {
    successUrl: 'https://app.example/ok',
    cancelUrl: 'https://app.example/cancel',
    ...body,
  });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

function signatureValid(r: Received, encoding: 'hex' | 'base64'): boolean {
  const expected = Buffer.from(createHmac('sha256', SECRET).update(r.raw).digest(encoding));
  const given = Buffer.from(String(r.headers['x-recur-signature']));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('Recur stand-in, through the published SDK', () => {
  it('creates a portal session by customer id, by externalId and by email', async () => {
    const s = await standin();
    const id = await checkout(s, {
      productId: 'prod_pro',
      customerEmail: 'ann@example.com',
      externalCustomerId: 'user_42',
    });
    const { customerId } = await s.pay(id);
    const recur = new Recur(s.secretKey, { baseUrl: s.url });
    const returnUrl = 'https://app.example/account';

    for (const params of [
      { customer: customerId },
      { externalId: 'user_42' },
      { email: 'ann@example.com' },
    ]) {
      const session = await recur.portal.sessions.create({ ...params, returnUrl });
      expect(session.customer).toBe(customerId);
      expect(session.returnUrl).toBe(returnUrl);
      expect(session.status).toBe('active');
      expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/ps_/);
      expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
      expect(session.accessedAt).toBeNull();
    }
  });

  it('accepts the docs snake_case portal body too and answers camelCase', async () => {
    const s = await standin();
    const { customerId } = await s.pay(
      await checkout(s, { productId: 'prod_pro', customerEmail: 'b@example.com' }),
    );
    const res = await api(s, '/v1/portal/sessions', {
      customer_id: customerId,
      return_url: 'https://app.example/account',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId, returnUrl: 'https://app.example/account' });
  });

  it('an unknown customer is a RecurAPIError with statusCode 404', async () => {
    const s = await standin();
    const recur = new Recur(s.secretKey, { baseUrl: s.url });
    const error = await recur.portal.sessions
      .create({ externalId: 'nobody', returnUrl: 'https://app.example' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecurAPIError);
    expect(error).toMatchObject({ statusCode: 404, code: 'customer_not_found' });
  });

  it('refuses a wrong secret key with 401 in the documented error shape', async () => {
    const s = await standin();
    const res = await api(s, '/v1/subscriptions', undefined, 'sk_test_wrong');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { type: 'authentication_error', code: 'unauthorized', message: expect.any(String) },
    });
  });

  it('refuses a slug sent as productId, accepts it as productSlug', async () => {
    const s = await standin();
    const refused = await api(s, '/v1/checkout/sessions', { productId: 'pro-plan' });
    expect([400, 404]).toContain(refused.status);
    expect(refused.body).toHaveProperty('error.code');
    const missing = await api(s, '/v1/checkout/sessions', { customerEmail: 'a@example.com' });
    expect(missing.status).toBe(400);

    const bySlug = await api(s, '/v1/checkout/sessions', { productSlug: 'pro-plan' });
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.id).toMatch(/^cs_/);
    expect(typeof bySlug.body.url).toBe('string');
    expect(Date.parse(String(bySlug.body.expiresAt))).toBeGreaterThan(Date.now());
    expect(s.checkoutRequests).toHaveLength(3);
  });

  it('lists subscriptions in the documented shape and grants the entitlement', async () => {
    const s = await standin();
    const { customerId, subscriptionId } = await s.pay(
      await checkout(s, { productSlug: 'starter-plan', externalCustomerId: 'user_7' }),
    );
    const list = await api(s, '/v1/subscriptions?external_id=user_7&active=true');
    expect(list.body).toMatchObject({
      object: 'list',
      has_active_subscription: true,
      subscriptions: [
        { id: subscriptionId, status: 'ACTIVE', product_id: 'prod_starter', canceled_at: null },
      ],
    });
    const none = await api(s, '/v1/subscriptions?customer_id=cus_unknown&active=true');
    expect(none.body).toEqual({
      object: 'list',
      has_active_subscription: false,
      subscriptions: [],
    });

    const recur = new Recur(s.secretKey, { baseUrl: s.url });
    const check = await recur.entitlements.check({
      product: 'starter-plan',
      customer: { id: customerId },
    });
    expect(check.allowed).toBe(true);
    expect(check.subscription?.id).toBe(subscriptionId);
    expect(Date.parse(check.subscription?.currentPeriodEnd ?? '')).toBeGreaterThan(Date.now());
    const { entitlements } = await recur.entitlements.list({ customer: { externalId: 'user_7' } });
    expect(entitlements).toEqual([
      { product: 'starter-plan', productId: 'prod_starter', status: 'active', subscriptionId },
    ]);

    await s.cancel(subscriptionId);
    const after = await api(s, '/v1/subscriptions?external_id=user_7&active=true');
    expect(after.body.subscriptions).toEqual([]);
    const canceled = await recur.entitlements.list({ customer: { externalId: 'user_7' } });
    expect(canceled.entitlements[0]?.status).toBe('canceled');
  });

  it('attaches a second payment to the customer that already has the email', async () => {
    const hook = await receiver();
    const s = await standin({ webhookUrl: hook.url });
    const first = await s.pay(
      await checkout(s, { productId: 'prod_starter', customerEmail: 'c@example.com' }),
    );
    const second = await s.pay(
      await checkout(s, {
        productId: 'prod_pro',
        customerEmail: 'c@example.com',
        externalCustomerId: 'user_late',
      }),
    );
    expect(second.customerId).toBe(first.customerId);
    expect(s.deliveries.filter((d) => d.type === 'customer.created')).toHaveLength(1);
    // The existing customer keeps its (absent) external id.
    const res = await api(s, '/v1/subscriptions?external_id=user_late');
    expect(res.body.subscriptions).toEqual([]);
  });
});

describe('Recur stand-in webhooks', () => {
  for (const encoding of ['hex', 'base64'] as const) {
    it(`signs every delivery (${encoding}) and sends the documented headers`, async () => {
      const hook = await receiver();
      const s = await standin({ webhookUrl: hook.url, signatureEncoding: encoding });
      const { subscriptionId } = await s.pay(
        await checkout(s, { productId: 'prod_pro', customerEmail: 'd@example.com' }),
      );
      await s.cancel(subscriptionId);

      expect(s.deliveries).toEqual([
        { type: 'customer.created', status: 200 },
        { type: 'checkout.completed', status: 200 },
        { type: 'subscription.activated', status: 200 },
        { type: 'subscription.cancelled', status: 200 },
      ]);
      for (const r of hook.received) {
        const event = JSON.parse(r.raw) as Record<string, unknown>;
        expect(signatureValid(r, encoding)).toBe(true);
        expect(signatureValid(r, encoding === 'hex' ? 'base64' : 'hex')).toBe(false);
        expect(r.headers['x-recur-event-id']).toBe(event.id);
        expect(r.headers['x-recur-event-type']).toBe(event.type);
        expect(Number(r.headers['x-recur-timestamp'])).toBeGreaterThan(Date.now() - 60_000);
        expect(event.id).toMatch(/^evt_/);
        expect(typeof event.timestamp).toBe('string');
        expect(new Date(String(event.timestamp)).toISOString()).toBe(event.timestamp);
        expect(r.raw).not.toContain('metadata');
      }
    });
  }

  it('camel form: the skills page fields, cancelled without status', async () => {
    const hook = await receiver();
    const s = await standin({ webhookUrl: hook.url, eventForm: 'camel' });
    const { customerId, subscriptionId } = await s.pay(
      await checkout(s, { productId: 'prod_pro', customerEmail: 'e@example.com' }),
    );
    await s.cancel(subscriptionId);
    const [, completed, activated, cancelled] = hook.received.map(
      (r) => (JSON.parse(r.raw) as { data: Record<string, unknown> }).data,
    );
    expect(completed).toMatchObject({
      customerId,
      customerEmail: 'e@example.com',
      subscriptionId,
      productId: 'prod_pro',
      amount: 29900,
    });
    expect(activated).toMatchObject({
      subscriptionId,
      customerId,
      productId: 'prod_pro',
      status: 'ACTIVE',
    });
    expect(cancelled).not.toHaveProperty('status');
    expect(Object.keys(cancelled ?? {}).sort()).toEqual([
      'accessUntil',
      'cancelledAt',
      'customerId',
      'subscriptionId',
    ]);
    expect(Date.parse(String(cancelled?.accessUntil))).toBeGreaterThan(Date.now());
  });

  it('snake form: the docs subscription object with upper-case status', async () => {
    const hook = await receiver();
    const s = await standin({ webhookUrl: hook.url, eventForm: 'snake', eventOrder: 'docs' });
    const { customerId, subscriptionId } = await s.pay(
      await checkout(s, {
        productId: 'prod_starter',
        customerEmail: 'f@example.com',
        externalCustomerId: 'user_f',
      }),
    );
    await s.cancel(subscriptionId);
    const events = hook.received.map(
      (r) => JSON.parse(r.raw) as { type: string; data: Record<string, unknown> },
    );
    expect(events.map((e) => e.type)).toEqual([
      'customer.created',
      'subscription.activated',
      'checkout.completed',
      'subscription.cancelled',
    ]);
    const [created, activated, completed, cancelled] = events.map((e) => e.data);
    expect(created).toMatchObject({ object: 'customer', id: customerId, external_id: 'user_f' });
    expect(activated).toMatchObject({
      id: subscriptionId,
      customer_id: customerId,
      product_id: 'prod_starter',
      status: 'ACTIVE',
    });
    expect(completed).toMatchObject({
      customer_id: customerId,
      customer_email: 'f@example.com',
      product_id: 'prod_starter',
    });
    expect(cancelled).toMatchObject({
      id: subscriptionId,
      status: 'CANCELED',
      canceled_at: expect.any(String),
    });
  });

  it('records a failed delivery as status null and does not retry', async () => {
    const s = await standin({ webhookUrl: 'http://127.0.0.1:9/unreachable' });
    await s.pay(await checkout(s, { productId: 'prod_pro', customerEmail: 'g@example.com' }));
    expect(s.deliveries.map((d) => d.status)).toEqual([null, null, null]);
  });
});
