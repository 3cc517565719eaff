import { AppError } from '../trpc/errors';
import type { RateDecision, RateRule } from './rate-limiter';

// CUSTOMIZE: rate limits. RATE_LIMIT_SCALE multiplies every limit (e.g. for a load test).
export const rateRules = {
  /** Per client IP and email. Past the limit, a back-off doubling from 1 minute up to 1 hour. */
  signIn: { name: 'sign-in', limit: 5, windowMs: 60_000 },
  /** Per client IP, whatever the email: bounds the password hashing one client can cause. */
  signInPerIp: { name: 'sign-in-ip', limit: 30, windowMs: 60_000 },
  /** Per client IP. */
  signUp: { name: 'sign-up', limit: 10, windowMs: 60 * 60_000 },
  /** Per user: each portal or checkout session is a call to Recur. */
  billingSession: { name: 'billing-session', limit: 10, windowMs: 60_000 },
  /** Per user: each status check is a call to Recur, whose own limit is per account. */
  billingStatus: { name: 'billing-status', limit: 30, windowMs: 60_000 },
} as const satisfies Record<string, RateRule>;

export const SIGN_IN_BACKOFF = { baseMs: 60_000, maxMs: 60 * 60_000 } as const;

export function tooManyRequests(retryAfterSeconds: number): AppError {
  return new AppError({
    code: 'TOO_MANY_REQUESTS',
    reason: 'rate_limited',
    message: `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
    retryAfterSeconds,
  });
}

export function enforce(decision: RateDecision): void {
  if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
}
