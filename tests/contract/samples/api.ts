/**
 * Recur REST requests and answers as the public docs, the skills pages and the SDK show them.
 * Where a sample is a reading of prose (not a JSON example), its `source` says "reading".
 * No answer carries `metadata`: no public source shows it coming back.
 */
import { cite } from './sources';

export interface ResponseSample {
  name: string;
  source: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface ErrorSample extends ResponseSample {
  meaning: 'no_customer' | 'misconfigured' | 'rate_limited' | 'unavailable';
}

export interface RequestSample {
  name: string;
  source: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
}

const CREATED = '2025-01-15T11:00:00.000Z';
const EXPIRES = '2025-01-15T12:00:00.000Z';

export const portalSessionResponses: ResponseSample[] = [
  {
    name: 'camelCase (what the SDK reads)',
    source: cite(
      'docsPortal',
      '回應格式, camelCase snapshot; read by sdk dist/server.js PortalSessions.create',
    ),
    status: 200,
    body: {
      id: 'portal_session_xxxxx',
      object: 'portal.session',
      url: 'https://portal.recur.tw/s/ps_xxxxx',
      returnUrl: 'https://your-site.com/account',
      customerId: 'cus_xxxxx',
      status: 'active',
      expiresAt: EXPIRES,
      accessedAt: null,
      createdAt: CREATED,
    },
  },
  {
    name: 'snake_case (newer docs snapshot)',
    source: cite('docsPortal', '回應格式, snake_case snapshot'),
    status: 200,
    body: {
      id: 'portal_session_xxxxx',
      object: 'portal.session',
      url: 'https://portal.recur.tw/s/ps_xxxxx',
      return_url: 'https://your-site.com/account',
      customer_id: 'cus_xxxxx',
      status: 'active',
      expires_at: EXPIRES,
      accessed_at: null,
      created_at: CREATED,
    },
  },
  {
    name: "integration guide's PortalSession (customer + snake_case)",
    source: cite('docsPortalGuide', '回應格式 interface PortalSession'),
    status: 200,
    body: {
      id: 'portal_session_xxxxx',
      object: 'portal.session',
      url: 'https://portal.recur.tw/s/ps_xxxxx',
      customer: 'cus_xxxxx',
      return_url: 'https://your-site.com/account',
      status: 'active',
      expires_at: EXPIRES,
      accessed_at: null,
      created_at: CREATED,
    },
  },
];

export const checkoutSessionResponses: ResponseSample[] = [
  {
    name: 'POST /v1/checkout/sessions, expiresAt',
    source: cite('docsApi', '回應格式 成功回應, camelCase snapshot'),
    status: 200,
    body: {
      id: 'cs_xxx',
      url: 'https://checkout.recur.tw/cs_xxx',
      expiresAt: '2025-01-01T00:30:00Z',
    },
  },
  {
    name: 'POST /v1/checkout/sessions, expires_at',
    source: cite('docsApi', '回應格式 成功回應, snake_case snapshot'),
    status: 200,
    body: {
      id: 'cs_xxx',
      url: 'https://checkout.recur.tw/cs_xxx',
      expires_at: '2025-01-01T00:30:00Z',
    },
  },
  {
    name: 'older POST /v1/checkouts, checkoutUrl only',
    source: cite(
      'skillsCheckout',
      'Server-Side Checkout (API): const { checkoutUrl } = await response.json(); reading: only checkoutUrl is shown',
    ),
    status: 200,
    body: { checkoutUrl: 'https://checkout.recur.tw/cs_xxx' },
  },
];

/** The Subscriptions API's subscription item, fields as far as the stored page shows them. */
function subscriptionItem(
  id: string,
  status: string,
  canceledAt: string | null = null,
): Record<string, unknown> {
  return {
    id,
    status,
    product_id: 'prod_xxxxx',
    product_slug: 'pro-monthly',
    product_name: 'Pro Plan',
    amount: 299,
    interval: 'month',
    interval_count: 1,
    current_period_start: '2025-01-01T00:00:00.000Z',
    current_period_end: '2025-02-01T00:00:00.000Z',
    canceled_at: canceledAt,
    started_at: '2024-12-01T00:00:00.000Z',
    coupon: null,
    coupon_remaining_cycles: null,
    discount_amount: 0,
  };
}

const SUBS_FIELDS = 'reading: item fields of the 按客戶篩選(有訂閱) example';

export const subscriptionsListResponses: ResponseSample[] = [
  {
    name: 'by customer, one ACTIVE subscription',
    source: cite('docsSubscriptions', '回應格式 按客戶篩選(有訂閱)'),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: true,
      subscriptions: [subscriptionItem('sub_xxxxx', 'ACTIVE')],
    },
  },
  {
    name: 'by customer, list under data with object: subscription (other snapshot)',
    source: cite('docsSubscriptionsAlt', '回應格式 按客戶篩選(有訂閱), data-keyed snapshot'),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: true,
      data: [
        {
          object: 'subscription',
          id: 'sub_xxxxx',
          status: 'ACTIVE',
          product_id: 'prod_xxxxx',
          product_slug: 'pro-monthly',
          product_name: 'Pro Plan',
          amount: 299,
          interval: 'month',
          interval_count: 1,
          current_period_start: '2025-01-01T00:00:00.000Z',
          current_period_end: '2025-02-01T00:00:00.000Z',
          canceled_at: null,
          started_at: '2024-12-01T00:00:00.000Z',
          next_billing_date: '2025-02-01T00:00:00.000Z',
        },
      ],
    },
  },
  {
    name: 'by customer, empty list',
    source: cite(
      'docsSubscriptions',
      'reading: list shape with has_active_subscription false and no items',
    ),
    status: 200,
    body: { object: 'list', has_active_subscription: false, subscriptions: [] },
  },
  {
    name: 'TRIALING',
    source: cite(
      'docsSubscriptions',
      `${SUBS_FIELDS}; TRIALING as skills/recur-checkout result.status spells it`,
    ),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: true,
      subscriptions: [subscriptionItem('sub_trial', 'TRIALING')],
    },
  },
  {
    name: 'TRIAL (spelling of the active=true filter description)',
    source: cite(
      'docsSubscriptions',
      `狀態篩選: active=true returns ACTIVE、TRIAL、PAST_DUE; ${SUBS_FIELDS}`,
    ),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: true,
      subscriptions: [subscriptionItem('sub_trial_alt', 'TRIAL')],
    },
  },
  {
    name: 'PAST_DUE',
    source: cite('docsSubscriptions', `狀態篩選 (PAST_DUE); ${SUBS_FIELDS}`),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: true,
      subscriptions: [subscriptionItem('sub_past_due', 'PAST_DUE')],
    },
  },
  {
    name: 'CANCELED with canceled_at set (status filter, not active=true)',
    source: cite('docsSubscriptions', `狀態篩選 status=CANCELED; ${SUBS_FIELDS}`),
    status: 200,
    body: {
      object: 'list',
      has_active_subscription: false,
      subscriptions: [subscriptionItem('sub_canceled', 'CANCELED', '2025-01-20T08:00:00.000Z')],
    },
  },
];

const SDK_ENTITLEMENTS =
  'fields read by Entitlements.list/check (entitlements[].product/product_id/status/subscription_id, subscription.current_period_end)';

export const entitlementsResponses: ResponseSample[] = [
  {
    name: 'one active entitlement, with customer and subscription',
    source: cite(
      'sdkServer',
      `${SDK_ENTITLEMENTS}; customer fields from dist/index.d.ts EntitlementCustomer (snake before toCamelCase)`,
    ),
    status: 200,
    body: {
      customer: { id: 'cus_xxx', email: 'user@example.com', name: null, external_id: 'user_123' },
      subscription: {
        id: 'sub_xyz789',
        status: 'ACTIVE',
        product: { id: 'prod_abc123', slug: 'pro-plan', name: 'Pro Plan' },
        current_period_end: '2025-02-01T00:00:00.000Z',
      },
      entitlements: [
        {
          product: 'pro-plan',
          product_id: 'prod_abc123',
          status: 'active',
          subscription_id: 'sub_xyz789',
        },
      ],
    },
  },
  {
    name: 'trialing, past_due and canceled entitlements, no subscription object',
    source: cite(
      'sdkServer',
      `${SDK_ENTITLEMENTS}; EntitlementStatus active|trialing|past_due|canceled`,
    ),
    status: 200,
    body: {
      entitlements: [
        {
          product: 'pro-plan',
          product_id: 'prod_abc123',
          status: 'trialing',
          subscription_id: 'sub_1',
        },
        {
          product: 'addon-ai',
          product_id: 'prod_def456',
          status: 'past_due',
          subscription_id: 'sub_2',
        },
        {
          product: 'starter-plan',
          product_id: 'prod_ghi789',
          status: 'canceled',
          subscription_id: 'sub_3',
        },
      ],
    },
  },
  {
    name: 'no entitlements',
    source: cite(
      'sdkClient',
      'reading: useCustomer falls back to { customer: null, subscription: null, entitlements: [] }',
    ),
    status: 200,
    body: { customer: null, subscription: null, entitlements: [] },
  },
  {
    name: "skills page's Entitlement structure (camelCase, source/sourceId)",
    source: cite(
      'skillsEntitlements',
      'Entitlement Response Structure; reading: wrapped as the REST example destructures { customer, subscription, entitlements }',
    ),
    status: 200,
    body: {
      entitlements: [
        {
          product: 'pro-plan',
          productId: 'prod_xxx',
          status: 'active',
          source: 'subscription',
          sourceId: 'sub_xxx',
          grantedAt: '2025-01-01T00:00:00.000Z',
          expiresAt: '2025-02-01T00:00:00.000Z',
        },
      ],
    },
  },
];

function err(code: string, message: string, type?: string) {
  return { error: type ? { type, code, message } : { code, message } };
}

export const errorResponses: ErrorSample[] = [
  {
    name: '404 customer_not_found (portal)',
    source: cite('docsPortalGuide', '錯誤處理 customer_not_found; type from sdk RecurError'),
    status: 404,
    body: err('customer_not_found', 'Customer not found', 'invalid_request_error'),
    meaning: 'no_customer',
  },
  {
    name: '404 customer_not_found without type',
    source: cite('templatesSaasPortal', "error.code === 'customer_not_found' -> no_customer"),
    status: 404,
    body: err('customer_not_found', 'Customer not found'),
    meaning: 'no_customer',
  },
  {
    name: '404 on a customer lookup, any code',
    source: cite(
      'templatesNewsletterPortal',
      'RecurAPIError statusCode === 404 -> no_customer whatever the code; body uses the error-codes page not_found',
    ),
    status: 404,
    body: err('not_found', 'Customer not found'),
    meaning: 'no_customer',
  },
  {
    name: '404 resource_not_found',
    source: cite('docsApi', '常見錯誤代碼 404 resource_not_found'),
    status: 404,
    body: err('resource_not_found', 'Customer not found'),
    meaning: 'no_customer',
  },
  {
    name: '404 not_found, product (a slug sent as productId)',
    source: cite('docsErrorCodes', 'not_found (404) example'),
    status: 404,
    body: err('not_found', 'Product not found or inactive'),
    meaning: 'misconfigured',
  },
  {
    name: '400 invalid_request, productId missing',
    source: cite('docsApi', '錯誤回應 example'),
    status: 400,
    body: err('invalid_request', 'productId is required'),
    meaning: 'misconfigured',
  },
  {
    name: '400 bad_request',
    source: cite('docsErrorCodes', 'bad_request (400) example'),
    status: 400,
    body: err('bad_request', 'Missing required fields: sessionId, productId, email'),
    meaning: 'misconfigured',
  },
  {
    name: '400 missing_return_url (portal)',
    source: cite(
      'skillsPortal',
      'Error Handling missing_return_url; reading: status 400 is not shown',
    ),
    status: 400,
    body: err('missing_return_url', 'returnUrl is required', 'invalid_request_error'),
    meaning: 'misconfigured',
  },
  {
    name: '401 unauthorized',
    source: cite('docsErrorCodes', 'unauthorized (401) example'),
    status: 401,
    body: err('unauthorized', 'Invalid API key'),
    meaning: 'misconfigured',
  },
  {
    name: '401 unauthorized, SDK error type',
    source: cite(
      'sdkServer',
      "RecurError type 'authentication_error'; reading: paired with the docs' 401 code",
    ),
    status: 401,
    body: err('unauthorized', 'Invalid API key', 'authentication_error'),
    meaning: 'misconfigured',
  },
  {
    name: '403 forbidden',
    source: cite('docsErrorCodes', 'forbidden (403) example'),
    status: 403,
    body: err('forbidden', 'Access denied to this resource'),
    meaning: 'misconfigured',
  },
  {
    name: '409 conflict',
    source: cite('docsErrorCodes', 'conflict (409) example (message cut off in the stored copy)'),
    status: 409,
    body: err('conflict', 'Customer already has an active subscription to this product'),
    meaning: 'misconfigured',
  },
  {
    name: '422 (status only)',
    source: cite(
      'docsErrorCodes',
      'reading: 422 is among the status codes used; no stored page shows its body, so the code value is a placeholder',
    ),
    status: 422,
    body: err('unprocessable_entity', 'Request could not be processed'),
    meaning: 'misconfigured',
  },
  {
    name: '429 with Retry-After',
    source: cite(
      'docsApi',
      'Rate Limiting: 429 Too Many Requests; reading: body code and Retry-After header are not shown by any source (placeholder code, standard header)',
    ),
    status: 429,
    headers: { 'Retry-After': '60' },
    body: err('rate_limited', 'Too Many Requests'),
    meaning: 'rate_limited',
  },
  {
    name: '500 internal_error',
    source: cite(
      'docsApi',
      "常見錯誤代碼 500 internal_error; type 'api_error' from sdk RecurError",
    ),
    status: 500,
    body: err('internal_error', 'Internal server error', 'api_error'),
    meaning: 'unavailable',
  },
  {
    name: '502 HTML from a proxy (not JSON)',
    source: cite(
      'sdkServer',
      'reading: response.json() is called before response.ok is checked, so a non-JSON body throws',
    ),
    status: 502,
    headers: { 'Content-Type': 'text/html' },
    body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    meaning: 'unavailable',
  },
];

export const documentedRequests: RequestSample[] = [
  {
    name: 'checkout session, productId (prod_ id), camelCase',
    source: cite('docsApi', '請求格式 camelCase snapshot'),
    method: 'POST',
    path: '/v1/checkout/sessions',
    body: {
      productId: 'prod_xxx',
      mode: 'SUBSCRIPTION',
      successUrl: 'https://example.com/success',
      cancelUrl: 'https://example.com/cancel',
    },
  },
  {
    name: 'checkout session, snake_case',
    source: cite('docsApi', '請求格式 snake_case snapshot'),
    method: 'POST',
    path: '/v1/checkout/sessions',
    body: {
      product_id: 'prod_xxx',
      mode: 'SUBSCRIPTION',
      success_url: 'https://example.com/success',
      cancel_url: 'https://example.com/cancel',
    },
  },
  {
    name: 'checkout session, customerEmail and customerName',
    source: cite('docsHostedCheckout', '請求參數 (customerEmail, customerName)'),
    method: 'POST',
    path: '/v1/checkout/sessions',
    body: {
      productId: 'prod_xxx',
      mode: 'SUBSCRIPTION',
      successUrl: 'https://example.com/success?session_id={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://example.com/pricing',
      customerEmail: 'user@example.com',
      customerName: 'John Doe',
    },
  },
  {
    name: 'checkout session, productId taken from useProducts (a prod_ id, never the slug)',
    source: cite(
      'templatesSaasPricing',
      'redirectToCheckout({ productId: product.id, successUrl, cancelUrl, customerEmail })',
    ),
    method: 'POST',
    path: '/v1/checkout/sessions',
    body: {
      productId: 'prod_xxx',
      successUrl: 'https://yourapp.com/dashboard?welcome=1',
      cancelUrl: 'https://yourapp.com/pricing',
      customerEmail: 'user@example.com',
    },
  },
  {
    name: 'checkout session, productSlug with externalCustomerId',
    source: cite(
      'skillsCheckout',
      'checkout({ productId | productSlug, customerEmail, customerName, externalCustomerId }); the SDK (dist/index.js) sends these fields',
    ),
    method: 'POST',
    path: '/v1/checkout/sessions',
    body: {
      productSlug: 'pro-plan',
      successUrl: 'https://yourapp.com/checkout/success',
      cancelUrl: 'https://yourapp.com/checkout/cancel',
      customerEmail: 'user@example.com',
      customerName: 'John Doe',
      externalCustomerId: 'user_123',
    },
  },
  {
    name: 'older checkout, POST /v1/checkouts',
    source: cite('skillsCheckout', 'Server-Side Checkout (API), X-Recur-Secret-Key header'),
    method: 'POST',
    path: '/v1/checkouts',
    body: {
      productId: 'prod_xxx',
      customerEmail: 'user@example.com',
      successUrl: 'https://yourapp.com/success',
      cancelUrl: 'https://yourapp.com/cancel',
    },
  },
  {
    name: 'portal, customer (SDK camelCase)',
    source: cite('sdkServer', 'PortalSessions.create body'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: { customerId: 'cus_xxx', returnUrl: 'https://myapp.com/account', locale: 'zh-TW' },
  },
  {
    name: 'portal, externalId (SDK camelCase)',
    source: cite('sdkServer', 'PortalSessions.create body'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: { externalId: 'user_123', returnUrl: 'https://myapp.com/account' },
  },
  {
    name: 'portal, email (SDK camelCase)',
    source: cite('sdkServer', 'PortalSessions.create body'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: { email: 'customer@example.com', returnUrl: 'https://myapp.com/account' },
  },
  {
    name: 'portal, customer_id (docs snake_case)',
    source: cite('docsPortal', '請求參數 snake_case snapshot'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: {
      customer_id: 'cus_xxxxx',
      return_url: 'https://your-site.com/account',
      configuration_id: 'portal_config_xxxxx',
      locale: 'zh-TW',
    },
  },
  {
    name: 'portal, external_id (docs snake_case)',
    source: cite('docsPortal', '請求參數 snake_case snapshot'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: { external_id: 'user_123', return_url: 'https://your-site.com/account' },
  },
  {
    name: 'portal, email with return_url (skills REST example)',
    source: cite('skillsPortal', 'Using REST API Directly'),
    method: 'POST',
    path: '/v1/portal/sessions',
    body: { email: 'customer@example.com', return_url: 'https://yourapp.com/account' },
  },
  {
    name: 'subscriptions by customer_id, active only',
    source: cite('docsSubscriptions', '請求參數 customer_id, active'),
    method: 'GET',
    path: '/v1/subscriptions?customer_id=cus_xxxxx&active=true',
  },
  {
    name: 'subscriptions by external_id',
    source: cite('docsSubscriptions', '請求參數 external_id'),
    method: 'GET',
    path: '/v1/subscriptions?external_id=user_123&active=true',
  },
  {
    name: 'subscriptions by email',
    source: cite('docsSubscriptions', '請求參數 email'),
    method: 'GET',
    path: '/v1/subscriptions?email=user%40example.com',
  },
  {
    name: 'entitlements by customer_id',
    source: cite('sdkServer', 'Entitlements.buildCustomerParams (customer.id -> customer_id)'),
    method: 'GET',
    path: '/v1/customers/entitlements?customer_id=cus_xxx',
  },
  {
    name: 'entitlements by external_id',
    source: cite(
      'sdkServer',
      'Entitlements.buildCustomerParams (customer.externalId -> external_id)',
    ),
    method: 'GET',
    path: '/v1/customers/entitlements?external_id=user_123',
  },
  {
    name: 'entitlements by email',
    source: cite('skillsEntitlements', 'Using REST API Directly'),
    method: 'GET',
    path: '/v1/customers/entitlements?email=user%40example.com',
  },
];
