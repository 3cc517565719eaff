import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { type Locale, users } from '../../db/schema';
import { isUniqueViolation } from '../database-errors';
import { hashPassword, verifyDecoyPassword, verifyPassword } from './password';
import { reservedFor } from './reserved-addresses';

export type AccountErrorCode = 'invalid_credentials';

export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SignUpInput {
  email: string;
  password: string;
  displayName?: string | undefined;
  locale?: Locale | undefined;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type Registration =
  | { created: true; id: string; email: string; locale: Locale }
  /** The address belongs to an account already; nothing was written. */
  | { created: false; existing: { id: string; email: string; locale: Locale } };

/**
 * Creates an account unless the address is taken. The password is hashed either way, so the
 * time taken does not tell a registered address from a new one (server/auth/sign-up.ts).
 */
export async function registerAccount(db: Db, input: SignUpInput): Promise<Registration> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  const locale = input.locale ?? 'zh-TW';
  // An address kept for the account it was just moved away from reads as registered to it.
  const keptFor = await reservedFor(db, email, new Date());
  if (keptFor)
    return { created: false, existing: { id: keptFor.id, email, locale: keptFor.locale } };
  try {
    await db.insert(users).values({
      id,
      email,
      passwordHash,
      displayName: input.displayName?.trim() || email.split('@')[0] || email,
      locale,
    });
    return { created: true, id, email, locale };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const [existing] = await db
    .select({ id: users.id, email: users.email, locale: users.locale })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (!existing) throw new Error('unique violation on users without a matching email');
  return { created: false, existing };
}

/**
 * Checks an email and password. An unknown email and a wrong password give the same error and
 * cost the same Argon2 verification, so neither the message nor the timing tells them apart.
 */
export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string },
): Promise<{ id: string }> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, normalizeEmail(input.email)))
    .limit(1);
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyDecoyPassword(input.password);
  if (!user || !valid) {
    throw new AccountError('invalid_credentials', 'Incorrect email or password.');
  }
  return { id: user.id };
}
