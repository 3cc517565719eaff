// Email verification links: a random token in the mail, only its SHA-256 in the database. A link
// works once, for 24 hours, and only while it is the newest one sent to that user.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, lt, ne } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { emailVerificationTokens, users } from '../../db/schema';
import { recordActivity } from '../account/activity';

export const VERIFICATION_TOKEN_HOURS = 24;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url (43 characters): for mail links and browser cookies. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares a secret with a stored SHA-256 in constant time. */
export function matchesHash(secret: string, hash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Creates a verification token for the user's address and revokes the user's earlier ones.
 * `browserSecret`: the secret in the signing-up browser's cookie, which lets the link sign that
 * browser in (server/auth/sign-up.ts).
 */
export async function issueVerificationToken(
  db: Db,
  options: { userId: string; email: string; now: Date; browserSecret?: string },
): Promise<string> {
  const token = newSecret();
  await db.transaction(async (tx) => {
    await tx
      .update(emailVerificationTokens)
      .set({ revokedAt: options.now })
      .where(unspentTokensOf(options.userId));
    await tx.insert(emailVerificationTokens).values({
      tokenHash: sha256(token),
      userId: options.userId,
      email: options.email,
      browserSecretHash: options.browserSecret ? sha256(options.browserSecret) : null,
      expiresAt: new Date(options.now.getTime() + VERIFICATION_TOKEN_HOURS * 3_600_000),
      createdAt: options.now,
    });
  });
  return token;
}

export type VerificationResult =
  | { outcome: 'verified'; userId: string; browserSecretHash: string | null }
  /** `invalid`: unknown, malformed, replaced by a newer link, or for an address the user left. */
  | { outcome: 'expired' | 'used' | 'invalid' };

/**
 * Spends the token and marks its address verified; a second use of it answers `used`.
 * `device`: who opened the link, for the account's activity list.
 */
export async function verifyEmailWithToken(
  db: Db,
  token: string,
  now: Date,
  device: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): Promise<VerificationResult> {
  if (!TOKEN_PATTERN.test(token)) return { outcome: 'invalid' };
  const tokenHash = sha256(token);
  return db.transaction(async (tx): Promise<VerificationResult> => {
    // One conditional update: of two uses at once, exactly one finds the token unspent.
    const [spent] = await tx
      .update(emailVerificationTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailVerificationTokens.tokenHash, tokenHash),
          isNull(emailVerificationTokens.usedAt),
          isNull(emailVerificationTokens.revokedAt),
          gt(emailVerificationTokens.expiresAt, now),
        ),
      )
      .returning();
    if (!spent) {
      const [row] = await tx
        .select()
        .from(emailVerificationTokens)
        .where(eq(emailVerificationTokens.tokenHash, tokenHash));
      if (!row || row.revokedAt) return { outcome: 'invalid' };
      return { outcome: row.usedAt ? 'used' : 'expired' };
    }
    const [user] = await tx
      .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, spent.userId));
    if (!user || user.email !== spent.email) return { outcome: 'invalid' };
    if (!user.verifiedAt) {
      await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, spent.userId));
      await recordActivity(tx, { userId: spent.userId, kind: 'email_verified', ...device });
    }
    // The address is proved: the user's other links are of no further use.
    await tx
      .update(emailVerificationTokens)
      .set({ revokedAt: now })
      .where(and(unspentTokensOf(spent.userId), ne(emailVerificationTokens.tokenHash, tokenHash)));
    return {
      outcome: 'verified',
      userId: spent.userId,
      browserSecretHash: spent.browserSecretHash,
    };
  });
}

/** Deletes tokens that expired more than a week ago (kept until then to answer `expired`). */
export async function deleteStaleVerificationTokens(db: Db, now: Date): Promise<void> {
  await db
    .delete(emailVerificationTokens)
    .where(lt(emailVerificationTokens.expiresAt, new Date(now.getTime() - 7 * 86_400_000)));
}

function unspentTokensOf(userId: string) {
  return and(
    eq(emailVerificationTokens.userId, userId),
    isNull(emailVerificationTokens.usedAt),
    isNull(emailVerificationTokens.revokedAt),
  );
}
