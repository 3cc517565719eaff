import type { Route } from '../context';
import { invalidRequest, notFound } from '../errors';
import { json, parseJsonObject } from '../http';
import { newId } from '../ids';
import { iso, isoOrNull } from '../time';
import type { CheckoutMode, CheckoutSession } from '../types';
import { parseLocale, requireHttpUrl, stringField } from './params';

const MODES: readonly CheckoutMode[] = ['SUBSCRIPTION', 'PAYMENT', 'SETUP'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('invalid_metadata', 'metadata must be an object of string values');
  }
  const entries = Object.entries(value);
  if (entries.some(([, v]) => typeof v !== 'string')) {
    throw invalidRequest('invalid_metadata', 'metadata values must be strings');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export function checkoutSessionJson(session: CheckoutSession, publicUrl: string) {
  return {
    id: session.id,
    object: 'checkout.session',
    url: `${publicUrl}/checkout/${session.id}`,
    mode: session.mode,
    productId: session.productId,
    successUrl: session.successUrl,
    cancelUrl: session.cancelUrl,
    customerEmail: session.customerEmail,
    metadata: session.metadata,
    status: session.status,
    customerId: session.customerId,
    subscriptionId: session.subscriptionId,
    expiresAt: iso(session.expiresAt),
    completedAt: isoOrNull(session.completedAt),
    createdAt: iso(session.createdAt),
  };
}

export const checkoutSessionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/checkout/sessions',
    kind: 'api',
    async handler({ app, body }) {
      const input = parseJsonObject(await body());
      const { store, config } = app;
      const productRef = stringField(input, 'productId', 'product_id', 'product');
      if (productRef === undefined)
        throw invalidRequest('missing_product', 'productId is required');
      const product = store.product(productRef);
      if (!product) throw notFound('product_not_found', `No product with id or slug ${productRef}`);
      const mode = (stringField(input, 'mode') ?? 'SUBSCRIPTION').toUpperCase();
      if (!MODES.includes(mode as CheckoutMode)) {
        throw invalidRequest('invalid_mode', 'mode must be SUBSCRIPTION, PAYMENT or SETUP');
      }
      const successUrl = requireHttpUrl(
        stringField(input, 'successUrl', 'success_url'),
        'successUrl',
        'success_url',
      );
      const cancelUrl = requireHttpUrl(
        stringField(input, 'cancelUrl', 'cancel_url'),
        'cancelUrl',
        'cancel_url',
      );
      const customerEmail = stringField(input, 'customerEmail', 'customer_email') ?? null;
      if (customerEmail !== null && !EMAIL.test(customerEmail)) {
        throw invalidRequest('invalid_email', 'customerEmail is not an email address');
      }
      const now = config.now();
      const session: CheckoutSession = {
        id: newId('cs'),
        productId: product.id,
        mode: mode as CheckoutMode,
        successUrl,
        cancelUrl,
        customerEmail,
        customerExternalId:
          stringField(input, 'customerExternalId', 'customer_external_id', 'externalId') ?? null,
        metadata: parseMetadata(input.metadata),
        locale: parseLocale(stringField(input, 'locale')),
        status: 'open',
        customerId: null,
        subscriptionId: null,
        expiresAt: now + config.checkoutSessionTtlMs,
        completedAt: null,
        createdAt: now,
      };
      store.data.checkoutSessions.push(session);
      store.touch();
      return json(201, checkoutSessionJson(session, config.publicUrl));
    },
  },
];
