/**
 * Webhook event bodies exactly as Recur's public material shows them, one per documented form.
 *
 * `meaning` is what the event says, read from the source alone:
 * - `status` is the body's status (lower-cased) when the body has one; when it has none, it is
 *   the state the source says the event type stands for (cancelled -> canceled, past_due ->
 *   past_due, renewed -> active, expired -> expired), as noted in each sample's `source`.
 * - `currentPeriodEnd` / `accessUntil` are copied only from fields that carry them. Times are
 *   ISO-8601 strings; compare them as instants (the skills script writes no milliseconds).
 * No sample carries `metadata`: no public source shows it in any event.
 * No source shows a numeric (Unix ms) body `timestamp`; only the X-Recur-Timestamp header is
 * Unix ms (docs delivery page), so every body here has an ISO-8601 string.
 */
import { cite } from './sources';

export type DocumentedStatus = 'active' | 'trialing' | 'past_due' | 'canceled' | 'expired';

export interface WebhookEventSample {
  name: string;
  source: string;
  body: { id: string; type: string; timestamp: string | number; data: Record<string, unknown> };
  /** What the event says, read from the source, not from any app code. */
  meaning:
    | { kind: 'customer'; customerId: string; externalId: string | null; email: string | null }
    | {
        kind: 'subscription';
        subscriptionId: string;
        customerId: string;
        status: DocumentedStatus | null;
        productId: string | null;
        currentPeriodEnd: string | null;
        accessUntil: string | null;
      }
    | { kind: 'other' };
}

/** The time every sample's `timestamp` is at; tests set their clock near it. */
export const SAMPLE_EVENT_TIME = '2025-06-15T10:30:00.000Z';
const PERIOD_START = SAMPLE_EVENT_TIME;
const PERIOD_END = '2025-07-15T10:30:00.000Z';
const NEXT_PERIOD_END = '2025-08-15T10:30:00.000Z';
/** skills test-webhook.sh writes times with `date -u +"%Y-%m-%dT%H:%M:%SZ"`: no milliseconds. */
const SCRIPT_TIME = '2025-06-15T10:30:00Z';
const SCRIPT_PERIOD_END = '2025-07-15T10:30:00Z';

function body(
  id: string,
  type: string,
  data: Record<string, unknown>,
  timestamp = SAMPLE_EVENT_TIME,
) {
  return { id, type, timestamp, data };
}

function sub(
  subscriptionId: string,
  customerId: string,
  status: DocumentedStatus | null,
  productId: string | null,
  currentPeriodEnd: string | null = null,
  accessUntil: string | null = null,
): WebhookEventSample['meaning'] {
  return {
    kind: 'subscription',
    subscriptionId,
    customerId,
    status,
    productId,
    currentPeriodEnd,
    accessUntil,
  };
}

/** The docs' snake_case subscription object (field set of the delivery page's example). */
function snakeSubscription(
  id: string,
  customerId: string,
  productId: string,
  status: string,
  periodStart = PERIOD_START,
  periodEnd = PERIOD_END,
): Record<string, unknown> {
  return {
    id,
    customer_id: customerId,
    product_id: productId,
    status,
    amount: 299,
    interval: 'month',
    interval_count: 1,
    current_period_start: periodStart,
    current_period_end: periodEnd,
    created_at: SAMPLE_EVENT_TIME,
    updated_at: SAMPLE_EVENT_TIME,
  };
}

const SNAKE_SUB_FIELDS =
  'reading: the events page says subscription events carry the subscription object with upper-case status; field set is the delivery page example';

const camelEvents: WebhookEventSample[] = [
  {
    name: 'checkout.completed (skills test script, camelCase)',
    source: cite('skillsWebhookTestScript', 'checkout.completed payload'),
    body: body(
      'evt_test_1718447400',
      'checkout.completed',
      {
        checkoutId: 'chk_test_123',
        customerId: 'cus_test_456',
        customerEmail: 'test@example.com',
        subscriptionId: 'sub_test_789',
        productId: 'prod_test_abc',
        amount: 29900,
        currency: 'TWD',
      },
      SCRIPT_TIME,
    ),
    meaning: {
      kind: 'customer',
      customerId: 'cus_test_456',
      externalId: null,
      email: 'test@example.com',
    },
  },
  {
    name: 'checkout.completed (skills, camelCase, one-time order, no email)',
    source: cite(
      'skillsWebhooks',
      'handleCheckoutCompleted destructures { customerId, subscriptionId, orderId, productId, amount }; reading: an order has no subscriptionId, customerEmail/currency are optional in WebhookEvent',
    ),
    body: body('evt_skills_checkout_order', 'checkout.completed', {
      customerId: 'cus_order_1',
      orderId: 'ord_order_1',
      productId: 'prod_onetime_xxx',
      amount: 29900,
    }),
    meaning: { kind: 'customer', customerId: 'cus_order_1', externalId: null, email: null },
  },
  {
    name: 'subscription.activated (skills test script, camelCase, ACTIVE)',
    source: cite('skillsWebhookTestScript', 'subscription.activated payload'),
    body: body(
      'evt_test_1718447401',
      'subscription.activated',
      {
        subscriptionId: 'sub_test_789',
        customerId: 'cus_test_456',
        productId: 'prod_test_abc',
        status: 'ACTIVE',
        currentPeriodStart: SCRIPT_TIME,
        currentPeriodEnd: SCRIPT_PERIOD_END,
      },
      SCRIPT_TIME,
    ),
    meaning: sub('sub_test_789', 'cus_test_456', 'active', 'prod_test_abc', SCRIPT_PERIOD_END),
  },
  {
    name: 'subscription.activated (skills, camelCase, lower-case status)',
    source: cite(
      'skillsWebhooks',
      'handleSubscriptionActivated destructures { subscriptionId, customerId, productId, status }; reading: value lower case as the SDK doc comments show',
    ),
    body: body('evt_skills_activated_lower', 'subscription.activated', {
      subscriptionId: 'sub_skills_1',
      customerId: 'cus_skills_1',
      productId: 'prod_skills_1',
      status: 'active',
    }),
    meaning: sub('sub_skills_1', 'cus_skills_1', 'active', 'prod_skills_1'),
  },
  {
    name: 'subscription.cancelled (skills test script, camelCase, no status)',
    source: cite(
      'skillsWebhookTestScript',
      'subscription.cancelled payload (no status; SKILL.md: "User still has access until accessUntil date")',
    ),
    body: body(
      'evt_test_1718447402',
      'subscription.cancelled',
      {
        subscriptionId: 'sub_test_789',
        customerId: 'cus_test_456',
        cancelledAt: SCRIPT_TIME,
        accessUntil: SCRIPT_PERIOD_END,
      },
      SCRIPT_TIME,
    ),
    meaning: sub('sub_test_789', 'cus_test_456', 'canceled', null, null, SCRIPT_PERIOD_END),
  },
  {
    name: 'subscription.renewed (skills, camelCase)',
    source: cite(
      'skillsWebhooks',
      'handleSubscriptionRenewed destructures { subscriptionId, customerId, amount, nextBillingDate } ("Extend access period"); reading: nextBillingDate is the new period end, status active per the docs events page retry note',
    ),
    body: body('evt_skills_renewed', 'subscription.renewed', {
      subscriptionId: 'sub_test_789',
      customerId: 'cus_test_456',
      amount: 29900,
      nextBillingDate: NEXT_PERIOD_END,
    }),
    meaning: sub('sub_test_789', 'cus_test_456', 'active', null, NEXT_PERIOD_END),
  },
  {
    name: 'subscription.past_due (skills, camelCase)',
    source: cite(
      'skillsWebhooks',
      'handleSubscriptionPastDue destructures { subscriptionId, customerId, failureReason }; reading: status from the event table ("Payment failed, subscription at risk")',
    ),
    body: body('evt_skills_past_due', 'subscription.past_due', {
      subscriptionId: 'sub_test_789',
      customerId: 'cus_test_456',
      failureReason: 'card_declined',
    }),
    meaning: sub('sub_test_789', 'cus_test_456', 'past_due', null),
  },
];

const snakeSubscriptionEvents: WebhookEventSample[] = [
  {
    name: 'subscription.activated (docs delivery page, snake_case, lower-case status)',
    source: cite('docsWebhookDelivery', 'Request Body example'),
    body: body(
      'evt_abc123def456',
      'subscription.activated',
      snakeSubscription('sub_xyz789', 'cus_123', 'prod_pro', 'active'),
    ),
    meaning: sub('sub_xyz789', 'cus_123', 'active', 'prod_pro', PERIOD_END),
  },
  {
    name: 'subscription.activated (docs delivery page, older snapshot, plan_id)',
    source: cite(
      'docsWebhookDelivery',
      'Request Body example, older snapshot (plan_id, billing_period)',
    ),
    body: body('evt_abc123def457', 'subscription.activated', {
      id: 'sub_xyz790',
      customer_id: 'cus_123',
      plan_id: 'plan_pro',
      status: 'active',
      amount: 299,
      billing_period: 'monthly',
      current_period_start: PERIOD_START,
      current_period_end: PERIOD_END,
      created_at: SAMPLE_EVENT_TIME,
      updated_at: SAMPLE_EVENT_TIME,
    }),
    meaning: sub('sub_xyz790', 'cus_123', 'active', null, PERIOD_END),
  },
  {
    name: 'subscription.activated (docs events page, snake_case, ACTIVE)',
    source: cite('docsWebhookEventsMdx', `status callout (upper case); ${SNAKE_SUB_FIELDS}`),
    body: body(
      'evt_docs_activated_upper',
      'subscription.activated',
      snakeSubscription('sub_docs_1', 'cus_docs_1', 'prod_docs_pro', 'ACTIVE'),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'active', 'prod_docs_pro', PERIOD_END),
  },
  {
    name: 'subscription.activated (docs, snake_case, TRIALING)',
    source: cite(
      'docsWebhookEventsMdx',
      `trial flow (初次訂閱含試用期); ${SNAKE_SUB_FIELDS}; TRIALING spelling as skills/recur-checkout result.status shows`,
    ),
    body: body(
      'evt_docs_activated_trial',
      'subscription.activated',
      snakeSubscription('sub_docs_trial', 'cus_docs_2', 'prod_docs_pro', 'TRIALING'),
    ),
    meaning: sub('sub_docs_trial', 'cus_docs_2', 'trialing', 'prod_docs_pro', PERIOD_END),
  },
  {
    name: 'subscription.past_due (docs, snake_case, PAST_DUE)',
    source: cite('docsWebhookEventsMdx', `status callout (PAST_DUE); ${SNAKE_SUB_FIELDS}`),
    body: body(
      'evt_docs_past_due',
      'subscription.past_due',
      snakeSubscription('sub_docs_1', 'cus_docs_1', 'prod_docs_pro', 'PAST_DUE'),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'past_due', 'prod_docs_pro', PERIOD_END),
  },
  {
    name: 'subscription.cancelled (docs, snake_case, CANCELED with canceled_at)',
    source: cite(
      'docsWebhookEventsMdx',
      `status callout (CANCELED); ${SNAKE_SUB_FIELDS}; canceled_at as the Subscriptions API object has it`,
    ),
    body: body('evt_docs_cancelled', 'subscription.cancelled', {
      ...snakeSubscription('sub_docs_1', 'cus_docs_1', 'prod_docs_pro', 'CANCELED'),
      canceled_at: SAMPLE_EVENT_TIME,
    }),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'canceled', 'prod_docs_pro', PERIOD_END),
  },
  {
    name: 'subscription.renewed (docs, snake_case, ACTIVE, next period)',
    source: cite('docsWebhookEvents', `renewal flow; ${SNAKE_SUB_FIELDS}`),
    body: body(
      'evt_docs_renewed',
      'subscription.renewed',
      snakeSubscription(
        'sub_docs_1',
        'cus_docs_1',
        'prod_docs_pro',
        'ACTIVE',
        PERIOD_END,
        NEXT_PERIOD_END,
      ),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'active', 'prod_docs_pro', NEXT_PERIOD_END),
  },
  {
    name: 'subscription.upgraded (docs, snake_case, new product)',
    source: cite('docsWebhookEvents', `switching flow (升級立即執行); ${SNAKE_SUB_FIELDS}`),
    body: body(
      'evt_docs_upgraded',
      'subscription.upgraded',
      snakeSubscription('sub_docs_1', 'cus_docs_1', 'prod_docs_enterprise', 'ACTIVE'),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'active', 'prod_docs_enterprise', PERIOD_END),
  },
  {
    name: 'subscription.downgraded (docs, snake_case, new product)',
    source: cite('docsWebhookEvents', `switching flow (降級排程執行); ${SNAKE_SUB_FIELDS}`),
    body: body(
      'evt_docs_downgraded',
      'subscription.downgraded',
      snakeSubscription(
        'sub_docs_1',
        'cus_docs_1',
        'prod_docs_starter',
        'ACTIVE',
        PERIOD_END,
        NEXT_PERIOD_END,
      ),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'active', 'prod_docs_starter', NEXT_PERIOD_END),
  },
  {
    name: 'subscription.expired (docs, snake_case, EXPIRED)',
    source: cite(
      'docsWebhookEvents',
      `逾期與重試機制 (all retries failed -> subscription.expired); ${SNAKE_SUB_FIELDS}; the value EXPIRED is a reading of the event name, no source lists it`,
    ),
    body: body(
      'evt_docs_expired',
      'subscription.expired',
      snakeSubscription('sub_docs_1', 'cus_docs_1', 'prod_docs_pro', 'EXPIRED'),
    ),
    meaning: sub('sub_docs_1', 'cus_docs_1', 'expired', 'prod_docs_pro', PERIOD_END),
  },
];

/** The Customers API's customer object; no source shows customer.created's data itself. */
function snakeCustomer(id: string, email: string, name: string | null, externalId: string | null) {
  return {
    object: 'customer',
    id,
    email,
    name,
    external_id: externalId,
    email_verified: false,
    status: 'ACTIVE',
    created_at: SAMPLE_EVENT_TIME,
    updated_at: SAMPLE_EVENT_TIME,
    livemode: false,
  };
}

const CUSTOMER_READING =
  'reading: no source shows customer.created data; this is the customer object of the Customers API';

const snakeOtherEvents: WebhookEventSample[] = [
  {
    name: 'checkout.created (docs events page, snake_case)',
    source: cite('docsWebhookEvents', 'checkout.created example'),
    body: body('evt_chk_created_001', 'checkout.created', {
      id: 'chk_abc123def456',
      status: 'pending',
      amount: 299,
      currency: 'TWD',
      product_id: 'prod_pro_monthly',
      customer_id: null,
      customer_email: 'user@example.com',
      created_at: SAMPLE_EVENT_TIME,
      completed_at: null,
    }),
    meaning: { kind: 'other' },
  },
  {
    name: 'checkout.completed (docs, snake_case)',
    source: cite(
      'docsWebhookEvents',
      'checkout.completed; reading: field set of the checkout.created example, status/customer_id/completed_at filled (the stored copy cuts off before the completed example)',
    ),
    body: body('evt_chk_completed_001', 'checkout.completed', {
      id: 'chk_abc123def456',
      status: 'completed',
      amount: 299,
      currency: 'TWD',
      product_id: 'prod_pro_monthly',
      customer_id: 'cus_docs_3',
      customer_email: 'user@example.com',
      created_at: SAMPLE_EVENT_TIME,
      completed_at: SAMPLE_EVENT_TIME,
    }),
    meaning: {
      kind: 'customer',
      customerId: 'cus_docs_3',
      externalId: null,
      email: 'user@example.com',
    },
  },
  {
    name: 'customer.created (docs, snake_case customer object, with external_id)',
    source: cite('docsCustomers', `客戶物件; ${CUSTOMER_READING}`),
    body: body(
      'evt_docs_customer_created',
      'customer.created',
      snakeCustomer('cus_xxxxx', 'user@example.com', '王小明', 'user_123'),
    ),
    meaning: {
      kind: 'customer',
      customerId: 'cus_xxxxx',
      externalId: 'user_123',
      email: 'user@example.com',
    },
  },
  {
    name: 'customer.created (docs, snake_case customer object, external_id null)',
    source: cite('docsCustomersMdx', `客戶物件 (external_id: string | null); ${CUSTOMER_READING}`),
    body: body(
      'evt_docs_customer_created_noext',
      'customer.created',
      snakeCustomer('cus_docs_3', 'user@example.com', null, null),
    ),
    meaning: {
      kind: 'customer',
      customerId: 'cus_docs_3',
      externalId: null,
      email: 'user@example.com',
    },
  },
];

const EMPTY_DATA = 'the script sends every other type with data {}';
const TEMPLATE_TYPE =
  'switch case; no source shows its data, so data {} as skills test-webhook.sh sends types it has no example for';

const otherEvents: WebhookEventSample[] = [
  {
    name: 'refund.created (skills, camelCase)',
    source: cite(
      'skillsWebhooks',
      'handleRefundCreated destructures { refundId, orderId, amount, reason }; reading',
    ),
    body: body('evt_skills_refund', 'refund.created', {
      refundId: 'ref_skills_1',
      orderId: 'ord_order_1',
      amount: 29900,
      reason: 'requested_by_customer',
    }),
    meaning: { kind: 'other' },
  },
  {
    name: 'invoice.paid (type listed on the docs overview, data not shown)',
    source: cite(
      'docsWebhooks',
      '支援的事件 Invoice row; data {} as skills test-webhook.sh sends types it has no example for',
    ),
    body: body('evt_docs_invoice_paid', 'invoice.paid', {}),
    meaning: { kind: 'other' },
  },
  {
    name: 'order.paid (skills test script, empty data)',
    source: cite('skillsWebhookTestScript', `default branch; ${EMPTY_DATA}`),
    body: body('evt_test_order_paid', 'order.paid', {}, SCRIPT_TIME),
    meaning: { kind: 'other' },
  },
  {
    name: 'subscription.paused (type only on the skills web page)',
    source: cite('skillsWebhooksPage', '支援的事件類型 table; data {} as the test script sends'),
    body: body('evt_page_paused', 'subscription.paused', {}),
    meaning: { kind: 'other' },
  },
  {
    name: 'subscription.payment_failed (type only in the newsletter template)',
    source: cite('templatesNewsletterWebhook', TEMPLATE_TYPE),
    body: body('evt_tpl_payment_failed', 'subscription.payment_failed', {}),
    meaning: { kind: 'other' },
  },
  {
    name: 'subscription.revoked (type only in the newsletter template)',
    source: cite('templatesNewsletterWebhook', TEMPLATE_TYPE),
    body: body('evt_tpl_revoked', 'subscription.revoked', {}),
    meaning: { kind: 'other' },
  },
  {
    name: 'invoice.refunded (type only in the newsletter template)',
    source: cite('templatesNewsletterWebhook', TEMPLATE_TYPE),
    body: body('evt_tpl_invoice_refunded', 'invoice.refunded', {}),
    meaning: { kind: 'other' },
  },
  {
    name: 'unknown type (any type the test script is given)',
    source: cite('skillsWebhookTestScript', `default branch (EVENT_TYPE is free); ${EMPTY_DATA}`),
    body: body('evt_test_unknown', 'unknown.event_type', {}, SCRIPT_TIME),
    meaning: { kind: 'other' },
  },
];

export const webhookEventSamples: WebhookEventSample[] = [
  ...camelEvents,
  ...snakeSubscriptionEvents,
  ...snakeOtherEvents,
  ...otherEvents,
];
