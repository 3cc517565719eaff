// Session validation as SQL fragments, so that one statement can validate a request's sessions
// and, for a procedure that needs it, do its first bookkeeping too (server/billing/portal-attempt.ts).
// The rules are Lucia's (decision 3): a session lasts 30 days, is renewed for another 30 once
// past half its life, and is deleted when found expired; `last_seen_at` is written at most once a
// minute. server/auth/lucia.ts creates the sessions and their cookies with the same lifetime.
import { type SQL, sql } from 'drizzle-orm';
import type { Locale } from '../../db/schema';
import { sessions, users } from '../../db/schema';

export const SESSION_LIFETIME_MS = 30 * 86_400_000;
/** A session whose expiry is this close is renewed (Lucia: past half its life). */
const RENEW_WITHIN_MS = SESSION_LIFETIME_MS / 2;
/** A session's `last_seen_at` is written at most once per this many milliseconds. */
export const LAST_SEEN_INTERVAL_MS = 60_000;

/** A live session as the statement finds it (before any renewal it makes). */
export interface SessionRow {
  sessionId: string;
  /** The statement renewed it: the browser gets a new cookie. */
  renewed: boolean;
  user: {
    id: string;
    email: string;
    displayName: string;
    locale: Locale;
    emailVerified: boolean;
    recurCustomerId: string | null;
  };
}

/** A time (ms since the epoch) as a `timestamptz` parameter. */
export const timestamp = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

/**
 * `expired AS (…), touched AS (…)`: CTEs that delete the expired sessions among `ids`, renew the
 * ones past half their life and touch `last_seen_at`. Every CTE of a statement sees the same
 * snapshot, so the main query still reads each session as it was before this statement.
 */
export function sessionUpkeep(ids: string[], at: number): SQL {
  const now = timestamp(at);
  const renewBefore = timestamp(at + RENEW_WITHIN_MS);
  const seenBefore = timestamp(at - LAST_SEEN_INTERVAL_MS);
  return sql`expired AS (
    DELETE FROM ${sessions} WHERE ${sessions.id} = ANY(${sql.param(ids)}::text[]) AND ${sessions.expiresAt} <= ${now}
    RETURNING ${sessions.id}
  ), touched AS (
    UPDATE ${sessions} SET
      expires_at = CASE WHEN ${sessions.expiresAt} <= ${renewBefore}
        THEN ${timestamp(at + SESSION_LIFETIME_MS)} ELSE ${sessions.expiresAt} END,
      last_seen_at = CASE WHEN ${sessions.lastSeenAt} < ${seenBefore}
        THEN ${now} ELSE ${sessions.lastSeenAt} END
    WHERE ${sessions.id} = ANY(${sql.param(ids)}::text[]) AND ${sessions.expiresAt} > ${now}
      AND (${sessions.expiresAt} <= ${renewBefore} OR ${sessions.lastSeenAt} < ${seenBefore})
    RETURNING ${sessions.id}
  )`;
}

/** The columns `sessionRowOf` reads, from `liveSessions`. */
export function sessionColumns(at: number): SQL {
  return sql`${sessions.id} AS session_id,
    ${sessions.expiresAt} <= ${timestamp(at + RENEW_WITHIN_MS)} AS renewed,
    ${users.id} AS user_id, ${users.email} AS email, ${users.displayName} AS display_name,
    ${users.locale} AS locale, ${users.emailVerifiedAt} IS NOT NULL AS email_verified,
    ${users.recurCustomerId} AS recur_customer_id`;
}

/** `FROM … WHERE …`: the sessions among `ids` that have not expired, with their users. */
export function liveSessions(ids: string[], at: number): SQL {
  return sql`FROM ${sessions} JOIN ${users} ON ${users.id} = ${sessions.userId}
    WHERE ${sessions.id} = ANY(${sql.param(ids)}::text[]) AND ${sessions.expiresAt} > ${timestamp(at)}`;
}

export function sessionRowOf(row: Record<string, unknown>): SessionRow {
  return {
    sessionId: row.session_id as string,
    renewed: row.renewed === true,
    user: {
      id: row.user_id as string,
      email: row.email as string,
      displayName: row.display_name as string,
      locale: row.locale as Locale,
      emailVerified: row.email_verified === true,
      recurCustomerId: (row.recur_customer_id as string | null) ?? null,
    },
  };
}
