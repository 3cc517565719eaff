import { TRPCError } from '@trpc/server';
import type { PasswordFeedback } from '../auth/password-strength';

/**
 * Why a request failed, in words the client can switch on (`error.data.reason`).
 * Add a reason here when a new failure needs its own message in the UI.
 */
export type ErrorReason =
  | 'unauthenticated'
  | 'invalid_input'
  | 'invalid_credentials'
  | 'weak_password'
  | 'mail_unavailable'
  | 'no_customer'
  | 'email_unverified'
  | 'already_subscribed'
  | 'checkout_in_progress'
  | 'billing_email_conflict'
  | 'billing_unavailable'
  | 'billing_misconfigured'
  | 'rate_limited'
  | 'database_unavailable'
  | 'session_not_found'
  | 'wrong_password'
  | 'same_email'
  | 'subscription_active';

type ErrorCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/** A TRPCError whose message is safe to show and whose reason the client can read. */
export class AppError extends TRPCError {
  readonly reason: ErrorReason;
  readonly retryAfterSeconds: number | undefined;
  /** Why a password was refused (`weak_password`), as zxcvbn keys the client translates. */
  readonly passwordFeedback: PasswordFeedback | undefined;

  constructor(options: {
    code: ErrorCode;
    reason: ErrorReason;
    message: string;
    cause?: unknown;
    retryAfterSeconds?: number;
    passwordFeedback?: PasswordFeedback;
  }) {
    super({ code: options.code, message: options.message, cause: options.cause });
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.passwordFeedback = options.passwordFeedback;
  }
}

export function databaseUnavailableError(cause: unknown): AppError {
  return new AppError({
    code: 'SERVICE_UNAVAILABLE',
    reason: 'database_unavailable',
    message: 'The service is temporarily unavailable. Please try again in a moment.',
    cause,
  });
}
