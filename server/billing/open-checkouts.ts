import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { rateLimits, recurCheckouts } from '../../db/schema';

/** How long a started checkout is offered again instead of opening another for the same plan. */
const REUSE_MS = 30 * 60_000;
/** How long one opening may hold the claim; a crashed one frees it by expiring. */
const CLAIM_MS = 30_000;

/**
 * The hosted checkouts this app opened and that may still be paid. Every open checkout can be
 * paid, so the app opens as few as it can: one at a time per user, and an open one for the same
 * plan is offered again rather than a second.
 */
export interface OpenCheckouts {
  /** The URL of this user's recent checkout for `plan`, if one is still offered. */
  reusable(userId: string, plan: string): Promise<string | null>;
  /** Claims the right to open a checkout for the user; false while another opening holds it. */
  claim(userId: string): Promise<boolean>;
  /** Records a checkout opened under the claim, and frees the claim. */
  opened(userId: string, plan: string, url: string): Promise<void>;
  /** Frees the claim after an opening that failed. */
  release(userId: string): Promise<void>;
}

export function createOpenCheckouts(db: Db, now: () => number = Date.now): OpenCheckouts {
  const claimKey = (userId: string) => `checkout-claim:${userId}`;
  return {
    async reusable(userId, plan) {
      const [row] = await db
        .select({ url: recurCheckouts.url })
        .from(recurCheckouts)
        .where(
          and(
            eq(recurCheckouts.userId, userId),
            eq(recurCheckouts.plan, plan),
            gt(recurCheckouts.reusableUntil, new Date(now())),
          ),
        )
        .orderBy(desc(recurCheckouts.id))
        .limit(1);
      return row?.url ?? null;
    },

    async claim(userId) {
      // One statement: of two openings at once exactly one inserts (or takes over an expired
      // claim); the other finds the row held and gets nothing back.
      const at = new Date(now());
      const claimed = await db
        .insert(rateLimits)
        .values({ key: claimKey(userId), hits: 1, expiresAt: new Date(at.getTime() + CLAIM_MS) })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: { hits: 1, expiresAt: sql`excluded.expires_at` },
          setWhere: lt(rateLimits.expiresAt, at),
        })
        .returning({ key: rateLimits.key });
      return claimed.length > 0;
    },

    async opened(userId, plan, url) {
      await db.transaction(async (tx) => {
        await tx
          .insert(recurCheckouts)
          .values({ userId, plan, url, reusableUntil: new Date(now() + REUSE_MS) });
        await tx.delete(rateLimits).where(eq(rateLimits.key, claimKey(userId)));
      });
    },

    async release(userId) {
      await db.delete(rateLimits).where(eq(rateLimits.key, claimKey(userId)));
    },
  };
}
