/**
 * Every public source the contract samples were read from, one per key.
 * A sample's `source` is one of these values, then " § ", then the section it came from.
 */
const sourceList = {
  docsApi: 'https://recur.tw/docs/api',
  docsSubscriptions: 'https://recur.tw/docs/api/subscriptions',
  docsSubscriptionsAlt: 'https://docs.recur.tw/api/subscriptions',
  docsPortal: 'https://recur.tw/docs/api/portal',
  docsCustomers: 'https://recur.tw/docs/api/customers',
  docsCustomersMdx: 'https://docs.recur.tw/api/customers.mdx',
  docsErrorCodes: 'https://docs.recur.tw/api/error-codes',
  docsHostedCheckout: 'https://recur.tw/docs/guides/checkout/hosted-checkout',
  docsPortalGuide: 'https://recur.tw/docs/guides/portal/server-integration',
  docsWebhooks: 'https://recur.tw/docs/guides/webhooks',
  docsWebhookEndpoints: 'https://recur.tw/docs/guides/webhooks/endpoints',
  docsWebhookDelivery: 'https://recur.tw/docs/guides/webhooks/delivery',
  docsWebhookEvents: 'https://recur.tw/docs/guides/webhooks/events',
  docsWebhookEventsMdx: 'https://docs.recur.tw/guides/webhooks/events.mdx',
  skillsWebhooksPage: 'https://recur.tw/skills/recur-webhooks',
  skillsWebhooks: 'recur-tw/skills skills/recur-webhooks/SKILL.md',
  skillsWebhookTestScript: 'recur-tw/skills skills/recur-webhooks/scripts/test-webhook.sh',
  skillsVerifyScript: 'recur-tw/skills skills/recur-webhooks/scripts/verify-signature.ts',
  skillsCheckout: 'recur-tw/skills skills/recur-checkout/SKILL.md',
  skillsEntitlements: 'recur-tw/skills skills/recur-entitlements/SKILL.md',
  skillsPortal: 'recur-tw/skills skills/recur-portal/SKILL.md',
  templatesNewsletterWebhook:
    'recur-tw/templates templates/newsletter/app/api/webhooks/recur/route.ts',
  templatesNewsletterPortal: 'recur-tw/templates templates/newsletter/app/api/portal/route.ts',
  templatesNewsletterSubscribe:
    'recur-tw/templates templates/newsletter/components/recur/subscribe-button.tsx',
  templatesSaasPortal: 'recur-tw/templates templates/saas/app/api/portal/route.ts',
  templatesSaasPricing: 'recur-tw/templates templates/saas/components/recur/pricing-cards.tsx',
  templatesSaasAgents: 'recur-tw/templates templates/saas/AGENTS.md',
  sdkServer: 'npm recur-tw@0.11.0 dist/server.js',
  sdkClient: 'npm recur-tw@0.11.0 dist/index.js',
  sdkClientTypes: 'npm recur-tw@0.11.0 dist/index.d.ts',
} as const;

export type SourceKey = keyof typeof sourceList;

export const sources: Record<string, string> = sourceList;

/** `${sources[key]} § ${section}`, the form every sample's `source` takes. */
export function cite(key: SourceKey, section: string): string {
  return `${sourceList[key]} § ${section}`;
}
