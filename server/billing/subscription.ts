import type { Locale } from '../../db/schema';
import { findPlan } from './plan-catalogue';
import type { RecurClient, SubscriptionStatus } from './recur-client';
import { normalizeRecurError } from './recur-error';

export type SubscriptionSummary =
  | { state: 'none' }
  | {
      state: 'subscribed';
      planSlug: string;
      planName: Record<Locale, string>;
      status: SubscriptionStatus;
      /** Renewal date when active, trial end when trialing, access end when canceled. */
      currentPeriodEnd: string | null;
      cancelAtPeriodEnd: boolean;
    };

/** The user's plan and status as Recur reports it; no Recur call without a customer id. */
export async function getSubscriptionSummary(
  recur: RecurClient,
  user: { recurCustomerId: string | null },
): Promise<SubscriptionSummary> {
  if (!user.recurCustomerId) return { state: 'none' };
  let subscription: Awaited<ReturnType<RecurClient['getSubscription']>>;
  try {
    subscription = await recur.getSubscription(user.recurCustomerId);
  } catch (error) {
    const failure = normalizeRecurError(error);
    if (failure.kind === 'customer_not_found') return { state: 'none' };
    throw failure;
  }
  if (!subscription) return { state: 'none' };
  const plan = findPlan(subscription.productSlug);
  return {
    state: 'subscribed',
    planSlug: subscription.productSlug,
    planName: plan?.name ?? { en: subscription.productName, 'zh-TW': subscription.productName },
    status: subscription.status,
    currentPeriodEnd: subscription.currentPeriodEnd,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
  };
}
