import { Recur } from 'recur-tw/server';
import type { Locale } from '../../db/schema';
import { RecurError, withRecurTimeout } from './recur-error';
import { recurRequest } from './recur-http';
import { isRecurId } from './recur-ids';
import { normalizeSubscriptionStatus, type SubscriptionStatus } from './subscription-status';

/** The part of the published SDK the app calls; tests may hand in another implementation. */
export type RecurSdk = Pick<Recur, 'portal'>;

/**
 * How the app names a Recur customer: by the id Recur gave it, or by our own user id, which the
 * app sends as `externalCustomerId` at checkout and Recur answers to as `externalId`.
 */
export type RecurCustomerRef = { customerId: string } | { externalId: string };

export interface PortalSessionRequest {
  customer: RecurCustomerRef;
  returnUrl: string;
  configurationId: string | undefined;
  locale: Locale;
}

export interface PortalSessionCreated {
  id: string;
  url: string;
  expiresAt: string;
  /** The Recur customer the session is for, as Recur answered it. */
  customerId: string | null;
}

/** One subscription as the Subscriptions API documents it. */
export interface CustomerSubscription {
  id: string;
  status: SubscriptionStatus;
  productId: string | null;
  productSlug: string | null;
  productName: string | null;
  currentPeriodEnd: string | null;
  /** When the customer cancelled; access runs to `currentPeriodEnd`. */
  canceledAt: string | null;
}

/** A product by its Recur id (`prod_…`) or by its slug; Recur takes them in different fields. */
export type ProductRef = { productId: string } | { productSlug: string };

export interface CheckoutSessionRequest {
  product: ProductRef;
  customerEmail: string;
  customerName: string;
  externalCustomerId: string;
  successUrl: string;
  cancelUrl: string;
  /** Sent as Recur documents; nothing relies on it coming back (no public source shows that). */
  metadata: Record<string, string>;
}

/** Recur, as the app uses it: every call has a timeout and fails with a RecurError. */
export interface RecurClient {
  createPortalSession(request: PortalSessionRequest): Promise<PortalSessionCreated>;
  /** Every subscription Recur holds for the customer; a RecurError `customer_not_found` if none. */
  listSubscriptions(customer: RecurCustomerRef): Promise<CustomerSubscription[]>;
  createCheckoutSession(request: CheckoutSessionRequest): Promise<{ url: string }>;
  /**
   * The Recur customer with this email, as the entitlements answer describes it (the client
   * SDK's EntitlementCustomer), or null when Recur names none.
   */
  findCustomerByEmail(email: string): Promise<{ id: string; externalId: string | null } | null>;
}

export interface RecurClientOptions {
  secretKey: string;
  apiUrl: string;
  timeoutMs: number;
  /** Replaces the SDK built from secretKey and apiUrl. */
  sdk?: RecurSdk;
}

export function createRecurClient(options: RecurClientOptions): RecurClient {
  const sdk = options.sdk ?? new Recur(options.secretKey, { baseUrl: options.apiUrl });
  const http = {
    secretKey: options.secretKey,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
  };

  return {
    async createPortalSession(request) {
      const session = await withRecurTimeout(
        options.timeoutMs,
        () =>
          sdk.portal.sessions.create({
            ...('customerId' in request.customer
              ? { customer: request.customer.customerId }
              : { externalId: request.customer.externalId }),
            returnUrl: request.returnUrl,
            ...(request.configurationId ? { configuration: request.configurationId } : {}),
            locale: request.locale,
          }),
        { customerLookup: true },
      );
      if (!isHttpUrl(session.url)) {
        throw new RecurError('unavailable', 'portal session response had no usable url');
      }
      return {
        id: session.id,
        url: session.url,
        expiresAt: session.expiresAt,
        customerId:
          typeof session.customer === 'string' && session.customer ? session.customer : null,
      };
    },

    async listSubscriptions(customer) {
      const query = new URLSearchParams(
        'customerId' in customer
          ? { customer_id: customer.customerId }
          : { external_id: customer.externalId },
      );
      query.set('limit', '100');
      const data = await recurRequest<unknown>(
        http,
        { method: 'GET', path: `/v1/subscriptions?${query}` },
        { customerLookup: true },
      );
      // recur.tw's API reference lists them under `subscriptions`, another snapshot under `data`.
      const answer = data as { subscriptions?: unknown; data?: unknown } | null;
      const list = answer?.subscriptions ?? answer?.data;
      if (!Array.isArray(list)) {
        throw new RecurError('unavailable', 'subscriptions response had no subscriptions list');
      }
      return list.flatMap((item) => {
        const subscription = readSubscription(item);
        return subscription ? [subscription] : [];
      });
    },

    async createCheckoutSession(request) {
      const session = await recurRequest<{ url?: unknown; checkoutUrl?: unknown }>(http, {
        method: 'POST',
        path: '/v1/checkout/sessions',
        body: {
          ...request.product,
          mode: 'SUBSCRIPTION',
          successUrl: request.successUrl,
          cancelUrl: request.cancelUrl,
          customerEmail: request.customerEmail,
          customerName: request.customerName,
          externalCustomerId: request.externalCustomerId,
          metadata: request.metadata,
        },
      });
      // The API reference answers `url`; an older page of Recur's shows `checkoutUrl`.
      const url = session?.url ?? session?.checkoutUrl;
      if (!isHttpUrl(url)) {
        throw new RecurError('unavailable', 'checkout session response had no usable url');
      }
      return { url };
    },

    async findCustomerByEmail(email) {
      const query = new URLSearchParams({ email });
      let data: unknown;
      try {
        data = await recurRequest<unknown>(
          http,
          { method: 'GET', path: `/v1/customers/entitlements?${query}` },
          { customerLookup: true },
        );
      } catch (error) {
        if (error instanceof RecurError && error.kind === 'customer_not_found') return null;
        throw error;
      }
      const customer = (data as { customer?: Record<string, unknown> | null } | null)?.customer;
      if (!customer || !isRecurId(customer.id)) return null;
      const externalId = customer.external_id ?? customer.externalId;
      return { id: customer.id, externalId: typeof externalId === 'string' ? externalId : null };
    },
  };
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\//.test(value);
}

/** A subscription from the documented snake_case answer; camelCase read as well. */
function readSubscription(item: unknown): CustomerSubscription | null {
  if (typeof item !== 'object' || item === null) return null;
  const record = item as Record<string, unknown>;
  const text = (...keys: string[]) => {
    for (const key of keys) {
      const value = record[key];
      if (typeof value === 'string' && value !== '') return value;
    }
    return null;
  };
  const id = text('id');
  const status = normalizeSubscriptionStatus(record.status);
  if (!id || !status) return null;
  return {
    id,
    status,
    productId: text('product_id', 'productId'),
    productSlug: text('product_slug', 'productSlug'),
    productName: text('product_name', 'productName'),
    currentPeriodEnd: text('current_period_end', 'currentPeriodEnd'),
    canceledAt: text('canceled_at', 'canceledAt'),
  };
}
