import type { Fixture } from './types';

export const STARTER_PRODUCT_ID = 'prod_starter';
export const STARTER_PRODUCT_SLUG = 'starter-plan';
export const PRO_PRODUCT_ID = 'prod_pro';
export const PRO_PRODUCT_SLUG = 'pro-plan';
export const DEMO_CUSTOMER_ID = 'cus_demo';
export const DEMO_CUSTOMER_EMAIL = 'demo@example.com';
/** The demo customer's `externalId`: the app's demo account id (db/seed.ts). */
export const DEMO_CUSTOMER_EXTERNAL_ID = 'user_demo';
export const DEMO_SUBSCRIPTION_ID = 'sub_demo';

/** PAYUNi's documented sandbox cards: the first succeeds, the second is declined. */
export const TEST_CARD_SUCCESS = '4147631000000001';
export const TEST_CARD_DECLINED = '4147631000000002';

export function defaultFixture(): Fixture {
  return {
    products: [
      { id: STARTER_PRODUCT_ID, slug: STARTER_PRODUCT_SLUG, name: 'Starter', price: 290 },
      { id: PRO_PRODUCT_ID, slug: PRO_PRODUCT_SLUG, name: 'Pro', price: 990 },
    ],
    customers: [
      {
        id: DEMO_CUSTOMER_ID,
        email: DEMO_CUSTOMER_EMAIL,
        name: 'Demo User',
        externalId: DEMO_CUSTOMER_EXTERNAL_ID,
      },
    ],
    subscriptions: [
      {
        id: DEMO_SUBSCRIPTION_ID,
        customerId: DEMO_CUSTOMER_ID,
        product: PRO_PRODUCT_SLUG,
        status: 'active',
      },
    ],
  };
}
