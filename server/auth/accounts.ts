import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { type Locale, users } from '../../db/schema';
import { isUniqueViolation } from '../database-errors';
import { hashPassword, verifyDecoyPassword, verifyPassword } from './password';

export type AccountErrorCode = 'email_taken' | 'invalid_credentials';

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

/**
 * Creates an account; throws AccountError('email_taken') when the email is in use.
 * CUSTOMIZE: email addresses are not verified. Add verification before anything trusts an
 * address (see docs/decisions/0009-webhooks.md).
 */
export async function createAccount(db: Db, input: SignUpInput): Promise<{ id: string }> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    await db.insert(users).values({
      id,
      email,
      passwordHash,
      displayName: input.displayName?.trim() || email.split('@')[0] || email,
      locale: input.locale ?? 'zh-TW',
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountError('email_taken', 'An account with this email already exists.');
    }
    throw error;
  }
  return { id };
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

export async function setUserLocale(db: Db, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
