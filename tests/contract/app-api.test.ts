// The app's Recur client against every documented answer, served at the network edge.
import { afterEach, describe, expect, it } from 'vitest';
import { createRecurClient, type RecurClient } from '../../server/billing/recur-client';
import { RecurError } from '../../server/billing/recur-error';
import { serveAnswer } from './sample-server';
import {
  checkoutSessionResponses,
  type ErrorSample,
  entitlementsResponses,
  errorResponses,
  portalSessionResponses,
  subscriptionsListResponses,
} from './samples/api';

let close: () => Promise<void> = async () => {};
afterEach(() => close());

async function clientAnswering(answer: Parameters<typeof serveAnswer>[0]) {
  const server = await serveAnswer(answer);
  close = server.close;
  const client = createRecurClient({
    secretKey: 'sk_test_contract',
    apiUrl: server.url,
    timeoutMs: 5000,
  });
  return { client, requests: server.requests };
}

async function failureOf(call: Promise<unknown>): Promise<RecurError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecurError);
  return error as RecurError;
}

const checkoutRequest: Parameters<RecurClient['createCheckoutSession']>[0] = {
  product: { productSlug: 'pro-plan' },
  customerEmail: 'user@example.com',
  customerName: 'User',
  externalCustomerId: 'user_123',
  successUrl: 'https://app.example.com/account',
  cancelUrl: 'https://app.example.com/pricing',
  metadata: { userId: 'user_123' },
};

describe.each(checkoutSessionResponses)('checkout answer: $name', (sample) => {
  it('yields the hosted checkout URL', async () => {
    const { client } = await clientAnswering(sample);
    const { url } = await client.createCheckoutSession(checkoutRequest);
    const body = sample.body as { url?: string; checkoutUrl?: string };
    expect(url).toBe(body.url ?? body.checkoutUrl);
  });
});

describe.each(subscriptionsListResponses)('subscriptions answer: $name', (sample) => {
  it('yields every subscription with its status normalised', async () => {
    const { client, requests } = await clientAnswering(sample);
    const list = await client.listSubscriptions({ externalId: 'user_123' });
    const body = sample.body as { subscriptions?: unknown[]; data?: unknown[] };
    const raw = (body.subscriptions ?? body.data ?? []) as { id: string; status: string }[];
    expect(list.map((s) => s.id)).toEqual(raw.map((s) => s.id));
    for (const subscription of list) {
      expect(['active', 'trialing', 'past_due', 'canceled', 'expired']).toContain(
        subscription.status,
      );
    }
    expect(requests[0]?.url).toMatch(/^\/v1\/subscriptions\?external_id=user_123/);
  });
});

describe.each(portalSessionResponses.filter((sample) => sample.name.startsWith('camelCase')))(
  'portal answer: $name',
  (sample) => {
    it('yields the URL and the customer the session is for', async () => {
      const { client, requests } = await clientAnswering(sample);
      const session = await client.createPortalSession({
        customer: { externalId: 'user_123' },
        returnUrl: 'https://app.example.com/account',
        configurationId: undefined,
        locale: 'en',
      });
      const body = sample.body as { url: string; customerId: string };
      expect(session).toMatchObject({ url: body.url, customerId: body.customerId });
      expect(JSON.parse(requests[0]?.body ?? '{}')).toMatchObject({ externalId: 'user_123' });
    });
  },
);

describe.each(entitlementsResponses)('entitlements answer: $name', (sample) => {
  it('names the customer behind an email where the answer has one', async () => {
    const { client, requests } = await clientAnswering(sample);
    const found = await client.findCustomerByEmail('user@example.com');
    const customer = (sample.body as { customer?: { id: string; external_id?: string | null } })
      .customer;
    expect(found).toEqual(
      customer ? { id: customer.id, externalId: customer.external_id ?? null } : null,
    );
    expect(requests[0]?.url).toBe('/v1/customers/entitlements?email=user%40example.com');
  });
});

const kindOf: Record<ErrorSample['meaning'], RecurError['kind']> = {
  no_customer: 'customer_not_found',
  misconfigured: 'misconfigured',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
};

describe.each(errorResponses)('error answer: $name', (sample) => {
  it('on a customer look-up: any 404 is "no customer", the rest as documented', async () => {
    const { client } = await clientAnswering(sample);
    const error = await failureOf(client.listSubscriptions({ customerId: 'cus_x' }));
    expect(error.kind).toBe(sample.status === 404 ? 'customer_not_found' : kindOf[sample.meaning]);
    if (sample.headers?.['Retry-After']) {
      expect(error.retryAfterSeconds).toBe(Number(sample.headers['Retry-After']));
    }
  });

  it('on a checkout: as documented, a 404 for the product means misconfigured', async () => {
    const { client } = await clientAnswering(sample);
    const error = await failureOf(client.createCheckoutSession(checkoutRequest));
    const customerCode = /customer_not_found/.test(JSON.stringify(sample.body));
    expect(error.kind).toBe(
      sample.status === 404 && !customerCode ? 'misconfigured' : kindOf[sample.meaning],
    );
  });
});
