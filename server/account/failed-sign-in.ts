import { sql } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { accountActivity, users } from '../../db/schema';
import { normalizeEmail } from '../auth/accounts';
import { USER_AGENT_MAX_LENGTH } from '../auth/user-agent';
import type { ActivityKind } from './activity';

/**
 * Records a refused sign-in on the account of that address, if there is one. The same statement
 * runs for an unknown address (and inserts nothing), so the answer and its timing stay the same
 * for both (server/auth/accounts.ts `verifyCredentials`).
 */
export async function recordFailedSignIn(
  db: Db,
  attempt: { email: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    // A commit that wrote a row would wait for the disk and one that wrote nothing would not:
    // neither waits. A crash of the database server may lose the last of these rows, nothing else.
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`
      insert into ${accountActivity} (user_id, kind, ip, user_agent)
      select ${users.id}, ${'sign_in_failed' satisfies ActivityKind}, ${attempt.ip}, ${attempt.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null}
      from ${users} where ${users.email} = ${normalizeEmail(attempt.email)}`);
  });
}
