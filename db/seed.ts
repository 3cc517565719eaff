import { count, eq } from 'drizzle-orm';
import type { Db } from './create-db';
import { users } from './schema';

/**
 * The demo account the README names. Its Recur customer id is the one the local emulator's
 * fixture knows (emulator/fixture.ts), so "Manage billing" works on a fresh clone.
 */
export const DEMO_ACCOUNT = {
  id: 'user_demo',
  email: 'demo@example.com',
  password: 'demo-password',
  displayName: 'Demo User',
  recurCustomerId: 'cus_demo',
  // Argon2id of `password` at the parameters in server/auth/password.ts; a test checks it.
  passwordHash:
    '$argon2id$v=19$m=19456,t=2,p=1$uCqSMpzm1pUoXzDWa4zlgg$kYgcV21lkKwQolbLlyqXYwyc8eRfKQZuabxJekDcbCw',
} as const;

/** Creates the demo account unless it exists; returns whether it was created. */
export async function seedDemoAccount(db: Db): Promise<boolean> {
  const inserted = await db
    .insert(users)
    .values({
      id: DEMO_ACCOUNT.id,
      email: DEMO_ACCOUNT.email,
      passwordHash: DEMO_ACCOUNT.passwordHash,
      displayName: DEMO_ACCOUNT.displayName,
      locale: 'zh-TW',
      recurCustomerId: DEMO_ACCOUNT.recurCustomerId,
      emailVerifiedAt: new Date(),
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return inserted.length > 0;
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

export async function hasDemoAccount(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_ACCOUNT.email))
    .limit(1);
  return row !== undefined;
}
