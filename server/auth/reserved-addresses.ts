import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/create-db';
import { accountTokens, type Locale, users } from '../../db/schema';

/**
 * The account an address is kept for while its "this was not me" link is unspent: the address an
 * account was just moved away from. Nobody else may take it in the meantime (by sign-up or by an
 * address change), or the report could not give it back and the real owner's password reset
 * would reach the taker's account.
 */
export async function reservedFor(
  db: Db | Tx,
  email: string,
  now: Date,
  options: { except?: string } = {},
): Promise<{ id: string; locale: Locale } | null> {
  const [row] = await db
    .select({ id: users.id, locale: users.locale })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(
      and(
        eq(accountTokens.purpose, 'email_change_report'),
        eq(accountTokens.newEmail, email),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
        ...(options.except ? [ne(accountTokens.userId, options.except)] : []),
      ),
    )
    .limit(1);
  return row ?? null;
}
