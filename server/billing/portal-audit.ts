import type { Db } from '../../db/create-db';
import { accountActivity, type PortalSessionOutcome, portalSessionAudit } from '../../db/schema';
import { createBatcher } from '../batching';

export interface PortalAuditEntry {
  userId: string;
  recurCustomerId: string | null;
  portalSessionId: string | null;
  outcome: PortalSessionOutcome;
  /** Where the attempt came from, for the account's activity list. */
  ip?: string | null;
}

/** The "who opened billing, when" trail: one row per portal-session attempt. */
export interface PortalAudit {
  /** Resolves once the row is written. */
  record(entry: PortalAuditEntry): Promise<void>;
}

/**
 * Audit rows go through the group-commit path. An opened portal is also the account's
 * `portal_opened` activity, written in the same transaction as its audit row.
 */
export function createPortalAudit(db: Db): PortalAudit {
  return {
    record: createBatcher(async (entries: PortalAuditEntry[]) => {
      const opened = entries.filter((entry) => entry.outcome === 'created');
      await db.transaction(async (tx) => {
        await tx.insert(portalSessionAudit).values(entries.map(({ ip: _ip, ...row }) => row));
        if (opened.length > 0) {
          await tx.insert(accountActivity).values(
            opened.map((entry) => ({
              userId: entry.userId,
              kind: 'portal_opened',
              ip: entry.ip ?? null,
            })),
          );
        }
      });
      return entries.map(() => undefined);
    }),
  };
}
