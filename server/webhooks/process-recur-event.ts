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
): Promise<{ duplicate: true } | { duplicate: false; result: EventResult }> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(webhookEvents)
      .values({ id: event.id, type: event.type, result: 'processing' })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (claimed.length === 0) return { duplicate: true as const };
    const result = await applyEvent(tx, event);
    await tx.update(webhookEvents).set({ result }).where(eq(webhookEvents.id, event.id));
    return { duplicate: false as const, result };
  });
}

// CUSTOMIZE: what your app does on each Recur event (grant features, send e-mail, …).
async function applyEvent(tx: Tx, event: RecurEvent): Promise<EventResult> {
  switch (event.type) {
    case 'checkout.completed': {
      const data = parse(checkoutCompletedData, event.data);
      return linkCustomer(tx, {
        customerId: data.customerId,
        userId: data.metadata?.userId,
        email: data.customerEmail,
      });
    }
    case 'customer.created': {
      const data = parse(customerCreatedData, event.data);
      return linkCustomer(tx, {
        customerId: data.id,
        userId: data.metadata?.userId,
        email: data.email,
      });
    }
    default:
      if (event.type.startsWith('subscription.')) {
        const data = parse(subscriptionEventData, event.data);
        return recordSubscriptionStatus(
          tx,
          data.customerId,
          data.status,
          new Date(event.timestamp),
        );
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

/** Stores the Recur customer id on the user who paid: by the user id we sent as metadata, else by email. */
async function linkCustomer(
  tx: Tx,
  target: { customerId: string; userId: string | undefined; email: string | null | undefined },
): Promise<EventResult> {
  const [byId] = target.userId
    ? await tx.select().from(users).where(eq(users.id, target.userId)).limit(1)
    : [];
  const [byEmail] =
    !byId && target.email
      ? await tx
          .select()
          .from(users)
          .where(eq(users.email, target.email.trim().toLowerCase()))
          .limit(1)
      : [];
  const user = byId ?? byEmail;
  if (!user) return 'no_matching_user';
  if (user.recurCustomerId === target.customerId) return 'already_linked';

  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.recurCustomerId, target.customerId))
    .limit(1);
  if (holder) return 'customer_linked_elsewhere';

  await tx.update(users).set({ recurCustomerId: target.customerId }).where(eq(users.id, user.id));
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
