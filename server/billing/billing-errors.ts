import { tooManyRequests } from '../rate-limit/rules';
import { AppError } from '../trpc/errors';
import { NoBillingAccountError, PortalAttemptsThrottledError } from './portal-session';
import { RecurError } from './recur-error';

/** Recur counts its rate limit per minute; the SDK does not pass on a Retry-After header. */
const RECUR_RETRY_AFTER_SECONDS = 60;

/**
 * Turns a billing failure into the error the client sees. The cause goes to the server log
 * (never the key: RecurError details hold only status and error code), the user gets a message
 * and a `reason` to act on.
 */
export function toBillingAppError(
  error: unknown,
  log: (line: string) => void,
  userId: string,
): unknown {
  if (error instanceof PortalAttemptsThrottledError)
    return tooManyRequests(error.retryAfterSeconds);
  if (error instanceof NoBillingAccountError) {
    return new AppError({
      code: 'NOT_FOUND',
      reason: 'no_customer',
      message: 'No subscription found.',
    });
  }
  if (!(error instanceof RecurError)) return error;

  log(`billing: Recur call failed for user ${userId}: ${error.message}`);
  switch (error.kind) {
    case 'customer_not_found':
      return new AppError({
        code: 'NOT_FOUND',
        reason: 'no_customer',
        message: 'No subscription found.',
        cause: error,
      });
    case 'rate_limited':
      return new AppError({
        code: 'TOO_MANY_REQUESTS',
        reason: 'rate_limited',
        message: 'Billing is busy right now. Please try again in a minute.',
        retryAfterSeconds: RECUR_RETRY_AFTER_SECONDS,
        cause: error,
      });
    case 'unavailable':
      return new AppError({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'billing_unavailable',
        message: 'Billing is temporarily unavailable. Please try again in a moment.',
        cause: error,
      });
    case 'misconfigured':
      return new AppError({
        code: 'INTERNAL_SERVER_ERROR',
        reason: 'billing_misconfigured',
        message: 'Billing cannot be opened right now. Please contact support.',
        cause: error,
      });
  }
}
