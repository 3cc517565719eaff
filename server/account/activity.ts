import type { Db, Tx } from '../../db/create-db';
import { accountActivity } from '../../db/schema';
import { USER_AGENT_MAX_LENGTH } from '../auth/user-agent';

/** Everything the Activity section can say happened to an account. */
export const activityKinds = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'email_verified',
  'password_reset',
  'password_changed',
  'email_change_requested',
  'email_changed',
  'session_revoked',
  'other_sessions_revoked',
  'profile_updated',
  'portal_opened',
  'checkout_started',
  'subscription_changed',
  /** "This was not me" from the old address: every session ended, the old address restored. */
  'email_change_reported',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export interface ActivityEntry {
  userId: string;
  kind: ActivityKind;
  /** Small facts for the sentence shown (a plan, a status); never a secret or a token. */
  detail?: Record<string, string>;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Records one event on the account. Pass the transaction of the change it records, so the two
 * are written together or not at all.
 */
export async function recordActivity(db: Db | Tx, entry: ActivityEntry): Promise<void> {
  await db.insert(accountActivity).values({
    userId: entry.userId,
    kind: entry.kind,
    detail: entry.detail ?? {},
    ip: entry.ip ?? null,
    userAgent: entry.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
  });
}
