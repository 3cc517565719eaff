import type { Route } from '../context';
import { invalidRequest, resourceNotFound } from '../errors';
import { json, parseJsonObject } from '../http';
import { newId } from '../ids';
import type { Store } from '../state';
import { iso } from '../time';
import type { CheckoutMode, CheckoutSession, Product } from '../types';
import { parseLocale, requireHttpUrl, stringField } from './params';

const MODES: readonly CheckoutMode[] = ['SUBSCRIPTION', 'PAYMENT', 'SETUP'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks `metadata` is an object of strings. It is accepted and then dropped: nothing echoes it. */
function checkMetadata(value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('invalid_metadata', 'metadata must be an object of string values');
  }
  if (Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalidRequest('invalid_metadata', 'metadata values must be strings');
  }
}

/**
 * `productId` is the product's Recur id (`prod_…`), never its slug; `productSlug` is the slug
 * (what the browser SDK sends). A slug sent as `productId` is unknown, as it would be on Recur.
 */
function resolveProduct(store: Store, input: Record<string, unknown>): Product {
  const id = stringField(input, 'productId', 'product_id');
  const slug = stringField(input, 'productSlug', 'product_slug');
  if (id === undefined && slug === undefined) {
    throw invalidRequest('missing_product', 'productId (or productSlug) is required');
  }
  const byId = id === undefined ? undefined : store.productById(id);
  if (id !== undefined && !byId) throw resourceNotFound(`No product with id ${id}`);
  const bySlug = slug === undefined ? undefined : store.productBySlug(slug);
  if (slug !== undefined && !bySlug) throw resourceNotFound(`No product with slug ${slug}`);
  if (byId && bySlug && byId !== bySlug) {
    throw invalidRequest('invalid_parameter', 'productId and productSlug name different products');
  }
  return (byId ?? bySlug) as Product;
}

export const checkoutSessionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/checkout/sessions',
    kind: 'api',
    async handler({ app, body }) {
      const input = parseJsonObject(await body());
      const { store, config } = app;
      const product = resolveProduct(store, input);
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
      checkMetadata(input.metadata);
      const now = config.now();
      const session: CheckoutSession = {
        id: newId('cs'),
        productId: product.id,
        mode: mode as CheckoutMode,
        successUrl,
        cancelUrl,
        customerEmail,
        customerName: stringField(input, 'customerName', 'customer_name') ?? null,
        externalCustomerId:
          stringField(input, 'externalCustomerId', 'external_customer_id') ?? null,
        // No public source documents a checkout locale; one given is honoured, else the page
        // follows the browser, as a hosted page does.
        locale: ((value) => (value === undefined ? null : parseLocale(value)))(
          stringField(input, 'locale'),
        ),
        status: 'open',
        customerId: null,
        subscriptionId: null,
        expiresAt: now + config.checkoutSessionTtlMs,
        completedAt: null,
        createdAt: now,
      };
      store.data.checkoutSessions.push(session);
      store.touch();
      // The documented answer; camelCase as in the docs' request example.
      return json(201, {
        id: session.id,
        url: `${config.publicUrl}/checkout/${session.id}`,
        expiresAt: iso(session.expiresAt),
      });
    },
  },
];
