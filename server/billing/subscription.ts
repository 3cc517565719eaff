import type { Locale } from '../../db/schema';
import { findPlanForProduct, type PlanSlug } from './plan-catalogue';
import type { CustomerSubscription, RecurClient, RecurCustomerRef } from './recur-client';
import { normalizeRecurError } from './recur-error';
import { isCurrentStatus, type SubscriptionStatus } from './subscription-status';

export interface SubscriptionView {
  id: string;
  planSlug: string | null;
  planName: Record<Locale, string>;
  status: SubscriptionStatus;
  /** Renewal date when active, trial end when trialing, access end when canceled. */
  currentPeriodEnd: string | null;
  /** Cancelled by the customer: access runs to `currentPeriodEnd`, then it ends. */
  canceled: boolean;
}

export type SubscriptionSummary =
  | { state: 'none' /** The customer had subscriptions, all of them over. */; ended: boolean }
  | { state: 'subscribed'; subscriptions: SubscriptionView[] };

export interface SubscriptionUser {
  id: string;
  recurCustomerId: string | null;
}

/**
 * Who the user is to Recur: the customer id stored on their row, else their own user id, which
 * the app sent as `externalCustomerId` at checkout. The second covers a user who paid but whose
 * webhook never arrived.
 */
export function recurCustomerOf(user: SubscriptionUser): RecurCustomerRef {
  return user.recurCustomerId ? { customerId: user.recurCustomerId } : { externalId: user.id };
}

/** Every subscription Recur reports for the user, or none when Recur knows no such customer. */
export async function listUserSubscriptions(
  recur: RecurClient,
  user: SubscriptionUser,
): Promise<CustomerSubscription[]> {
  try {
    return await recur.listSubscriptions(recurCustomerOf(user));
  } catch (error) {
    const failure = normalizeRecurError(error, { customerLookup: true });
    if (failure.kind === 'customer_not_found') return [];
    throw failure;
  }
}

/** The user's subscriptions that still give access, most relevant first. */
export async function getSubscriptionSummary(
  deps: { recur: RecurClient; productIds: Partial<Record<PlanSlug, string>>; now?: () => number },
  user: SubscriptionUser,
): Promise<SubscriptionSummary> {
  const all = await listUserSubscriptions(deps.recur, user);
  const now = (deps.now ?? Date.now)();
  const live = all
    .filter((subscription) => givesAccess(subscription, now))
    .sort((a, b) => RELEVANCE[a.status] - RELEVANCE[b.status]);
  if (live.length === 0) return { state: 'none', ended: all.length > 0 };
  return {
    state: 'subscribed',
    subscriptions: live.map((subscription) => {
      const plan = findPlanForProduct(subscription, deps.productIds);
      const name = subscription.productName ?? subscription.productSlug ?? subscription.id;
      return {
        id: subscription.id,
        planSlug: plan?.slug ?? subscription.productSlug,
        planName: plan?.name ?? { en: name, 'zh-TW': name },
        status: subscription.status,
        currentPeriodEnd: subscription.currentPeriodEnd,
        canceled: subscription.status === 'canceled' || subscription.canceledAt !== null,
      };
    }),
  };
}

/** Whether a subscription keeps the user from buying another one. */
export function holdsSubscription(subscriptions: CustomerSubscription[], now: number): boolean {
  return subscriptions.some((subscription) => givesAccess(subscription, now));
}

function givesAccess(subscription: CustomerSubscription, now: number): boolean {
  if (isCurrentStatus(subscription.status)) return true;
  // A cancelled subscription runs to the end of the period that was paid for.
  const end = subscription.currentPeriodEnd
    ? Date.parse(subscription.currentPeriodEnd)
    : Number.NaN;
  return subscription.status === 'canceled' && end > now;
}

const RELEVANCE: Record<SubscriptionStatus, number> = {
  active: 0,
  trialing: 1,
  past_due: 2,
  canceled: 3,
  expired: 4,
};
