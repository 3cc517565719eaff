/**
 * Subscription statuses as the app compares them. Recur's SDK comments show lower case
 * (`active`), its docs upper case (`ACTIVE`, "consistent with the API"), and the Subscriptions
 * API's `active` filter names `TRIAL`: every form is read here, once, and nowhere else.
 */
export const subscriptionStatuses = [
  'active',
  'trialing',
  'past_due',
  'canceled',
  'expired',
] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

const aliases = new Map<string, SubscriptionStatus>([
  ['active', 'active'],
  ['trialing', 'trialing'],
  ['trial', 'trialing'],
  ['past_due', 'past_due'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['expired', 'expired'],
]);

/** The status in any documented case or spelling, or null for anything else. */
export function normalizeSubscriptionStatus(value: unknown): SubscriptionStatus | null {
  if (typeof value !== 'string') return null;
  return aliases.get(value.trim().toLowerCase()) ?? null;
}

/** Statuses in which the customer still holds the subscription (and must not buy a second). */
export function isCurrentStatus(status: SubscriptionStatus): boolean {
  return status === 'active' || status === 'trialing' || status === 'past_due';
}
