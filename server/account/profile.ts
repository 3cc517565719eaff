import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/create-db';
import { type Locale, users } from '../../db/schema';
import { recordActivity } from './activity';

/** A display name as people type it: trimmed, 1–80 characters, no control characters. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a display name.')
  .max(80, 'Display name is too long.')
  .regex(/^[^\p{Cc}]*$/u, 'Display name cannot contain control characters.');

export interface ProfileChange {
  displayName?: string | undefined;
  locale?: Locale | undefined;
}

export interface Profile {
  displayName: string;
  locale: Locale;
}

/**
 * Saves what changed in the profile and records `profile_updated` in the same transaction, so
 * the activity list never shows a change that did not happen (or misses one that did). Fields
 * equal to the current ones are left alone; nothing changed writes nothing.
 */
export async function updateProfile(
  db: Db,
  user: { id: string } & Profile,
  change: ProfileChange,
  request: { ip: string | null },
): Promise<Profile> {
  const changed: ProfileChange = {};
  if (change.displayName !== undefined && change.displayName !== user.displayName) {
    changed.displayName = change.displayName;
  }
  if (change.locale !== undefined && change.locale !== user.locale) changed.locale = change.locale;
  const fields = Object.keys(changed);
  if (fields.length === 0) return { displayName: user.displayName, locale: user.locale };

  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set(changed)
      .where(eq(users.id, user.id))
      .returning({ displayName: users.displayName, locale: users.locale });
    if (!row) throw new Error(`no user ${user.id} to update`);
    await recordActivity(tx, {
      userId: user.id,
      kind: 'profile_updated',
      // Which fields, and the language chosen; the name itself stays out of the log.
      detail: { fields: fields.join(','), ...(changed.locale ? { locale: changed.locale } : {}) },
      ip: request.ip,
    });
    return row;
  });
}
