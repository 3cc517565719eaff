// Helpers of the password and address change tests: the links in their mails, the activity and
// the tokens they leave in the database.
import { and, asc, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { accountActivity, accountTokens, users } from '../../db/schema';
import type { CaughtMail } from '../../server/mail/mail-catcher';

/** The link to `path` in a mail's plain text, and its token. */
export function mailLinkIn(mail: CaughtMail, path: string): { link: string; token: string } {
  const pattern = new RegExp(`(https?://\\S+${path}\\?token=([A-Za-z0-9_-]+))`);
  const match = pattern.exec(mail.text);
  if (!match?.[1] || !match[2]) throw new Error(`no ${path} link in "${mail.subject}"`);
  return { link: match[1], token: match[2] };
}

/**
 * The user's activity, oldest first, as kind and detail with where it came from; signing in and
 * out, which every test does to get there, left out.
 */
export async function activityOf(db: Db, userId: string) {
  return db
    .select({
      kind: accountActivity.kind,
      detail: accountActivity.detail,
      ip: accountActivity.ip,
      userAgent: accountActivity.userAgent,
    })
    .from(accountActivity)
    .where(
      and(
        eq(accountActivity.userId, userId),
        notInArray(accountActivity.kind, ['sign_in', 'sign_out']),
      ),
    )
    .orderBy(asc(accountActivity.id));
}

export async function activityKindsOf(db: Db, userId: string): Promise<string[]> {
  return (await activityOf(db, userId)).map((row) => row.kind);
}

export async function tokensOf(db: Db, userId: string) {
  return db.select().from(accountTokens).where(eq(accountTokens.userId, userId));
}

export async function userRow(db: Db, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) throw new Error(`no user ${userId}`);
  return row;
}
