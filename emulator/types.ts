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
  metadata: Record<string, string>;
  paymentMethod: PaymentMethod | null;
  createdAt: number;
}

export interface Subscription {
  id: string;
  customerId: string;
  productId: string;
  status: SubscriptionStatus;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
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
  customerExternalId: string | null;
  metadata: Record<string, string>;
  locale: Locale;
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
  metadata?: Record<string, string>;
}

export interface FixtureSubscription {
  id: string;
  customerId: string;
  /** Product id or slug. */
  product: string;
  status?: SubscriptionStatus;
  /** ISO string or Unix ms; defaults to one interval from now. */
  currentPeriodEnd?: string | number;
  cancelAtPeriodEnd?: boolean;
}

export interface Fixture {
  products: FixtureProduct[];
  customers: FixtureCustomer[];
  subscriptions: FixtureSubscription[];
}

export interface WebhookOptions {
  url: string;
  secret: string;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export interface EmulatorOptions {
  /** 0 = ephemeral. */
  port?: number;
  host?: string;
  publicUrl?: string;
  secretKeys?: string[];
  adminToken?: string;
  portalSessionTtlMs?: number;
  checkoutSessionTtlMs?: number;
  defaultReturnUrl?: string;
  webhook?: WebhookOptions;
  now?: () => number;
  statePath?: string;
  fixture?: Fixture;
  logger?: (line: string) => void;
}
