// Deleting an account: the password proves it is the owner, a subscription that still gives access
// must end first (in Recur's portal), then every row of the account goes in one transaction.
// The billing trail (portal audit, link conflicts) stays, no longer naming the user.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import {
  accountActivity,
  accountTokens,
  emailVerificationTokens,
  portalSessionAudit,
  recurCheckouts,
  recurLinkConflicts,
  sessions,
  users,
} from '../../db/schema';
import { verifyPassword } from '../auth/password';
import type { RecurClient } from '../billing/recur-client';
import { holdsSubscription, listUserSubscriptions } from '../billing/subscription';
import { deletionMail } from '../mail/deletion-mail';
import type { Mailer } from '../mail/mailer';

export class WrongPasswordError extends Error {
  override name = 'WrongPasswordError';
  constructor() {
    super('The password is not correct');
  }
}

/** A subscription still gives access: deleting now would leave it billing nobody's account. */
export class SubscriptionActiveError extends Error {
  override name = 'SubscriptionActiveError';
  constructor() {
    super('The account has a subscription that still gives access');
  }
}

export interface AccountDeletionDeps {
  db: Db;
  recur: RecurClient;
  mailer: Mailer;
  now: () => number;
}

/**
 * Deletes the user's account. Throws WrongPasswordError, SubscriptionActiveError, or Recur's
 * failure (a RecurError) when it cannot tell whether a subscription is live; in each case nothing
 * is deleted. The confirmation mail goes out after the commit, in the background.
 */
export async function deleteAccount(
  deps: AccountDeletionDeps,
  userId: string,
  password: string,
): Promise<void> {
  const [user] = await deps.db
    .select({
      id: users.id,
      email: users.email,
      locale: users.locale,
      passwordHash: users.passwordHash,
      recurCustomerId: users.recurCustomerId,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    throw new WrongPasswordError();
  }
  const subscriptions = await listUserSubscriptions(deps.recur, user);
  if (holdsSubscription(subscriptions, deps.now())) throw new SubscriptionActiveError();

  await deps.db.transaction(async (tx) => {
    await tx
      .update(portalSessionAudit)
      .set({ userId: null })
      .where(eq(portalSessionAudit.userId, userId));
    await tx
      .update(recurLinkConflicts)
      .set({ userId: null })
      .where(eq(recurLinkConflicts.userId, userId));
    // The foreign keys would cascade these; naming them keeps the list of what an account holds
    // where a reader looks for it.
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId));
    await tx.delete(accountTokens).where(eq(accountTokens.userId, userId));
    await tx.delete(accountActivity).where(eq(accountActivity.userId, userId));
    await tx.delete(recurCheckouts).where(eq(recurCheckouts.userId, userId));
    await tx.delete(users).where(eq(users.id, userId));
  });
  deps.mailer.sendInBackground(
    deletionMail({ to: user.email, locale: user.locale }),
    'account deletion',
  );
}
