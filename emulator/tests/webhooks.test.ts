import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_ID, DEMO_SUBSCRIPTION_ID } from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { createCheckout, hiddenToken, postForm, sdk } from './helpers';
import { type Received, startReceiver } from './receiver';

const SECRET = 'whsec_test_secret';
const NOW = Date.parse('2025-03-01T00:00:00.000Z');
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup(status?: (n: number) => number, maxAttempts?: number) {
  const receiver = await startReceiver(status);
  cleanup.push(receiver.close);
  const emulator = await startEmulator({
    port: 0,
    now: () => NOW,
    webhook: {
      url: receiver.url,
      secret: SECRET,
      baseDelayMs: 1,
      ...(maxAttempts ? { maxAttempts } : {}),
    },
  });
  cleanup.push(emulator.close);
  return { receiver, emulator };
}

function verify(message: Received): boolean {
  const expected = createHmac('sha256', SECRET).update(message.raw).digest();
  const given = Buffer.from(String(message.headers['x-recur-signature']), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function payCheckout(emulator: RunningEmulator) {
  const session = await createCheckout(emulator, {
    customerEmail: 'buyer@example.com',
    metadata: { userId: 'u_7' },
  });
  const response = await postForm(session.url, { name: 'Buyer', card: '4147631000000001' });
  expect(response.status).toBe(303);
  return session;
}

describe('webhooks', () => {
  it('delivers checkout events signed with base64 HMAC-SHA256 of the raw body', async () => {
    const { receiver, emulator } = await setup();
    const session = await payCheckout(emulator);
    await emulator.webhooksIdle();

    expect(receiver.received).toHaveLength(3);
    const events = receiver.received.map((m) => ({ message: m, body: JSON.parse(m.raw) }));
    for (const { message, body } of events) {
      expect(verify(message)).toBe(true);
      expect(message.headers['content-type']).toBe('application/json');
      expect(message.headers['x-recur-event-id']).toBe(body.id);
      expect(message.headers['x-recur-event-type']).toBe(body.type);
      expect(message.headers['x-recur-timestamp']).toBe(String(NOW));
      expect(body.id).toMatch(/^evt_/);
      expect(body.timestamp).toBe(NOW);
    }
    const byType = Object.fromEntries(events.map(({ body }) => [body.type, body.data]));
    const customer = emulator.state().customers.find((c) => c.email === 'buyer@example.com');
    const sub = emulator.state().subscriptions.find((s) => s.customerId === customer?.id);
    expect(byType['customer.created']).toEqual({
      object: 'customer',
      id: customer?.id,
      email: 'buyer@example.com',
      name: 'Buyer',
      externalId: null,
      metadata: { userId: 'u_7' },
    });
    expect(byType['subscription.activated']).toEqual({
      object: 'subscription',
      id: sub?.id,
      customerId: customer?.id,
      productId: 'prod_starter',
      productSlug: 'starter-plan',
      status: 'active',
      currentPeriodEnd: '2025-04-01T00:00:00.000Z',
      cancelAtPeriodEnd: false,
    });
    expect(byType['checkout.completed']).toEqual({
      object: 'checkout.session',
      id: session.id,
      customerId: customer?.id,
      customerEmail: 'buyer@example.com',
      productId: 'prod_starter',
      productSlug: 'starter-plan',
      subscriptionId: sub?.id,
      metadata: { userId: 'u_7' },
    });
    expect(emulator.webhookDeliveries().every((d) => d.status === 'delivered')).toBe(true);
  });

  it('tampering with the body breaks the signature', async () => {
    const { receiver, emulator } = await setup();
    await payCheckout(emulator);
    await emulator.webhooksIdle();
    const first = receiver.received[0];
    if (!first) throw new Error('nothing received');
    expect(verify({ ...first, raw: first.raw.replace('buyer', 'other') })).toBe(false);
  });

  it('sends subscription.cancelled from the portal', async () => {
    const { receiver, emulator } = await setup();
    const portal = await sdk(emulator).portal.sessions.create({
      customer: DEMO_CUSTOMER_ID,
      returnUrl: 'https://app.test',
    });
    const token = hiddenToken(await (await fetch(portal.url)).text());
    await postForm(`${portal.url}/cancel`, { token, subscription: DEMO_SUBSCRIPTION_ID });
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const body = JSON.parse(receiver.received[0]?.raw ?? '{}');
    expect(body.type).toBe('subscription.cancelled');
    expect(body.data).toMatchObject({
      id: DEMO_SUBSCRIPTION_ID,
      status: 'canceled',
      cancelAtPeriodEnd: true,
    });
  });

  it('retries a failing endpoint until it answers 2xx', async () => {
    const { receiver, emulator } = await setup((n) => (n < 2 ? 500 : 204));
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'past_due' });
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((m) => m.headers['x-recur-event-id']));
    expect(ids.size).toBe(1);
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
  });

  it('stops after maxAttempts against an endpoint that always fails', async () => {
    const { receiver, emulator } = await setup(() => 500, 4);
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'expired' });
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(4);
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery?.type).toBe('subscription.expired');
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts).toHaveLength(4);
  });

  it('records an unreachable endpoint as failed attempts', async () => {
    const receiver = await startReceiver();
    await receiver.close();
    const emulator = await startEmulator({
      port: 0,
      webhook: { url: receiver.url, secret: SECRET, maxAttempts: 2, baseDelayMs: 1 },
    });
    cleanup.push(emulator.close);
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'canceled' });
    await emulator.webhooksIdle();
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([null, null]);
    expect(delivery?.attempts[0]?.error).toBeTruthy();
  });

  it('records events as skipped when no endpoint is configured', async () => {
    const emulator = await startEmulator({ port: 0 });
    cleanup.push(emulator.close);
    emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'trialing' });
    await emulator.webhooksIdle();
    expect(emulator.webhookDeliveries().map((d) => [d.type, d.status, d.url])).toEqual([
      ['subscription.activated', 'skipped', null],
    ]);
  });

  it('close() does not wait for pending retries', async () => {
    const receiver = await startReceiver(() => 500);
    cleanup.push(receiver.close);
    const slow = await startEmulator({
      port: 0,
      webhook: { url: receiver.url, secret: SECRET, baseDelayMs: 60_000 },
    });
    slow.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'canceled' });
    await slow.close();
    await slow.webhooksIdle();
    expect(slow.webhookDeliveries()[0]?.status).toBe('pending');
  });
});
