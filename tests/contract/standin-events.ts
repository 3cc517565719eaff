/**
 * Webhook bodies and delivery for the Recur stand-in, in the forms the public material shows:
 * 'snake' = docs (subscription object, upper-case status), 'camel' = skills/recur-webhooks.
 * Nothing here ever carries metadata. See samples/webhook-events.ts for each form's source.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type EventForm = 'snake' | 'camel';
export type SignatureEncoding = 'hex' | 'base64';

export interface StandinCustomer {
  id: string;
  email: string;
  name: string | null;
  externalId: string | null;
  createdAt: string;
}

export interface StandinProduct {
  id: string;
  slug: string;
  name: string;
  /** Whole New Taiwan dollars, as the docs' examples show amounts (299). */
  amount: number;
}

export interface StandinSubscription {
  id: string;
  customerId: string;
  product: StandinProduct;
  status: 'ACTIVE' | 'TRIALING' | 'PAST_DUE' | 'CANCELED';
  currentPeriodStart: string;
  currentPeriodEnd: string;
  canceledAt: string | null;
  startedAt: string;
  updatedAt: string;
}

export interface StandinCheckout {
  id: string;
  product: StandinProduct;
  customerEmail: string | null;
  customerName: string | null;
  externalCustomerId: string | null;
  status: 'open' | 'complete';
  createdAt: string;
  expiresAt: string;
}

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('hex')}`;
}

/** The docs' customer object (Customers API); the only customer.created form any source hints at. */
export function customerData(c: StandinCustomer): Record<string, unknown> {
  return {
    object: 'customer',
    id: c.id,
    email: c.email,
    name: c.name,
    external_id: c.externalId,
    email_verified: false,
    status: 'ACTIVE',
    created_at: c.createdAt,
    updated_at: c.createdAt,
    livemode: false,
  };
}

export function checkoutCompletedData(
  form: EventForm,
  checkout: StandinCheckout,
  customer: StandinCustomer,
  subscription: StandinSubscription,
  completedAt: string,
): Record<string, unknown> {
  if (form === 'camel') {
    // skills: amounts in cents (29900 = NT$299).
    return {
      checkoutId: checkout.id,
      customerId: customer.id,
      customerEmail: customer.email,
      subscriptionId: subscription.id,
      productId: checkout.product.id,
      amount: checkout.product.amount * 100,
      currency: 'TWD',
    };
  }
  return {
    id: checkout.id,
    status: 'completed',
    amount: checkout.product.amount,
    currency: 'TWD',
    product_id: checkout.product.id,
    customer_id: customer.id,
    customer_email: customer.email,
    created_at: checkout.createdAt,
    completed_at: completedAt,
  };
}

export function subscriptionData(
  form: EventForm,
  type: 'subscription.activated' | 'subscription.cancelled',
  s: StandinSubscription,
): Record<string, unknown> {
  if (form === 'snake') {
    return {
      id: s.id,
      customer_id: s.customerId,
      product_id: s.product.id,
      status: s.status,
      amount: s.product.amount,
      interval: 'month',
      interval_count: 1,
      current_period_start: s.currentPeriodStart,
      current_period_end: s.currentPeriodEnd,
      ...(s.canceledAt ? { canceled_at: s.canceledAt } : {}),
      created_at: s.startedAt,
      updated_at: s.updatedAt,
    };
  }
  if (type === 'subscription.cancelled') {
    // skills: no status, access continues until accessUntil.
    return {
      subscriptionId: s.id,
      customerId: s.customerId,
      cancelledAt: s.canceledAt,
      accessUntil: s.currentPeriodEnd,
    };
  }
  return {
    subscriptionId: s.id,
    customerId: s.customerId,
    productId: s.product.id,
    status: s.status,
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
  };
}

export interface Delivery {
  type: string;
  status: number | null;
}

export interface Deliverer {
  deliveries: Delivery[];
  send(type: string, data: Record<string, unknown>): Promise<void>;
}

/** Signs (HMAC-SHA256 of the raw body) and POSTs once, awaiting the answer; no retries. */
export function createDeliverer(options: {
  webhookUrl?: string;
  webhookSecret: string;
  signatureEncoding: SignatureEncoding;
}): Deliverer {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    async send(type, data) {
      const id = randomId('evt');
      const raw = JSON.stringify({ id, type, timestamp: new Date().toISOString(), data });
      const signature = createHmac('sha256', options.webhookSecret)
        .update(raw, 'utf8')
        .digest(options.signatureEncoding);
      const record: Delivery = { type, status: null };
      deliveries.push(record);
      if (!options.webhookUrl) return;
      try {
        const res = await fetch(options.webhookUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Recur-Signature': signature,
            'X-Recur-Event-Id': id,
            'X-Recur-Event-Type': type,
            'X-Recur-Timestamp': String(Date.now()),
          },
          body: raw,
          // The docs: Recur waits at most 20 s for an answer.
          signal: AbortSignal.timeout(20_000),
        });
        await res.arrayBuffer();
        record.status = res.status;
      } catch {
        record.status = null;
      }
    },
  };
}
