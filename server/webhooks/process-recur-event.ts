import { eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/create-db';
import { users, webhookEvents } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { type LinkResult, linkRecurCustomer } from '../billing/customer-link';
import type { SubscriptionStatus } from '../billing/subscription-status';
import { normalizeRecurEvent } from './normalize-event';
import { eventTime, type RecurEvent } from './recur-event';

/** The event cannot be applied yet; nothing is stored and Recur's retry brings it back. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

/** How long a subscription event may wait for its customer to be linked to an account. */
const UNLINKED_CUSTOMER_GRACE_MS = 15 * 60_000;

export type EventResult =
  | LinkResult
  | 'no_external_id'
  | 'status_updated'
  | 'status_outdated'
  | 'no_status_change'
  | 'unusable_data'
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
): Promise<{ duplicate: true } | { duplicate: false; result: EventResult; detail?: string }> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(webhookEvents)
      .values({ id: event.id, type: event.type, result: 'processing' })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (claimed.length === 0) return { duplicate: true as const };
    const { result, detail } = await applyEvent(tx, event, now);
    await tx.update(webhookEvents).set({ result }).where(eq(webhookEvents.id, event.id));
    return { duplicate: false as const, result, ...(detail ? { detail } : {}) };
  });
}

/** Stores a signed event that cannot be read at all; false when its id was seen before. */
export async function recordUnusableEvent(db: Db, id: string, type: string): Promise<boolean> {
  const stored = await db
    .insert(webhookEvents)
    .values({ id, type, result: 'unusable_data' })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  return stored.length > 0;
}

// CUSTOMIZE: what your app does on each Recur event (grant features, send e-mail, …).
async function applyEvent(
  tx: Tx,
  event: RecurEvent,
  now: () => number,
): Promise<{ result: EventResult; detail?: string }> {
  const normalized = normalizeRecurEvent(event);
  switch (normalized.kind) {
    case 'ignored':
      return { result: 'ignored' };
    case 'unusable':
      return { result: 'unusable_data', detail: normalized.reason };
    case 'customer': {
      // The external id is the user id this app sent at checkout; our own metadata counts only
      // where Recur sent no external id at all.
      const userId = normalized.externalId ?? normalized.metadataUserId;
      if (!userId) return { result: 'no_external_id' };
      return {
        result: await linkRecurCustomer(tx, {
          userId,
          customerId: normalized.customerId,
          source: `webhook:${event.id}`,
        }),
      };
    }
    case 'subscription': {
      if (normalized.status === null) return { result: 'no_status_change' };
      const at = eventTime(event);
      const result = await recordSubscriptionStatus(
        tx,
        normalized.customerId,
        normalized.status,
        new Date(at),
      );
      // Recur may send subscription.activated before the customer is linked: refuse it for a
      // while so that its retry finds the account.
      if (result === 'no_matching_user' && now() - at < UNLINKED_CUSTOMER_GRACE_MS) {
        throw new RetryLaterError(`no account holds ${normalized.customerId} yet`);
      }
      return { result };
    }
  }
}

/**
 * Keeps the newest status only: events can arrive out of order. The holder is read and locked
 * before deciding, in one snapshot: read separately, a link committed in between made the
 * update miss the row and the look-up find it, and the event was wrongly stored as outdated.
 */
async function recordSubscriptionStatus(
  tx: Tx,
  customerId: string,
  status: SubscriptionStatus,
  at: Date,
): Promise<EventResult> {
  const holders = await tx
    .select({ id: users.id, statusAt: users.subscriptionStatusAt })
    .from(users)
    .where(eq(users.recurCustomerId, customerId))
    .for('update');
  if (holders.length === 0) return 'no_matching_user';
  const newer = holders.filter(({ statusAt }) => statusAt === null || statusAt < at);
  if (newer.length === 0) return 'status_outdated';
  await tx
    .update(users)
    .set({ subscriptionStatus: status, subscriptionStatusAt: at })
    .where(
      inArray(
        users.id,
        newer.map(({ id }) => id),
      ),
    );
  for (const { id } of newer) {
    await recordActivity(tx, { userId: id, kind: 'subscription_changed', detail: { status } });
  }
  return 'status_updated';
}
