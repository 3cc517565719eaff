import { Recur } from 'recur-tw/server';
import type { Locale } from '../../db/schema';
import { RecurError, withRecurTimeout } from './recur-error';
import { recurRequest } from './recur-http';

/** The part of the published SDK the app calls; tests may hand in another implementation. */
export type RecurSdk = Pick<Recur, 'portal' | 'entitlements'>;

export interface PortalSessionRequest {
  customerId: string;
  returnUrl: string;
  configurationId: string | undefined;
  locale: Locale;
}

export interface PortalSessionCreated {
  id: string;
  url: string;
  expiresAt: string;
}

export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'canceled';

export interface CustomerSubscription {
  id: string;
  status: SubscriptionStatus;
  productSlug: string;
  productName: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

export interface CheckoutSessionRequest {
  productSlug: string;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  metadata: Record<string, string>;
  locale: Locale;
}

/** Recur, as the app uses it: every call has a timeout and fails with a RecurError. */
export interface RecurClient {
  createPortalSession(request: PortalSessionRequest): Promise<PortalSessionCreated>;
  /** The customer's current subscription, from Recur's entitlements; null when there is none. */
  getSubscription(customerId: string): Promise<CustomerSubscription | null>;
  createCheckoutSession(request: CheckoutSessionRequest): Promise<{ url: string }>;
}

// What GET /v1/customers/entitlements answers. The SDK's entitlements.list() drops the
// `subscription` block (period end, cancellation), so the app reads it directly.
interface EntitlementsResponse {
  subscription?: {
    id: string;
    status: SubscriptionStatus;
    product: { id: string; slug: string; name: string };
    current_period_end?: string | null;
    cancel_at_period_end?: boolean;
  } | null;
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
  const call = <T>(fn: () => Promise<T>) => withRecurTimeout(options.timeoutMs, fn);
  const http = {
    secretKey: options.secretKey,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
  };

  return {
    async createPortalSession(request) {
      const session = await call(() =>
        sdk.portal.sessions.create({
          customer: request.customerId,
          returnUrl: request.returnUrl,
          ...(request.configurationId ? { configuration: request.configurationId } : {}),
          locale: request.locale,
        }),
      );
      if (typeof session.url !== 'string' || !/^https?:\/\//.test(session.url)) {
        throw new RecurError('unavailable', 'portal session response had no usable url');
      }
      return { id: session.id, url: session.url, expiresAt: session.expiresAt };
    },

    async getSubscription(customerId) {
      const query = new URLSearchParams({ customer_id: customerId });
      const data = await recurRequest<EntitlementsResponse>(http, {
        method: 'GET',
        path: `/v1/customers/entitlements?${query}`,
      });
      const subscription = data.subscription;
      if (!subscription) return null;
      return {
        id: subscription.id,
        status: subscription.status,
        productSlug: subscription.product.slug,
        productName: subscription.product.name,
        currentPeriodEnd: subscription.current_period_end ?? null,
        cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
      };
    },

    async createCheckoutSession(request) {
      const session = await recurRequest<{ id: string; url: string }>(http, {
        method: 'POST',
        path: '/v1/checkout/sessions',
        body: {
          productId: request.productSlug,
          mode: 'SUBSCRIPTION',
          successUrl: request.successUrl,
          cancelUrl: request.cancelUrl,
          customerEmail: request.customerEmail,
          metadata: request.metadata,
          locale: request.locale,
        },
      });
      if (typeof session.url !== 'string' || !/^https?:\/\//.test(session.url)) {
        throw new RecurError('unavailable', 'checkout session response had no usable url');
      }
      return { url: session.url };
    },
  };
}
