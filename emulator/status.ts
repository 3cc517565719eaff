import type { SubscriptionStatus } from './types';

/** Recur's docs: statuses are upper case in events and in the Subscriptions API. */
export function upperStatus(status: SubscriptionStatus): string {
  return status.toUpperCase();
}

/** Reads a status filter in any case; `TRIAL` (the docs' wording) means `trialing`. */
export function parseStatus(value: string): SubscriptionStatus | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'trial') return 'trialing';
  if (lower === 'cancelled') return 'canceled';
  const known: SubscriptionStatus[] = ['active', 'trialing', 'past_due', 'canceled', 'expired'];
  return known.find((s) => s === lower);
}

/** What `active=true` keeps: ACTIVE, TRIAL(ING) and PAST_DUE. */
export const ACTIVE_STATUSES: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due'];
