import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { rowsOf } from '../../db/rows';
import { portalSessionAudit, rateLimits, sessions, users } from '../../db/schema';
import {
  type SessionRow,
  sessionColumns,
  sessionRowOf,
  sessionUpkeep,
  timestamp,
} from '../auth/session-statement';
import { createBatcher } from '../batching';
import { type RateRule, rateDecision, rateWindow } from '../rate-limit/rate-limiter';

/** Whether the attempt may go to Recur: then with its `requested` audit row. */
export type PortalAdmission =
  | { allowed: true; auditId: number }
  | { allowed: false; retryAfterSeconds: number };

export interface PortalAttempt {
  /** The live sessions among those presented, for `ctx.adoptSessions`. */
  sessions: SessionRow[];
  /** null when the request is from no one user (no live session, or two users' sessions). */
  admission: PortalAdmission | null;
}

export interface PortalAttemptOptions {
  /** The rate limit the attempts count against (the checkout shares its counter). */
  rule: RateRule;
  /** RATE_LIMIT_SCALE. */
  scale: number;
  now: () => number;
}

/**
 * Begins portal attempts, each with the session ids its request presented. Attempts that arrive
 * while a statement is in flight go together in the next one (group commit, server/batching.ts):
 * one user's burst counts its hits in one upsert instead of queueing on the counter's row lock.
 */
export function createPortalAttempts(
  db: Db,
  options: PortalAttemptOptions,
): (sessionIds: string[]) => Promise<PortalAttempt> {
  const begin = createBatcher((batch: string[][]) =>
    beginPortalAttempts(db, batch, options.now(), options),
  );
  return (sessionIds) =>
    sessionIds.length === 0
      ? Promise.resolve({ sessions: [], admission: null })
      : begin(sessionIds);
}

/**
 * Everything the billing portal needs before it calls Recur, for a batch of requests, in one
 * statement (one round trip):
 * - it validates each request's sessions (session-statement.ts, Lucia's rules);
 * - for each request from exactly one user, it counts a hit on that user's rate limit: the same
 *   counter row as RateLimiter.hit, so the limit holds across instances; each request learns its
 *   place in the window's count;
 * - it records each attempt within the limit in the audit trail as `requested`, and the first
 *   refusal of a window as `throttled`.
 * The outcome is completed later (portal-audit.ts): a crash in between loses the outcome, never
 * the record that an attempt was made (decision 27).
 */
export async function beginPortalAttempts(
  db: Db,
  requests: string[][],
  at: number,
  options: Pick<PortalAttemptOptions, 'rule' | 'scale'>,
): Promise<PortalAttempt[]> {
  const { rule, scale } = options;
  const { prefix, suffix, windowEnd } = rateWindow(rule, at);
  const limit = Math.floor(rule.limit * scale);
  const allIds = [...new Set(requests.flat())];
  const asked = sql.join(
    requests.flatMap((ids, req) => ids.map((id) => sql`(${req}::int, ${id}::text)`)),
    sql`, `,
  );
  const key = (userId: SQL) => sql`${prefix}::text || ${userId} || ${suffix}::text`;
  const result = await db.execute(sql`
    WITH asked (req, session_id) AS (VALUES ${asked}),
    ${sessionUpkeep(allIds, at)},
    live AS (
      SELECT asked.req, ${sessionColumns(at)}
      FROM asked JOIN ${sessions} ON ${sessions.id} = asked.session_id
        JOIN ${users} ON ${users.id} = ${sessions.userId}
      WHERE ${sessions.expiresAt} > ${timestamp(at)}
    ),
    who AS (
      SELECT req, min(user_id) AS user_id, min(recur_customer_id) AS customer_id
      FROM live GROUP BY req HAVING count(DISTINCT user_id) = 1
    ),
    counted AS (SELECT user_id, count(*)::int AS n FROM who GROUP BY user_id),
    hit AS (
      INSERT INTO ${rateLimits} (key, hits, expires_at)
      SELECT ${key(sql`user_id`)}, n, ${timestamp(windowEnd)}
      FROM counted ORDER BY 1
      ON CONFLICT (key) DO UPDATE SET hits = ${rateLimits}.hits + excluded.hits
      RETURNING key, hits
    ),
    placed AS (
      SELECT who.req, who.user_id, who.customer_id,
        hit.hits - counted.n + row_number() OVER (PARTITION BY who.user_id ORDER BY who.req)
          AS position
      FROM who JOIN counted ON counted.user_id = who.user_id
        JOIN hit ON hit.key = ${key(sql`who.user_id`)}
    ),
    attempt AS (
      INSERT INTO ${portalSessionAudit} (user_id, recur_customer_id, outcome)
      SELECT user_id, customer_id,
        CASE WHEN position <= ${limit} THEN 'requested' ELSE 'throttled' END
      FROM placed WHERE position <= ${limit + 1}
      RETURNING id, user_id, outcome
    ),
    -- One user's requested rows are alike: the n-th goes to the user's n-th admitted request.
    admitted AS (
      SELECT req, user_id, row_number() OVER (PARTITION BY user_id ORDER BY req) AS n
      FROM placed WHERE position <= ${limit}
    ),
    recorded AS (
      SELECT id, user_id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS n
      FROM attempt WHERE outcome = 'requested'
    )
    SELECT live.*, placed.position, recorded.id::text AS audit_id
    FROM live LEFT JOIN placed ON placed.req = live.req
      LEFT JOIN admitted ON admitted.req = live.req
      LEFT JOIN recorded ON recorded.user_id = admitted.user_id AND recorded.n = admitted.n`);

  const attempts: PortalAttempt[] = requests.map(() => ({ sessions: [], admission: null }));
  for (const row of rowsOf(result)) {
    const attempt = attempts[Number(row.req)];
    if (!attempt) continue;
    attempt.sessions.push(sessionRowOf(row));
    if (row.position === null || row.position === undefined || attempt.admission) continue;
    const decision = rateDecision(rule, scale, Number(row.position), at);
    attempt.admission = decision.allowed
      ? { allowed: true, auditId: Number(row.audit_id) }
      : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
  }
  return attempts;
}
