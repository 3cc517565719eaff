/**
 * A small stand-in for Recur's API, built from Recur's public material only
 * (tests/contract/README.md lists it): checkout sessions, portal sessions, the subscriptions
 * list and customer entitlements, plus signed webhooks. Errors are `{ error: { type, code, message } }`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkoutCompletedData,
  createDeliverer,
  customerData,
  type EventForm,
  randomId,
  type SignatureEncoding,
  type StandinCheckout,
  type StandinCustomer,
  type StandinProduct,
  type StandinSubscription,
  subscriptionData,
} from './standin-events';

export interface RecurStandin {
  url: string;
  secretKey: string;
  products: { id: string; slug: string }[];
  /** Pays the open checkout session: creates/attaches the customer (attach by email to an existing customer, the documented worst case), a subscription, and delivers signed webhooks in the chosen documented form. */
  pay(
    checkoutSessionId: string,
    buyer?: { email?: string; name?: string },
  ): Promise<{ customerId: string; subscriptionId: string }>;
  /** Sends subscription.cancelled (camel: no status, with accessUntil; snake: the subscription object, CANCELED). */
  cancel(subscriptionId: string): Promise<void>;
  deliveries: { type: string; status: number | null }[];
  checkoutRequests: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface StandinOptions {
  webhookUrl?: string;
  webhookSecret: string;
  eventForm: EventForm;
  signatureEncoding: SignatureEncoding;
  /** 'checkout-first' (default): checkout.completed then subscription.activated; 'docs': the docs' diagram order, the reverse. */
  eventOrder?: 'checkout-first' | 'docs';
}

const PRODUCTS: StandinProduct[] = [
  { id: 'prod_starter', slug: 'starter-plan', name: 'Starter Plan', amount: 149 },
  { id: 'prod_pro', slug: 'pro-plan', name: 'Pro Plan', amount: 299 },
];
const ACTIVE_STATUSES = new Set(['ACTIVE', 'TRIALING', 'PAST_DUE']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function str(body: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function plusMonths(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw new HttpError(
    400,
    'invalid_request_error',
    'invalid_request',
    'Body must be a JSON object',
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startRecurStandin(options: StandinOptions): Promise<RecurStandin> {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const customers = new Map<string, StandinCustomer>();
  const subscriptions = new Map<string, StandinSubscription>();
  const checkouts = new Map<string, StandinCheckout>();
  const checkoutRequests: Record<string, unknown>[] = [];
  const deliverer = createDeliverer(options);
  let url = '';

  function findCustomer(id: string | null, externalId: string | null, email: string | null) {
    const all = [...customers.values()];
    // Documented priority: customer_id > external_id > email.
    if (id) return customers.get(id) ?? null;
    if (externalId) return all.find((c) => c.externalId === externalId) ?? null;
    if (email) return all.find((c) => c.email.toLowerCase() === email.toLowerCase()) ?? null;
    return null;
  }

  function customerFromQuery(q: URLSearchParams) {
    return findCustomer(q.get('customer_id'), q.get('external_id'), q.get('email'));
  }

  function createCheckout(body: Record<string, unknown>) {
    checkoutRequests.push(body);
    const productId = str(body, 'productId', 'product_id');
    const productSlug = str(body, 'productSlug', 'product_slug');
    if (!productId && !productSlug) {
      throw new HttpError(400, 'invalid_request_error', 'invalid_request', 'productId is required');
    }
    // productId is the Recur id (prod_…); a slug there is not found, as Recur answers.
    const product = productId
      ? PRODUCTS.find((p) => p.id === productId)
      : PRODUCTS.find((p) => p.slug === productSlug);
    if (!product) {
      throw new HttpError(
        404,
        'invalid_request_error',
        'resource_not_found',
        'Product not found or inactive',
      );
    }
    const now = new Date();
    const checkout: StandinCheckout = {
      id: randomId('cs'),
      product,
      customerEmail: str(body, 'customerEmail', 'customer_email'),
      customerName: str(body, 'customerName', 'customer_name'),
      externalCustomerId: str(body, 'externalCustomerId', 'external_customer_id'),
      status: 'open',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
    };
    checkouts.set(checkout.id, checkout);
    return {
      id: checkout.id,
      url: `${url}/checkout/${checkout.id}`,
      expiresAt: checkout.expiresAt,
    };
  }

  function createPortalSession(body: Record<string, unknown>) {
    const id = str(body, 'customerId', 'customer_id');
    const externalId = str(body, 'externalId', 'external_id');
    const email = str(body, 'email');
    if (!id && !externalId && !email) {
      throw new HttpError(
        400,
        'invalid_request_error',
        'missing_customer_identifier',
        'At least one of customer_id, external_id or email is required',
      );
    }
    const customer = findCustomer(id, externalId, email);
    if (!customer) {
      throw new HttpError(404, 'invalid_request_error', 'customer_not_found', 'Customer not found');
    }
    const returnUrl = str(body, 'returnUrl', 'return_url');
    if (!returnUrl) {
      throw new HttpError(
        400,
        'invalid_request_error',
        'missing_return_url',
        'No return URL given and none configured',
      );
    }
    const now = new Date();
    return {
      id: randomId('portal_session'),
      object: 'portal.session',
      url: `${url}/s/${randomId('ps')}`,
      customerId: customer.id,
      returnUrl,
      status: 'active',
      expiresAt: new Date(now.getTime() + 60 * 60_000).toISOString(),
      accessedAt: null,
      createdAt: now.toISOString(),
    };
  }

  function listSubscriptions(q: URLSearchParams) {
    const filtered = q.has('customer_id') || q.has('external_id') || q.has('email');
    const customer = filtered ? customerFromQuery(q) : null;
    const items = [...subscriptions.values()].filter(
      (s) =>
        (!filtered || s.customerId === customer?.id) &&
        (q.get('active') !== 'true' || ACTIVE_STATUSES.has(s.status)) &&
        (!q.get('status') || s.status === q.get('status')?.toUpperCase()) &&
        (!q.get('product_id') || s.product.id === q.get('product_id')) &&
        (!q.get('product_slug') || s.product.slug === q.get('product_slug')),
    );
    return {
      object: 'list',
      has_active_subscription: items.some((s) => ACTIVE_STATUSES.has(s.status)),
      subscriptions: items.map((s) => ({
        id: s.id,
        status: s.status,
        product_id: s.product.id,
        product_slug: s.product.slug,
        product_name: s.product.name,
        amount: s.product.amount,
        interval: 'month',
        interval_count: 1,
        current_period_start: s.currentPeriodStart,
        current_period_end: s.currentPeriodEnd,
        canceled_at: s.canceledAt,
        started_at: s.startedAt,
      })),
    };
  }

  function entitlements(q: URLSearchParams) {
    const customer = customerFromQuery(q);
    if (!customer) return { customer: null, subscription: null, entitlements: [] };
    const now = Date.now();
    const granting = [...subscriptions.values()].filter(
      (s) =>
        s.customerId === customer.id &&
        (ACTIVE_STATUSES.has(s.status) ||
          (s.status === 'CANCELED' && Date.parse(s.currentPeriodEnd) > now)),
    );
    const first = granting[0];
    return {
      customer: {
        id: customer.id,
        email: customer.email,
        name: customer.name,
        external_id: customer.externalId,
      },
      subscription: first
        ? {
            id: first.id,
            status: first.status,
            product: { id: first.product.id, slug: first.product.slug, name: first.product.name },
            current_period_end: first.currentPeriodEnd,
          }
        : null,
      entitlements: granting.map((s) => ({
        product: s.product.slug,
        product_id: s.product.id,
        status: s.status.toLowerCase(),
        subscription_id: s.id,
      })),
    };
  }

  function authorized(req: IncomingMessage): boolean {
    const bearer = req.headers.authorization;
    const dedicated = req.headers['x-recur-secret-key'];
    return bearer === `Bearer ${secretKey}` || dedicated === secretKey;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://standin');
    const key = `${req.method} ${pathname.replace(/^\/api(?=\/v1\/)/, '')}`;
    if (req.method === 'GET' && pathname.startsWith('/checkout/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>Recur stand-in checkout</title>');
      return;
    }
    const handlers: Record<string, () => Promise<unknown> | unknown> = {
      'POST /v1/checkout/sessions': async () => createCheckout(await readJson(req)),
      'POST /v1/portal/sessions': async () => createPortalSession(await readJson(req)),
      'GET /v1/subscriptions': () => listSubscriptions(searchParams),
      'GET /v1/customers/entitlements': () => entitlements(searchParams),
    };
    const handler = handlers[key];
    if (!handler) {
      throw new HttpError(404, 'invalid_request_error', 'resource_not_found', `No route ${key}`);
    }
    if (!authorized(req)) {
      throw new HttpError(401, 'authentication_error', 'unauthorized', 'Invalid API key');
    }
    send(res, 200, await handler());
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        send(res, error.status, {
          error: { type: error.type, code: error.code, message: error.message },
        });
      } else {
        send(res, 500, {
          error: { type: 'api_error', code: 'internal_error', message: String(error) },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function pay(checkoutSessionId: string, buyer: { email?: string; name?: string } = {}) {
    const checkout = checkouts.get(checkoutSessionId);
    if (checkout?.status !== 'open') {
      throw new Error(`No open checkout session ${checkoutSessionId}`);
    }
    const now = new Date().toISOString();
    const email = checkout.customerEmail ?? buyer.email ?? `${randomId('buyer')}@example.com`;
    // Worst case: an existing customer with this email absorbs the payment; its external id
    // stays what it was (the docs: external_id cannot be changed after creation).
    let customer =
      findCustomer(null, checkout.externalCustomerId, null) ?? findCustomer(null, null, email);
    const isNew = !customer;
    if (!customer) {
      customer = {
        id: randomId('cus'),
        email,
        name: checkout.customerName ?? buyer.name ?? null,
        externalId: checkout.externalCustomerId,
        createdAt: now,
      };
      customers.set(customer.id, customer);
    }
    const subscription: StandinSubscription = {
      id: randomId('sub'),
      customerId: customer.id,
      product: checkout.product,
      status: 'ACTIVE',
      currentPeriodStart: now,
      currentPeriodEnd: plusMonths(now, 1),
      canceledAt: null,
      startedAt: now,
      updatedAt: now,
    };
    subscriptions.set(subscription.id, subscription);
    checkout.status = 'complete';

    const form = options.eventForm;
    if (isNew) await deliverer.send('customer.created', customerData(customer));
    const completed = () =>
      deliverer.send(
        'checkout.completed',
        checkoutCompletedData(form, checkout, customer, subscription, now),
      );
    const activated = () =>
      deliverer.send(
        'subscription.activated',
        subscriptionData(form, 'subscription.activated', subscription),
      );
    if (options.eventOrder === 'docs') {
      await activated();
      await completed();
    } else {
      await completed();
      await activated();
    }
    return { customerId: customer.id, subscriptionId: subscription.id };
  }

  async function cancel(subscriptionId: string) {
    const subscription = subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`No subscription ${subscriptionId}`);
    const now = new Date().toISOString();
    subscription.status = 'CANCELED';
    subscription.canceledAt = now;
    subscription.updatedAt = now;
    await deliverer.send(
      'subscription.cancelled',
      subscriptionData(options.eventForm, 'subscription.cancelled', subscription),
    );
  }

  return {
    url,
    secretKey,
    products: PRODUCTS.map(({ id, slug }) => ({ id, slug })),
    pay,
    cancel,
    deliveries: deliverer.deliveries,
    checkoutRequests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
