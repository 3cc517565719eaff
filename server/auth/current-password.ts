import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { users } from '../../db/schema';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { rateRules, SIGN_IN_BACKOFF, tooManyRequests } from '../rate-limit/rules';
import { verifyPassword } from './password';

/**
 * Checks the signed-in user's password before a change that needs it, limited per user as
 * sign-in is (5 a minute, then a back-off doubling up to an hour; a right password forgives).
 * Throws the 429 AppError past the limit, so a stolen session cannot guess the password either.
 */
export async function checkCurrentPassword(
  deps: { db: Db; rateLimiter: RateLimiter },
  userId: string,
  password: string,
): Promise<boolean> {
  const { rateLimiter } = deps;
  const rule = rateRules.currentPassword;
  const blocked = await rateLimiter.blockedFor(rule.name, userId);
  if (blocked !== null) throw tooManyRequests(blocked);
  const decision = await rateLimiter.hit(rule, userId);
  if (!decision.allowed) {
    const { baseMs, maxMs } = SIGN_IN_BACKOFF;
    throw tooManyRequests(await rateLimiter.strike(rule.name, userId, baseMs, maxMs));
  }
  const [user] = await deps.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  const valid = user ? await verifyPassword(user.passwordHash, password) : false;
  if (valid) await rateLimiter.forgive(rule.name, userId);
  return valid;
}
