// Single-use links for account changes (password reset, a new address's confirmation, the "this
// was not me" link), in `account_tokens`: a random token in the mail, only its SHA-256 stored.
// Issuing a link deletes the user's unspent ones of the same purpose, so only the newest works
// (unless the caller keeps them: every "this was not me" link stays valid).
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/create-db';
import { type AccountTokenPurpose, accountTokens, users } from '../../db/schema';
import { newSecret, sha256 } from './email-verification';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type AccountToken = typeof accountTokens.$inferSelect;

/** `invalid`: unknown, malformed, replaced by a newer link, or of another purpose. */
export type TokenProblem = 'expired' | 'used' | 'invalid';

/**
 * Creates a link for the user and deletes their unspent ones of the same purpose. The row is
 * inserted through a select of the user's row, so for an id with no user the same statements run
 * and write nothing: "forgot password" costs the same for an unknown address.
 */
export async function issueAccountToken(
  tx: Db | Tx,
  options: {
    userId: string;
    purpose: AccountTokenPurpose;
    now: Date;
    validMs: number;
    newEmail?: string;
    /** Leaves the earlier links of this purpose working. */
    keepEarlier?: boolean;
  },
): Promise<string> {
  const token = newSecret();
  if (!options.keepEarlier) await revokeAccountTokens(tx, options.userId, [options.purpose]);
  const expiresAt = new Date(options.now.getTime() + options.validMs);
  await tx.insert(accountTokens).select((qb) =>
    qb
      .select({
        tokenHash: sql<string>`${sha256(token)}`.as('token_hash'),
        userId: users.id,
        purpose: sql<AccountTokenPurpose>`${options.purpose}`.as('purpose'),
        newEmail: sql<string | null>`${options.newEmail ?? null}::text`.as('new_email'),
        expiresAt: sql<Date>`${expiresAt.toISOString()}::timestamptz`.as('expires_at'),
        usedAt: sql<Date | null>`null::timestamptz`.as('used_at'),
        createdAt: sql<Date>`${options.now.toISOString()}::timestamptz`.as('created_at'),
      })
      .from(users)
      .where(eq(users.id, options.userId)),
  );
  return token;
}

/** Deletes the user's unspent links of these purposes: they stop working, as unknown ones. */
export async function revokeAccountTokens(
  tx: Db | Tx,
  userId: string,
  purposes: AccountTokenPurpose[],
): Promise<void> {
  await tx
    .delete(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, userId),
        inArray(accountTokens.purpose, purposes),
        isNull(accountTokens.usedAt),
      ),
    );
}

/** The link's row if it can still be used, else why not; spends nothing. */
export async function findUsableToken(
  db: Db | Tx,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<AccountToken | TokenProblem> {
  if (!TOKEN_PATTERN.test(token)) return 'invalid';
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256(token)), eq(accountTokens.purpose, purpose)));
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return row;
}

/**
 * Marks the link used, in the transaction of the change it allows. One conditional update: of two
 * uses at once, exactly one finds it unspent; the other learns why it cannot have it.
 */
export async function spendAccountToken(
  tx: Tx,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<AccountToken | TokenProblem> {
  if (!TOKEN_PATTERN.test(token)) return 'invalid';
  const [spent] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.tokenHash, sha256(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .returning();
  if (spent) return spent;
  const found = await findUsableToken(tx, token, purpose, now);
  return typeof found === 'string' ? found : 'used';
}

/** Deletes links that expired more than a week ago (kept until then to answer "expired"). */
export async function deleteStaleAccountTokens(db: Db, now: Date): Promise<void> {
  await db
    .delete(accountTokens)
    .where(lt(accountTokens.expiresAt, new Date(now.getTime() - 7 * 86_400_000)));
}
