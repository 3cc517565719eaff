import type { OpenCheckouts } from './open-checkouts';
import { type PlanSlug, productRefFor } from './plan-catalogue';
import type { RecurClient } from './recur-client';
import { holdsSubscription, listUserSubscriptions } from './subscription';

/** Recur attaches a checkout to an existing customer with the same email: prove the address first. */
export class EmailNotVerifiedError extends Error {
  override name = 'EmailNotVerifiedError';
  constructor() {
    super('The email address is not verified');
  }
}

/**
 * Recur already has a customer with this email that belongs to someone else (its external id is
 * not this user's). Recur would attach the payment to that customer, out of this user's reach.
 */
export class EmailHeldByAnotherCustomerError extends Error {
  override name = 'EmailHeldByAnotherCustomerError';
  constructor() {
    super('Another Recur customer has this email address');
  }
}

/** Another request of the same user is opening a checkout right now. */
export class CheckoutInProgressError extends Error {
  override name = 'CheckoutInProgressError';
  constructor() {
    super('A checkout is being opened for this user');
  }
}

/** The user has a subscription already; plan changes go through the portal. */
export class AlreadySubscribedError extends Error {
  override name = 'AlreadySubscribedError';
  constructor() {
    super('The user already has a subscription');
  }
}

export interface CheckoutDeps {
  recur: RecurClient;
  openCheckouts: OpenCheckouts;
  /** Adds `checkout_started` to the user's activity. */
  recordStarted: (plan: PlanSlug) => Promise<void>;
  appUrl: string;
  productIds: Partial<Record<PlanSlug, string>>;
  now?: () => number;
}

export interface CheckoutUser {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  recurCustomerId: string | null;
}

/**
 * Starts a hosted Recur checkout for the signed-in user. `externalCustomerId` carries our user
 * id, Recur's documented link between its customer and this account: the webhook and later
 * look-ups find the account by it, never by email.
 */
export async function createCheckoutSession(
  deps: CheckoutDeps,
  user: CheckoutUser,
  plan: PlanSlug,
): Promise<{ url: string }> {
  if (!user.emailVerified) throw new EmailNotVerifiedError();
  // CUSTOMIZE: allow several subscriptions per account by removing this check.
  const subscriptions = await listUserSubscriptions(deps.recur, user);
  if (holdsSubscription(subscriptions, (deps.now ?? Date.now)())) {
    throw new AlreadySubscribedError();
  }
  const holder = await deps.recur.findCustomerByEmail(user.email);
  if (holder?.externalId && holder.externalId !== user.id) {
    throw new EmailHeldByAnotherCustomerError();
  }
  // Every open checkout can be paid: offer the open one again, and open one at a time.
  const reusable = await deps.openCheckouts.reusable(user.id, plan);
  if (reusable) return { url: reusable };
  if (!(await deps.openCheckouts.claim(user.id))) throw new CheckoutInProgressError();
  // An opening that finished between the look above and the claim has recorded its checkout.
  const justOpened = await deps.openCheckouts.reusable(user.id, plan);
  if (justOpened) {
    await deps.openCheckouts.release(user.id);
    return { url: justOpened };
  }
  let session: { url: string };
  try {
    session = await deps.recur.createCheckoutSession({
      product: productRefFor(plan, deps.productIds),
      customerEmail: user.email,
      customerName: user.displayName,
      externalCustomerId: user.id,
      // CUSTOMIZE: where people land after paying or giving up.
      successUrl: `${deps.appUrl}/account?checkout=success`,
      cancelUrl: `${deps.appUrl}/pricing?checkout=canceled`,
      metadata: { userId: user.id },
    });
  } catch (error) {
    await deps.openCheckouts.release(user.id);
    throw error;
  }
  await Promise.all([
    deps.openCheckouts.opened(user.id, plan, session.url),
    deps.recordStarted(plan),
  ]);
  return session;
}
