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
  /**
   * Per address: sign-ups that mail it (a new account's verification mail counts too); past the
   * limit, its owner is not told of further attempts.
   */
  signUpNotice: { name: 'sign-up-notice', limit: 3, windowMs: 24 * 60 * 60_000 },
  /** Per user: each "resend the verification email" is a mail to the user's address. */
  verificationResend: { name: 'verification-resend', limit: 5, windowMs: 60 * 60_000 },
  /** Per client IP, whichever users ask. */
  verificationResendPerIp: { name: 'verification-resend-ip', limit: 20, windowMs: 60 * 60_000 },
  /** Per user: each portal or checkout session is a call to Recur. */
  billingSession: { name: 'billing-session', limit: 10, windowMs: 60_000 },
  /** Per user: each status check is a call to Recur, whose own limit is per account. */
  billingStatus: { name: 'billing-status', limit: 30, windowMs: 60_000 },
  /** Per client IP: "forgot password" requests, whichever addresses they name. */
  passwordResetRequestPerIp: { name: 'password-reset-ip', limit: 10, windowMs: 60 * 60_000 },
  /**
   * Per address, registered or not (so a refusal tells nothing about it): bounds the reset mail
   * one inbox can be sent.
   */
  passwordResetRequest: { name: 'password-reset-address', limit: 3, windowMs: 60 * 60_000 },
  /** Per client IP: opening and following the links of account changes (a reset hashes a password). */
  accountLinkPerIp: { name: 'account-link-ip', limit: 30, windowMs: 60 * 60_000 },
  /**
   * Per user: attempts at the current password (to change the password or the address). Past the
   * limit, the sign-in back-off (SIGN_IN_BACKOFF).
   */
  currentPassword: { name: 'current-password', limit: 5, windowMs: 60_000 },
  /** Per user: each address change mails the new address. */
  emailChange: { name: 'email-change', limit: 5, windowMs: 60 * 60_000 },
  /** Per new address: past the limit, no further mail goes to it; the answer stays the same. */
  emailChangeAddress: { name: 'email-change-address', limit: 3, windowMs: 24 * 60 * 60_000 },
  /** Per user: each attempt checks the password (Argon2) and may ask Recur. */
  accountDeletion: { name: 'account-deletion', limit: 5, windowMs: 60 * 60_000 },
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
