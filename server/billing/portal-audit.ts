import type { Db } from '../../db/create-db';
import { type PortalSessionOutcome, portalSessionAudit } from '../../db/schema';
import { createBatcher } from '../batching';

export interface PortalAuditEntry {
  userId: string;
  recurCustomerId: string | null;
  portalSessionId: string | null;
  outcome: PortalSessionOutcome;
}

/** The "who opened billing, when" trail: one row per portal-session attempt. */
export interface PortalAudit {
  /** Resolves once the row is written. */
  record(entry: PortalAuditEntry): Promise<void>;
}

export function createPortalAudit(db: Db): PortalAudit {
  return {
    record: createBatcher(async (entries: PortalAuditEntry[]) => {
      await db.insert(portalSessionAudit).values(entries);
      return entries.map(() => undefined);
    }),
  };
}
