import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/create-db';
import { recurLinkConflicts, users } from '../../db/schema';

export type LinkResult =
  | 'linked_customer'
  | 'already_linked'
  /** The user holds a different customer: kept, the new one refused and recorded. */
  | 'user_holds_another_customer'
  /** Another user holds this customer: refused and recorded. */
  | 'customer_held_by_another_user'
  | 'no_matching_user';

/**
 * Stores a Recur customer id on a user, the one way customers get linked. The caller names the
 * user from something only our app could have put there (the external id it sent at checkout,
 * or the user id a look-up was made for), never from an email address. A link is never
 * replaced and a customer never moves between users: either would let one account reach
 * another's subscription. Refusals are recorded in recur_link_conflicts for support.
 */
export async function linkRecurCustomer(
  tx: Tx,
  link: { userId: string; customerId: string; source: string },
): Promise<LinkResult> {
  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.recurCustomerId, link.customerId))
    .limit(1);
  if (holder?.id === link.userId) return 'already_linked';
  if (holder) {
    await recordConflict(tx, link, null);
    return 'customer_held_by_another_user';
  }

  const linked = await tx
    .update(users)
    .set({ recurCustomerId: link.customerId })
    .where(and(eq(users.id, link.userId), isNull(users.recurCustomerId)))
    .returning({ id: users.id });
  if (linked.length > 0) return 'linked_customer';

  const [user] = await tx
    .select({ customerId: users.recurCustomerId })
    .from(users)
    .where(eq(users.id, link.userId))
    .limit(1);
  if (!user) return 'no_matching_user';
  if (user.customerId === link.customerId) return 'already_linked';
  await recordConflict(tx, link, user.customerId);
  return 'user_holds_another_customer';
}

async function recordConflict(
  tx: Tx,
  link: { userId: string; customerId: string; source: string },
  keptCustomerId: string | null,
): Promise<void> {
  await tx.insert(recurLinkConflicts).values({
    userId: link.userId,
    keptCustomerId,
    refusedCustomerId: link.customerId,
    source: link.source,
  });
}
