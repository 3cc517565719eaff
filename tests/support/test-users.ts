import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { users } from '../../db/schema';
import type { AppDeps } from '../../server/trpc/context';
import { createTestClient } from './test-app';

let counter = 0;

export const TEST_PASSWORD = 'a long enough password';

/**
 * Signs up a new user and signs in, through the real procedures, and returns a client holding the
 * session. `verified` marks the address verified (as the mailed link would).
 */
export async function signedInClient(
  deps: AppDeps,
  options: {
    recurCustomerId?: string | null;
    locale?: 'zh-TW' | 'en';
    /** Marks the address verified, as following the verification mail would. */
    verified?: boolean;
  } = {},
) {
  const client = createTestClient(deps);
  const email = `user${++counter}-${process.pid}-${Date.now()}@example.com`;
  await (await client.caller()).auth.signUp({
    email,
    password: TEST_PASSWORD,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  await (await client.caller()).auth.signIn({ email, password: TEST_PASSWORD });
  // A customer id belongs to one account: take it from whichever test user had it before.
  if (options.recurCustomerId) {
    await deps.db
      .update(users)
      .set({ recurCustomerId: null })
      .where(eq(users.recurCustomerId, options.recurCustomerId));
  }
  const [row] = await deps.db
    .update(users)
    .set({
      recurCustomerId: options.recurCustomerId ?? null,
      ...(options.verified ? { emailVerifiedAt: new Date() } : {}),
    })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error('sign-up did not create a row');
  return { client, email, userId: row.id };
}

export async function customerIdOf(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: users.recurCustomerId })
    .from(users)
    .where(eq(users.id, userId));
  return row?.id ?? null;
}
