import { sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { rowsOf } from '../../db/rows';
import { portalSessionAudit, rateLimits, users } from '../../db/schema';
import {
  liveSessions,
  type SessionRow,
  sessionColumns,
  sessionRowOf,
  sessionUpkeep,
} from '../auth/session-statement';
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

/**
 * Everything the billing portal needs before it calls Recur, in one statement (one round trip):
 * it validates the request's sessions (session-statement.ts, Lucia's rules), counts the hit on
 * the user's rate limit (the same counter as RateLimiter.hit, so the limit holds across
 * instances), and records the attempt in the audit trail as `requested`, or the first refusal
 * of a throttled burst as `throttled`. The outcome is completed later (portal-audit.ts): a crash
 * in between loses the outcome, never the record that an attempt was made (decision 27).
 */
export async function beginPortalAttempt(
  db: Db,
  request: { sessionIds: string[]; at: number; rule: RateRule; scale: number },
): Promise<PortalAttempt> {
  const { sessionIds: ids, at, rule, scale } = request;
  if (ids.length === 0) return { sessions: [], admission: null };
  const { prefix, suffix, windowEnd } = rateWindow(rule, at);
  const limit = Math.floor(rule.limit * scale);
  const result = await db.execute(sql`
    WITH ${sessionUpkeep(ids, at)},
    who AS (SELECT DISTINCT ${users.id} AS user_id, ${users.recurCustomerId} AS customer_id
      ${liveSessions(ids, at)}),
    hit AS (
      INSERT INTO ${rateLimits} (key, hits, expires_at)
      SELECT ${prefix} || who.user_id || ${suffix}, 1, ${new Date(windowEnd).toISOString()}::timestamptz
      FROM who WHERE (SELECT count(*) FROM who) = 1
      ON CONFLICT (key) DO UPDATE SET hits = ${rateLimits}.hits + 1
      RETURNING hits
    ),
    attempt AS (
      INSERT INTO ${portalSessionAudit} (user_id, recur_customer_id, outcome)
      SELECT who.user_id, who.customer_id,
        CASE WHEN hit.hits <= ${limit} THEN 'requested' ELSE 'throttled' END
      FROM who CROSS JOIN hit WHERE hit.hits <= ${limit + 1}
      RETURNING id, outcome
    )
    SELECT ${sessionColumns(at)},
      (SELECT hits FROM hit) AS hits,
      (SELECT id::text FROM attempt WHERE outcome = 'requested') AS audit_id
    ${liveSessions(ids, at)}`);
  const rows = rowsOf(result);
  const sessions = rows.map(sessionRowOf);
  const first = rows[0];
  if (first?.hits === null || first?.hits === undefined) return { sessions, admission: null };
  const decision = rateDecision(rule, scale, Number(first.hits), at);
  return {
    sessions,
    admission: decision.allowed
      ? { allowed: true, auditId: Number(first.audit_id) }
      : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds },
  };
}
