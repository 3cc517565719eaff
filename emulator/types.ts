export type Locale = 'zh-TW' | 'en';

export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'canceled' | 'expired';

export type CheckoutMode = 'SUBSCRIPTION' | 'PAYMENT' | 'SETUP';

export interface Product {
  id: string;
  slug: string;
  name: string;
  /** Whole New Taiwan dollars. */
  price: number;
  currency: 'TWD';
  interval: 'month' | 'year';
}

export interface PaymentMethod {
  brand: string;
  last4: string;
}

export interface Customer {
  id: string;
  email: string;
  name: string | null;
  externalId: string | null;
  paymentMethod: PaymentMethod | null;
  createdAt: number;
}

export interface Subscription {
  id: string;
  customerId: string;
  productId: string;
  status: SubscriptionStatus;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  /** When the customer cancelled; access lasts until `currentPeriodEnd`. */
  canceledAt: number | null;
  createdAt: number;
}

export interface PortalSession {
  id: string;
  customerId: string;
  returnUrl: string;
  configurationId: string | null;
  locale: Locale;
  browserToken: string | null;
  expiresAt: number;
  accessedAt: number | null;
  createdAt: number;
}

export interface CheckoutSession {
  id: string;
  productId: string;
  mode: CheckoutMode;
  successUrl: string;
  cancelUrl: string;
  customerEmail: string | null;
  customerName: string | null;
  /** Your own user id (`externalCustomerId`), stored on the customer the payment creates. */
  externalCustomerId: string | null;
  /** As the API call named it; null lets the page follow the browser's language. */
  locale: Locale | null;
  status: 'open' | 'complete';
  customerId: string | null;
  subscriptionId: string | null;
  expiresAt: number;
  completedAt: number | null;
  createdAt: number;
}

export interface WebhookAttempt {
  at: number;
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  type: string;
  /** null when no webhook endpoint is configured (the event is only recorded). */
  url: string | null;
  body: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: WebhookAttempt[];
  createdAt: number;
}

export interface EmulatorData {
  products: Product[];
  customers: Customer[];
  subscriptions: Subscription[];
  portalSessions: PortalSession[];
  checkoutSessions: CheckoutSession[];
  webhookDeliveries: WebhookDelivery[];
}

export interface FixtureProduct {
  id: string;
  slug: string;
  name: string;
  price: number;
  interval?: 'month' | 'year';
}

export interface FixtureCustomer {
  id: string;
  email: string;
  name?: string | null;
  externalId?: string | null;
}

export interface FixtureSubscription {
  id: string;
  customerId: string;
  /** Product id or slug. */
  product: string;
  status?: SubscriptionStatus;
  /** ISO string or Unix ms; defaults to one interval from now. */
  currentPeriodEnd?: string | number;
  /** ISO string or Unix ms; defaults to the fixture's load time for a `canceled` subscription. */
  canceledAt?: string | number | null;
}

export interface Fixture {
  products: FixtureProduct[];
  customers: FixtureCustomer[];
  subscriptions: FixtureSubscription[];
}

/** `base64` as Recur's docs show, or `hex` as its official skills and template verify. */
export type SignatureEncoding = 'base64' | 'hex';

/** `snake`: the docs' event reference; `camel`: the recur-webhooks skill page. */
export type EventForm = 'snake' | 'camel';

export interface WebhookOptions {
  url: string;
  secret: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Encoding of X-Recur-Signature; default `base64`. */
  signatureEncoding?: SignatureEncoding;
}

export interface EmulatorOptions {
  /** 0 = ephemeral. */
  port?: number;
  host?: string;
  publicUrl?: string;
  /** Accepted keys; default: one random `sk_test_…` key per start. */
  secretKeys?: string[];
  /** Default: random per start. */
  adminToken?: string;
  portalSessionTtlMs?: number;
  checkoutSessionTtlMs?: number;
  defaultReturnUrl?: string;
  webhook?: WebhookOptions;
  /** Shape of webhook `data`; default `snake`. */
  eventForm?: EventForm;
  now?: () => number;
  statePath?: string;
  fixture?: Fixture;
  logger?: (line: string) => void;
}
