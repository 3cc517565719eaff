import { sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import {
  accountActivity,
  type PortalSessionOutcome,
  portalSessionAudit,
  users,
} from '../../db/schema';
import { createBatcher } from '../batching';
import { describeCause } from '../log-safe-cause';
import { beginPortalAttempt, type PortalAttempt } from './portal-attempt';

export interface PortalAuditCompletion {
  /** The attempt's `requested` row (portal-attempt.ts). */
  auditId: number;
  userId: string;
  recurCustomerId: string | null;
  portalSessionId: string | null;
  outcome: Exclude<PortalSessionOutcome, 'requested' | 'throttled'>;
  /** Where the attempt came from, for the account's activity list. */
  ip: string | null;
}

/**
 * The "who opened billing, when" trail: one row per portal-session attempt, recorded as
 * `requested` before Recur is called (portal-attempt.ts) and completed here once it answered.
 */
export interface PortalAudit {
  /** Validates the sessions, counts the rate-limit hit, records the attempt: one statement. */
  begin(request: Parameters<typeof beginPortalAttempt>[1]): Promise<PortalAttempt>;
  /**
   * Completes an attempt with its outcome, after the answer has gone: the caller does not wait,
   * and a failure is logged, never thrown.
   */
  complete(entry: PortalAuditCompletion): void;
  /** Resolves once every completion handed over so far is written or has failed. */
  settled(): Promise<void>;
}

/**
 * Completions go through the group-commit path: those that arrive together are one transaction.
 * An opened portal is also the account's `portal_opened` activity, in the same transaction.
 */
export function createPortalAudit(db: Db, log: (line: string) => void): PortalAudit {
  const pending = new Set<Promise<void>>();
  const write = createBatcher(async (entries: PortalAuditCompletion[]) => {
    const opened = entries.filter((entry) => entry.outcome === 'created');
    const values = sql.join(
      entries.map(
        (entry) =>
          sql`(${entry.auditId}::bigint, ${entry.outcome}, ${entry.portalSessionId}::text, ${entry.recurCustomerId}::text)`,
      ),
      sql`, `,
    );
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        UPDATE ${portalSessionAudit} SET outcome = done.outcome,
          portal_session_id = done.portal_session_id, recur_customer_id = done.recur_customer_id
        FROM (VALUES ${values}) AS done (id, outcome, portal_session_id, recur_customer_id)
        WHERE ${portalSessionAudit.id} = done.id`);
      if (opened.length > 0) {
        // Through the users table: an account deleted since the attempt gets no activity row.
        const rows = sql.join(
          opened.map((entry) => sql`(${entry.userId}::text, ${entry.ip}::text)`),
          sql`, `,
        );
        await tx.execute(sql`
          INSERT INTO ${accountActivity} (user_id, kind, ip)
          SELECT opened.user_id, 'portal_opened', opened.ip
          FROM (VALUES ${rows}) AS opened (user_id, ip) JOIN ${users} ON ${users.id} = opened.user_id`);
      }
    });
    return entries.map(() => undefined);
  });

  return {
    begin: (request) => beginPortalAttempt(db, request),
    complete(entry) {
      // Queued behind the response being written, not ahead of it.
      const done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => write(entry))
        .catch((error: unknown) =>
          log(
            `billing: audit row ${entry.auditId} (user ${entry.userId}) stays "requested", ` +
              `its outcome ${entry.outcome} was not written: ${describeCause(error)}`,
          ),
        )
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
