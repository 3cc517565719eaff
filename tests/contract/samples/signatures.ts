/**
 * X-Recur-Signature samples: HMAC-SHA256 of the raw request body, keyed with the webhook secret.
 * The docs say the digest is Base64; the skills page, its scripts and the templates use hex.
 * Signatures are precomputed constants, so the sample test checks them rather than re-deriving.
 */
import { cite } from './sources';

export interface SignatureSample {
  name: string;
  source: string;
  secret: string;
  rawBody: string;
  signature: string;
  encoding: 'hex' | 'base64';
}

/** The delivery page's subscription.activated example, compact as it goes on the wire. */
const deliveryBody =
  '{"id":"evt_abc123def456","type":"subscription.activated","timestamp":"2025-06-15T10:30:00.000Z","data":{"id":"sub_xyz789","customer_id":"cus_123","product_id":"prod_pro","status":"active","amount":299,"interval":"month","interval_count":1,"current_period_start":"2025-06-15T10:30:00.000Z","current_period_end":"2025-07-15T10:30:00.000Z","created_at":"2025-06-15T10:30:00.000Z","updated_at":"2025-06-15T10:30:00.000Z"}}';

/** Pretty-printed, as skills test-webhook.sh sends it (signed byte for byte with `echo -n`). */
const scriptBody = `{
  "id": "evt_test_1718447400",
  "type": "checkout.completed",
  "timestamp": "2025-06-15T10:30:00Z",
  "data": {
    "checkoutId": "chk_test_123",
    "customerId": "cus_test_456",
    "customerEmail": "test@example.com",
    "subscriptionId": "sub_test_789",
    "productId": "prod_test_abc",
    "amount": 29900,
    "currency": "TWD"
  }
}`;

/** Non-ASCII (UTF-8) body: the Customers API's example name. */
const cjkBody =
  '{"id":"evt_docs_customer_created","type":"customer.created","timestamp":"2025-06-15T10:30:00.000Z","data":{"object":"customer","id":"cus_xxxxx","email":"user@example.com","name":"王小明","external_id":"user_123","email_verified":false,"status":"ACTIVE","created_at":"2025-06-15T10:30:00.000Z","updated_at":"2025-06-15T10:30:00.000Z","livemode":false}}';

export const signatureSamples: SignatureSample[] = [
  {
    name: 'docs delivery example, base64',
    source: cite(
      'docsWebhookDelivery',
      '簽章演算法 (Base64) with the endpoints page secret form whsec_abc123def456',
    ),
    secret: 'whsec_abc123def456',
    rawBody: deliveryBody,
    signature: '7ajvxamKmfJnU6sH7Z3loO+I3/+T/qxYE4GUghN4FoY=',
    encoding: 'base64',
  },
  {
    name: 'docs delivery example, hex',
    source: cite(
      'skillsWebhooks',
      'verifySignature digest(hex), applied to the docs delivery example',
    ),
    secret: 'whsec_abc123def456',
    rawBody: deliveryBody,
    signature: 'eda8efc5a98a99f26753ab07ed9de5a0ef88dfff93feac581381948213781686',
    encoding: 'hex',
  },
  {
    name: 'skills test script, pretty-printed body, secret without whsec_ prefix, hex',
    source: cite(
      'skillsWebhookTestScript',
      'openssl dgst -sha256 -hmac, default secret test_secret',
    ),
    secret: 'test_secret',
    rawBody: scriptBody,
    signature: 'df677fff9f47e9c2d7b37af7bf2c73b0458f8f7b82f070e49e77ebd74c830b6a',
    encoding: 'hex',
  },
  {
    name: 'UTF-8 customer name, base64',
    source: cite(
      'docsWebhookEndpoints',
      "secret form whsec_abc123def456; digest as the delivery page's update(payload, 'utf8') base64; body from the Customers API example",
    ),
    secret: 'whsec_abc123def456',
    rawBody: cjkBody,
    signature: 'unl9ndhAWdzbHBQXzGpStI/JUGjvDEsX9IQCtEweg9c=',
    encoding: 'base64',
  },
  {
    name: 'UTF-8 customer name, hex',
    source: cite('skillsVerifyScript', 'digest(hex); body from the Customers API example'),
    secret: 'whsec_abc123def456',
    rawBody: cjkBody,
    signature: 'ba797d9dd84059dcdb1c1417cc6a52b48fc95068ef0c4b17f48402b44c1e83d7',
    encoding: 'hex',
  },
  {
    name: 'verify-signature.ts usage example, hex',
    source: cite('skillsVerifyScript', 'usage example payload and secret'),
    secret: 'whsec_xxx',
    rawBody: '{"type":"checkout.completed"}',
    signature: '6908894ab9465fb600b5416e0011ebd6418fe783a522783b07dd6276844240ee',
    encoding: 'hex',
  },
];
