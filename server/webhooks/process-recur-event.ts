import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db, Tx } from '../../db/create-db';
import { users, webhookEvents } from '../../db/schema';
import {
  checkoutCompletedData,
  customerCreatedData,
  type RecurEvent,
  subscriptionEventData,
} from './recur-event';

export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

/** The event cannot be applied yet; nothing is stored and Recur's retry brings it back. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

/** How long a subscription event may wait for its customer to be linked to an account. */
const UNLINKED_CUSTOMER_GRACE_MS = 60 * 60_000;

export type EventResult =
  | 'linked_customer'
  | 'already_linked'
  | 'customer_linked_elsewhere'
  | 'no_matching_user'
  | 'status_updated'
  | 'status_outdated'
  | 'ignored';

/**
 * Applies one verified event, exactly once per event id. The event row is written in the same
 * transaction as its effect, so a failure leaves neither and Recur's retry can try again, and a
 * second server instance handling the same delivery waits on the row and then skips it.
 */
export async function processRecurEvent(
  db: Db,
  event: RecurEvent,
  now: () => number = Date.now,
): Promise<{ duplicate: true } | { duplicate: false; result: EventResult }> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(webhookEvents)
      .values({ id: event.id, type: event.type, result: 'processing' })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (claimed.length === 0) return { duplicate: true as const };
    const result = await applyEvent(tx, event, now);
    await tx.update(webhookEvents).set({ result }).where(eq(webhookEvents.id, event.id));
    return { duplicate: false as const, result };
  });
}

// CUSTOMIZE: what your app does on each Recur event (grant features, send e-mail, …).
async function applyEvent(tx: Tx, event: RecurEvent, now: () => number): Promise<EventResult> {
  switch (event.type) {
    case 'checkout.completed': {
      const data = parse(checkoutCompletedData, event.data);
      return linkCustomer(tx, data.customerId, data.metadata?.userId);
    }
    case 'customer.created': {
      const data = parse(customerCreatedData, event.data);
      return linkCustomer(tx, data.id, data.metadata?.userId);
    }
    default:
      if (event.type.startsWith('subscription.')) {
        const data = parse(subscriptionEventData, event.data);
        const result = await recordSubscriptionStatus(
          tx,
          data.customerId,
          data.status,
          new Date(event.timestamp),
        );
        // Recur may send subscription.activated before checkout.completed has linked the
        // customer: refuse it for a while so that its retry finds the account.
        if (result === 'no_matching_user' && now() - event.timestamp < UNLINKED_CUSTOMER_GRACE_MS) {
          throw new RetryLaterError(`no account holds ${data.customerId} yet`);
        }
        return result;
      }
      return 'ignored';
  }
}

function parse<T>(
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
  data: unknown,
): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new MalformedEventError('event data does not have the expected shape');
  return parsed.data;
}

/**
 * Stores the Recur customer id on the user who paid, named by the user id the app put in the
 * checkout's metadata. Never by email: sign-up does not verify addresses, so matching by email
 * would hand someone else's Recur customer (and its portal) to whoever registered their address.
 */
async function linkCustomer(
  tx: Tx,
  customerId: string,
  userId: string | undefined,
): Promise<EventResult> {
  const [user] = userId ? await tx.select().from(users).where(eq(users.id, userId)).limit(1) : [];
  if (!user) return 'no_matching_user';
  if (user.recurCustomerId === customerId) return 'already_linked';

  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.recurCustomerId, customerId))
    .limit(1);
  if (holder) return 'customer_linked_elsewhere';

  await tx.update(users).set({ recurCustomerId: customerId }).where(eq(users.id, user.id));
  return 'linked_customer';
}

/** Keeps the newest status only: events can arrive out of order. */
async function recordSubscriptionStatus(
  tx: Tx,
  customerId: string,
  status: string,
  at: Date,
): Promise<EventResult> {
  const updated = await tx
    .update(users)
    .set({ subscriptionStatus: status, subscriptionStatusAt: at })
    .where(
      and(
        eq(users.recurCustomerId, customerId),
        or(isNull(users.subscriptionStatusAt), lt(users.subscriptionStatusAt, at)),
      ),
    )
    .returning({ id: users.id });
  if (updated.length > 0) return 'status_updated';
  const [owner] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.recurCustomerId, customerId))
    .limit(1);
  return owner ? 'status_outdated' : 'no_matching_user';
}
