// CUSTOMIZE: your plans. Each slug must be a product slug in your Recur dashboard (the local
// emulator knows `starter-plan` and `pro-plan`). Prices are shown as given; Recur charges what
// the product in Recur says, so keep the two in step.
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
    name: { en: 'Starter', 'zh-TW': '入門方案' },
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
    name: { en: 'Pro', 'zh-TW': '專業方案' },
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
