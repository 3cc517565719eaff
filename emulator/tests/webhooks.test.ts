import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_CUSTOMER_ID,
  DEMO_SUBSCRIPTION_ID,
  PRO_PRODUCT_ID,
  STARTER_PRODUCT_ID,
  TEST_CARD_SUCCESS,
} from '../fixture';
import {
  type EventForm,
  type RunningEmulator,
  type SignatureEncoding,
  startEmulator,
} from '../index';
import { createCheckout, hiddenToken, keysNamed, NEVER_SENT, postForm, sdk } from './helpers';
import { type Received, startReceiver } from './receiver';

const SECRET = 'whsec_test_secret';
const NOW = Date.parse('2025-03-01T00:00:00.000Z');
let clock = NOW;
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  clock = NOW;
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Setup {
  status?: (n: number) => number;
  maxAttempts?: number;
  eventForm?: EventForm;
  signatureEncoding?: SignatureEncoding;
}

async function setup({ status, maxAttempts, eventForm, signatureEncoding }: Setup = {}) {
  const receiver = await startReceiver(status);
  cleanup.push(receiver.close);
  const emulator = await startEmulator({
    port: 0,
    now: () => clock,
    ...(eventForm ? { eventForm } : {}),
    webhook: {
      url: receiver.url,
      secret: SECRET,
      baseDelayMs: 1,
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(signatureEncoding ? { signatureEncoding } : {}),
    },
  });
  cleanup.push(emulator.close);
  return { receiver, emulator };
}

function verify(message: Received, encoding: SignatureEncoding = 'base64'): boolean {
  const expected = createHmac('sha256', SECRET).update(message.raw).digest();
  const given = Buffer.from(String(message.headers['x-recur-signature']), encoding);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const bodies = (receiver: { received: Received[] }) =>
  receiver.received.map((m) => JSON.parse(m.raw) as { id: string; type: string; data: unknown });

const dataByType = (receiver: { received: Received[] }) =>
  Object.fromEntries(bodies(receiver).map((b) => [b.type, b.data as Record<string, unknown>]));

async function payCheckout(emulator: RunningEmulator) {
  const session = await createCheckout(emulator, {
    customerEmail: 'buyer@example.com',
    externalCustomerId: 'user_7',
    metadata: { userId: 'u_7' },
  });
  const response = await postForm(session.url, { name: 'Buyer', card: TEST_CARD_SUCCESS });
  expect(response.status).toBe(303);
  return session;
}

async function openDemoPortal(emulator: RunningEmulator) {
  const portal = await sdk(emulator).portal.sessions.create({
    customer: DEMO_CUSTOMER_ID,
    returnUrl: 'https://app.test',
  });
  const token = hiddenToken(await (await fetch(portal.url)).text());
  return { url: portal.url, token };
}

describe('webhooks', () => {
  it('signs with base64 HMAC-SHA256 of the raw body; ISO timestamp in the body, Unix ms in the header', async () => {
    const { receiver, emulator } = await setup();
    await payCheckout(emulator);
    await emulator.webhooksIdle();

    expect(receiver.received).toHaveLength(3);
    for (const message of receiver.received) {
      const body = JSON.parse(message.raw);
      expect(verify(message)).toBe(true);
      expect(verify(message, 'hex')).toBe(false);
      expect(message.headers['content-type']).toBe('application/json');
      expect(message.headers['x-recur-event-id']).toBe(body.id);
      expect(message.headers['x-recur-event-type']).toBe(body.type);
      expect(message.headers['x-recur-timestamp']).toBe(String(NOW));
      expect(Object.keys(body)).toEqual(['id', 'type', 'timestamp', 'data']);
      expect(body.id).toMatch(/^evt_/);
      expect(body.timestamp).toBe('2025-03-01T00:00:00.000Z');
    }
    expect(emulator.webhookDeliveries().every((d) => d.status === 'delivered')).toBe(true);
  });

  it('signs in hex with signatureEncoding: hex (the official skills and template)', async () => {
    const { receiver, emulator } = await setup({ signatureEncoding: 'hex' });
    await payCheckout(emulator);
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    for (const message of receiver.received) {
      expect(String(message.headers['x-recur-signature'])).toMatch(/^[0-9a-f]{64}$/);
      expect(verify(message, 'hex')).toBe(true);
    }
  });

  it('refuses an unknown signature encoding or event form', async () => {
    await expect(
      startEmulator({
        port: 0,
        webhook: { url: 'http://127.0.0.1:1', secret: SECRET, signatureEncoding: 'b32' as 'hex' },
      }),
    ).rejects.toThrow(/signatureEncoding/);
    await expect(startEmulator({ port: 0, eventForm: 'kebab' as 'snake' })).rejects.toThrow(
      /eventForm/,
    );
  });

  it('sends checkout events in the docs’ snake_case form by default', async () => {
    const { receiver, emulator } = await setup();
    await payCheckout(emulator);
    await emulator.webhooksIdle();
    const customer = emulator.state().customers.find((c) => c.email === 'buyer@example.com');
    const sub = emulator.state().subscriptions.find((s) => s.customerId === customer?.id);
    const byType = dataByType(receiver);
    expect(byType['customer.created']).toEqual({
      id: customer?.id,
      email: 'buyer@example.com',
      name: 'Buyer',
      external_id: 'user_7',
    });
    expect(byType['subscription.activated']).toEqual({
      id: sub?.id,
      customer_id: customer?.id,
      product_id: STARTER_PRODUCT_ID,
      status: 'ACTIVE',
      current_period_end: '2025-04-01T00:00:00.000Z',
      canceled_at: null,
    });
    expect(byType['checkout.completed']).toEqual({
      customer_id: customer?.id,
      customer_email: 'buyer@example.com',
      subscription_id: sub?.id,
      product_id: STARTER_PRODUCT_ID,
      amount: 290,
      currency: 'TWD',
    });
    expect(keysNamed(bodies(receiver), NEVER_SENT)).toEqual([]);
    expect(receiver.received.some((m) => m.raw.includes('u_7'))).toBe(false);
  });

  it('sends the skills page’s camelCase forms with eventForm: camel', async () => {
    const { receiver, emulator } = await setup({ eventForm: 'camel' });
    await payCheckout(emulator);
    await emulator.webhooksIdle();
    const customer = emulator.state().customers.find((c) => c.email === 'buyer@example.com');
    const sub = emulator.state().subscriptions.find((s) => s.customerId === customer?.id);
    const byType = dataByType(receiver);
    expect(byType['customer.created']).toEqual({
      id: customer?.id,
      email: 'buyer@example.com',
      name: 'Buyer',
      // No source shows a camelCase customer event: it keeps the documented snake_case form.
      external_id: 'user_7',
    });
    expect(byType['subscription.activated']).toEqual({
      subscriptionId: sub?.id,
      customerId: customer?.id,
      productId: STARTER_PRODUCT_ID,
      status: 'ACTIVE',
    });
    expect(byType['checkout.completed']).toEqual({
      customerId: customer?.id,
      customerEmail: 'buyer@example.com',
      subscriptionId: sub?.id,
      productId: STARTER_PRODUCT_ID,
      amount: 290,
      currency: 'TWD',
    });
    expect(keysNamed(bodies(receiver), NEVER_SENT)).toEqual([]);
    expect(receiver.received.some((m) => m.raw.includes('u_7'))).toBe(false);
  });

  it('sends subscription.cancelled from the portal: snake with CANCELED and canceled_at', async () => {
    const { receiver, emulator } = await setup();
    clock = Date.parse('2025-03-10T00:00:00.000Z');
    const portal = await openDemoPortal(emulator);
    await postForm(`${portal.url}/cancel`, {
      token: portal.token,
      subscription: DEMO_SUBSCRIPTION_ID,
    });
    await emulator.webhooksIdle();
    expect(bodies(receiver).map((b) => b.type)).toEqual(['subscription.cancelled']);
    expect(bodies(receiver)[0]?.data).toEqual({
      id: DEMO_SUBSCRIPTION_ID,
      customer_id: DEMO_CUSTOMER_ID,
      product_id: PRO_PRODUCT_ID,
      status: 'CANCELED',
      current_period_end: '2025-04-01T00:00:00.000Z',
      canceled_at: '2025-03-10T00:00:00.000Z',
    });
  });

  it('sends subscription.cancelled in camelCase: cancelledAt and accessUntil, no status', async () => {
    const { receiver, emulator } = await setup({ eventForm: 'camel' });
    clock = Date.parse('2025-03-10T00:00:00.000Z');
    const portal = await openDemoPortal(emulator);
    await postForm(`${portal.url}/cancel`, {
      token: portal.token,
      subscription: DEMO_SUBSCRIPTION_ID,
    });
    await emulator.webhooksIdle();
    expect(bodies(receiver)[0]?.data).toEqual({
      subscriptionId: DEMO_SUBSCRIPTION_ID,
      customerId: DEMO_CUSTOMER_ID,
      cancelledAt: '2025-03-10T00:00:00.000Z',
      accessUntil: '2025-04-01T00:00:00.000Z',
    });
  });

  it('sends subscription.past_due (never the made-up payment_failed), with failureReason in camelCase', async () => {
    const snake = await setup();
    snake.emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, { status: 'past_due' });
    await snake.emulator.webhooksIdle();
    expect(bodies(snake.receiver).map((b) => b.type)).toEqual(['subscription.past_due']);
    expect(bodies(snake.receiver)[0]?.data).toMatchObject({ status: 'PAST_DUE' });

    const camel = await setup({ eventForm: 'camel' });
    camel.emulator.setSubscriptionStatus(DEMO_SUBSCRIPTION_ID, {
      status: 'past_due',
      failureReason: 'insufficient_funds',
    });
    await camel.emulator.webhooksIdle();
    expect(bodies(camel.receiver)[0]?.data).toEqual({
      subscriptionId: DEMO_SUBSCRIPTION_ID,
      customerId: DEMO_CUSTOMER_ID,
      failureReason: 'insufficient_funds',
    });
  });

  it('sends subscription.renewed when a period passes (camelCase: amount, nextBillingDate)', async () => {
    const { receiver, emulator } = await setup({ eventForm: 'camel' });
    clock = Date.parse('2025-04-01T00:00:00.000Z');
    await sdk(emulator).entitlements.list({ customer: { id: DEMO_CUSTOMER_ID } });
    await emulator.webhooksIdle();
    expect(bodies(receiver).map((b) => [b.type, b.data])).toEqual([
      [
        'subscription.renewed',
        {
          subscriptionId: DEMO_SUBSCRIPTION_ID,
          customerId: DEMO_CUSTOMER_ID,
          amount: 990,
          nextBillingDate: '2025-05-01T00:00:00.000Z',
        },
      ],
    ]);
  });

  it('sends subscription.downgraded / upgraded for plan changes in the portal', async () => {
    const { receiver, emulator } = await setup();
    const portal = await openDemoPortal(emulator);
    const down = await postForm(`${portal.url}/change-plan`, {
      token: portal.token,
      subscription: DEMO_SUBSCRIPTION_ID,
      product: STARTER_PRODUCT_ID,
    });
    expect(down.status).toBe(303);
    await postForm(`${portal.url}/change-plan`, {
      token: portal.token,
      subscription: DEMO_SUBSCRIPTION_ID,
      product: PRO_PRODUCT_ID,
    });
    await emulator.webhooksIdle();
    const events = bodies(receiver).sort((a, b) => a.type.localeCompare(b.type));
    expect(events.map((b) => [b.type, (b.data as { product_id: string }).product_id])).toEqual([
      ['subscription.downgraded', STARTER_PRODUCT_ID],
      ['subscription.upgraded', PRO_PRODUCT_ID],
    ]);
  });

  it('tampering with the body breaks the signature', async () => {
    const { receiver, emulator } = await setup();
    await payCheckout(emulator);
    await emulator.webhooksIdle();
    const first = receiver.received[0];
    if (!first) throw new Error('nothing received');
    expect(verify({ ...first, raw: first.raw.replace('buyer', 'other') })).toBe(false);
  });

  it('retries a failing endpoint until it answers 2xx', async () => {
    const { receiver, emulator } = await setup({ status: (n) => (n < 2 ? 500 : 204) });
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
    const { receiver, emulator } = await setup({ status: () => 500, maxAttempts: 4 });
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
