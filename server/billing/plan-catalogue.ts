// CUSTOMIZE: your plans. Each slug must be a product slug in your Recur dashboard (the local
// emulator knows `starter-plan` and `pro-plan`); RECUR_PRODUCT_IDS may name each plan's Recur
// product id (`prod_…`) instead. Prices are shown as given; Recur charges what the product in
// Recur says, so keep the two in step.
// CUSTOMIZE: each plan's `name` must be its product's name in your Recur dashboard, in both
// languages: Recur's checkout, portal, receipts and mails show that one name, so a customer must
// see the same one here (the local emulator's products are "Starter" and "Pro"). Rename a plan
// in the Recur dashboard and here together.
import type { Locale } from '../../db/schema';

export interface Plan {
  slug: string;
  name: Record<Locale, string>;
  /** Monthly price in New Taiwan dollars. */
  priceTwd: number;
  interval: 'month' | 'year';
  features: Record<Locale, string[]>;
  highlighted: boolean;
}

export const planCatalogue = [
  {
    slug: 'starter-plan',
    name: { en: 'Starter', 'zh-TW': 'Starter' },
    priceTwd: 290,
    interval: 'month',
    features: {
      en: ['Up to 3 projects', 'Basic analytics', 'Email support'],
      'zh-TW': ['最多 3 個專案', '基本數據分析', 'Email 客服'],
    },
    highlighted: false,
  },
  {
    slug: 'pro-plan',
    name: { en: 'Pro', 'zh-TW': 'Pro' },
    priceTwd: 990,
    interval: 'month',
    features: {
      en: ['Unlimited projects', 'Advanced analytics', 'Team members', 'Priority support'],
      'zh-TW': ['不限專案數量', '進階數據分析', '團隊成員', '優先客服'],
    },
    highlighted: true,
  },
] as const satisfies readonly Plan[];

export type PlanSlug = (typeof planCatalogue)[number]['slug'];
export const planSlugs = planCatalogue.map((plan) => plan.slug) as [PlanSlug, ...PlanSlug[]];

export function findPlan(slug: string): Plan | undefined {
  return planCatalogue.find((plan) => plan.slug === slug);
}

/** The plan a Recur product is, by its configured product id or by its slug. */
export function findPlanForProduct(
  product: { productId: string | null; productSlug: string | null },
  productIds: Partial<Record<PlanSlug, string>>,
): Plan | undefined {
  const byId = planCatalogue.find(
    (plan) => product.productId !== null && productIds[plan.slug] === product.productId,
  );
  return byId ?? (product.productSlug ? findPlan(product.productSlug) : undefined);
}

/** How a checkout names the plan to Recur: its product id when configured, else its slug. */
export function productRefFor(
  plan: PlanSlug,
  productIds: Partial<Record<PlanSlug, string>>,
): { productId: string } | { productSlug: string } {
  const productId = productIds[plan];
  return productId ? { productId } : { productSlug: plan };
}
