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
import { rateRules } from '../rate-limit/rules';
import { createPortalAttempts, type PortalAttempt } from './portal-attempt';

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
  /**
   * Validates the request's sessions, counts the hit on the user's `billing-session` limit and
   * records the attempt: one statement (portal-attempt.ts).
   */
  begin(sessionIds: string[]): Promise<PortalAttempt>;
  /**
   * Completes an attempt with its outcome, after the answer has gone: the caller does not wait,
   * and a failure is logged, never thrown.
   */
  complete(entry: PortalAuditCompletion): void;
  /**
   * Resolves once every attempt admitted so far has its outcome written (or failed to), so that
   * a graceful shutdown leaves no row `requested` (server/app.ts waits for it, with a bound).
   */
  settled(): Promise<void>;
  /** Attempts admitted whose outcome is not written yet. */
  unsettled(): number;
}

/**
 * Completions go through the group-commit path: those that arrive together are one statement.
 * An opened portal is also the account's `portal_opened` activity, in the same statement.
 */
export function createPortalAudit(
  db: Db,
  options: { log: (line: string) => void; scale: number; now?: () => number },
): PortalAudit {
  const { log } = options;
  const beginAttempts = createPortalAttempts(db, {
    rule: rateRules.billingSession,
    scale: options.scale,
    now: options.now ?? Date.now,
  });
  const pending = new Set<Promise<void>>();
  const write = createBatcher(async (entries: PortalAuditCompletion[]) => {
    const values = sql.join(
      entries.map(
        (entry) =>
          sql`(${entry.auditId}::bigint, ${entry.outcome}::text, ${entry.portalSessionId}::text, ${entry.recurCustomerId}::text, ${entry.ip}::text)`,
      ),
      sql`, `,
    );
    // One statement, so one round trip and atomic without a transaction. The activity row goes
    // through the users table: an account deleted since the attempt gets none.
    await db.execute(sql`
      WITH done AS (
        UPDATE ${portalSessionAudit} SET outcome = given.outcome,
          portal_session_id = given.portal_session_id, recur_customer_id = given.recur_customer_id
        FROM (VALUES ${values}) AS given (id, outcome, portal_session_id, recur_customer_id, ip)
        WHERE ${portalSessionAudit.id} = given.id
        RETURNING ${portalSessionAudit.userId} AS user_id, given.outcome, given.ip
      )
      INSERT INTO ${accountActivity} (user_id, kind, ip)
      SELECT done.user_id, 'portal_opened', done.ip
      FROM done JOIN ${users} ON ${users.id} = done.user_id
      WHERE done.outcome = 'created'`);
    return entries.map(() => undefined);
  });

  // Admitted attempts whose outcome has not been handed over yet: a request keeps running after
  // its client hangs up, and shutdown waits for it.
  const open = new Map<number, () => void>();
  const opened = new Set<Promise<void>>();

  return {
    async begin(sessionIds) {
      const attempt = await beginAttempts(sessionIds);
      if (attempt.admission?.allowed) {
        const { auditId } = attempt.admission;
        const handedOver = new Promise<void>((resolve) => open.set(auditId, resolve));
        const tracked = handedOver.finally(() => opened.delete(tracked));
        opened.add(tracked);
      }
      return attempt;
    },
    complete(entry) {
      open.get(entry.auditId)?.();
      open.delete(entry.auditId);
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
      while (opened.size > 0 || pending.size > 0) {
        await Promise.allSettled([...opened, ...pending]);
      }
    },
    unsettled: () => open.size + pending.size,
  };
}
