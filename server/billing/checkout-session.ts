import type { Locale } from '../../db/schema';
import type { PlanSlug } from './plan-catalogue';
import type { RecurClient } from './recur-client';

/**
 * Starts a hosted Recur checkout for the signed-in user. The user id travels as metadata so
 * the `checkout.completed` webhook can link the new Recur customer to this account.
 */
export function createCheckoutSession(
  deps: { recur: RecurClient; appUrl: string },
  user: { id: string; email: string },
  plan: PlanSlug,
  locale: Locale,
): Promise<{ url: string }> {
  return deps.recur.createCheckoutSession({
    productSlug: plan,
    customerEmail: user.email,
    // CUSTOMIZE: where people land after paying or giving up.
    successUrl: `${deps.appUrl}/account?checkout=success`,
    cancelUrl: `${deps.appUrl}/pricing?checkout=canceled`,
    metadata: { userId: user.id },
    locale,
  });
}
