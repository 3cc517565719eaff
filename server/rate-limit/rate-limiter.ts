import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { rateLimits } from '../../db/schema';
import { createBatcher } from '../batching';

export interface RateRule {
  /** Names the counter, e.g. `sign-in`. */
  name: string;
  /** Requests allowed per window (before RATE_LIMIT_SCALE). */
  limit: number;
  windowMs: number;
}

export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      retryAfterSeconds: number;
      /** The first refusal of this window: a burst can be recorded once, not per request. */
      firstRefusal: boolean;
    };

export interface RateLimiter {
  /** Counts one request by `subject` against the rule's current window. */
  hit(rule: RateRule, subject: string): Promise<RateDecision>;
  /** Seconds left in a back-off imposed by `strike`, or null when none is in force. */
  blockedFor(name: string, subject: string): Promise<number | null>;
  /** Imposes a back-off that doubles with each strike (from `baseMs` up to `maxMs`). */
  strike(name: string, subject: string, baseMs: number, maxMs: number): Promise<number>;
  /** Forgets the strikes of `subject` (e.g. after a successful sign-in). */
  forgive(name: string, subject: string): Promise<void>;
  /** Deletes counters that expired more than a day ago. */
  deleteExpired(): Promise<void>;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The counter that a hit at `at` goes to: its key for a subject (`prefix + subject + suffix`, so
 * that SQL can build it around a subject it reads), and when its window ends.
 */
export function rateWindow(rule: RateRule, at: number) {
  const window = Math.floor(at / rule.windowMs);
  const prefix = `${rule.name}:`;
  const suffix = `:${window}`;
  return {
    prefix,
    suffix,
    key: (subject: string) => `${prefix}${subject}${suffix}`,
    windowEnd: (window + 1) * rule.windowMs,
  };
}

/** The decision for the `hits`-th hit of a window (RATE_LIMIT_SCALE is `scale`). */
export function rateDecision(
  rule: RateRule,
  scale: number,
  hits: number,
  at: number,
): RateDecision {
  const limit = Math.floor(rule.limit * scale);
  if (hits <= limit) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: seconds(rateWindow(rule, at).windowEnd - at),
    firstRefusal: hits === limit + 1,
  };
}

/**
 * Fixed-window counters in Postgres, so a limit holds across every server instance on the
 * database. One atomic upsert per request: the window is part of the key, so a new window starts
 * a new row and nothing has to be reset.
 */
export function createRateLimiter(
  db: Db,
  options: { scale?: number; now?: () => number } = {},
): RateLimiter {
  const scale = options.scale ?? 1;
  const now = options.now ?? Date.now;

  // Hits that arrive together are counted in one upsert (see createBatcher); each caller learns
  // its own position in its key's count. Keys are sorted so that two instances writing the same
  // keys at once take the row locks in the same order and cannot deadlock.
  const countHit = createBatcher(async (hits: { key: string; expiresAt: Date }[]) => {
    const perKey = new Map<string, { hits: number; expiresAt: Date }>();
    for (const { key, expiresAt } of hits) {
      const entry = perKey.get(key);
      if (entry) entry.hits += 1;
      else perKey.set(key, { hits: 1, expiresAt });
    }
    const rows = await db
      .insert(rateLimits)
      .values([...perKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, ...v })))
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { hits: sql`${rateLimits.hits} + excluded.hits` },
      })
      .returning({ key: rateLimits.key, hits: rateLimits.hits });
    const totals = new Map(rows.map((row) => [row.key, row.hits]));
    const counted = new Map<string, number>();
    return hits.map(({ key }) => {
      const position = (counted.get(key) ?? 0) + 1;
      counted.set(key, position);
      return (totals.get(key) ?? 0) - (perKey.get(key)?.hits ?? 0) + position;
    });
  });

  return {
    async hit(rule, subject) {
      const at = now();
      const { key, windowEnd } = rateWindow(rule, at);
      const hits = await countHit({ key: key(subject), expiresAt: new Date(windowEnd) });
      return rateDecision(rule, scale, hits, at);
    },

    async blockedFor(name, subject) {
      const [row] = await db
        .select({ expiresAt: rateLimits.expiresAt })
        .from(rateLimits)
        .where(eq(rateLimits.key, `${name}:block:${subject}`));
      const left = row ? row.expiresAt.getTime() - now() : 0;
      return left > 0 ? seconds(left) : null;
    },

    async strike(name, subject, baseMs, maxMs) {
      // One statement: the strike count and the back-off it earns move together, so two
      // attempts at once count as two strikes with the right back-off, never a skipped step.
      const at = new Date(now());
      const [row] = await db
        .insert(rateLimits)
        .values({
          key: `${name}:block:${subject}`,
          hits: 1,
          expiresAt: new Date(at.getTime() + baseMs),
        })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            hits: sql`${rateLimits.hits} + 1`,
            expiresAt: sql`${at.toISOString()}::timestamptz + least(${baseMs}::float8 * power(2, ${rateLimits.hits}), ${maxMs}::float8) * interval '1 millisecond'`,
          },
        })
        .returning({ expiresAt: rateLimits.expiresAt });
      return seconds((row?.expiresAt.getTime() ?? at.getTime() + baseMs) - at.getTime());
    },

    async forgive(name, subject) {
      await db.delete(rateLimits).where(eq(rateLimits.key, `${name}:block:${subject}`));
    },

    async deleteExpired() {
      await db.delete(rateLimits).where(lt(rateLimits.expiresAt, new Date(now() - 86_400_000)));
    },
  };
}
