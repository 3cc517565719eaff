import { tooManyRequests } from '../rate-limit/rules';
import { AppError } from '../trpc/errors';
import {
  AlreadySubscribedError,
  CheckoutInProgressError,
  EmailHeldByAnotherCustomerError,
  EmailNotVerifiedError,
} from './checkout-session';
import {
  CustomerLinkConflictError,
  NoBillingAccountError,
  PortalAttemptsThrottledError,
} from './portal-session';
import { RecurError, type RecurFailureKind } from './recur-error';

/** Recur counts its rate limit per minute; used when its 429 came without a Retry-After. */
const RECUR_RETRY_AFTER_SECONDS = 60;

type Answer = Pick<ConstructorParameters<typeof AppError>[0], 'code' | 'reason' | 'message'>;

const noCustomer: Answer = {
  code: 'NOT_FOUND',
  reason: 'no_customer',
  message: 'No subscription found.',
};
const misconfigured: Answer = {
  code: 'INTERNAL_SERVER_ERROR',
  reason: 'billing_misconfigured',
  message: 'Billing cannot be opened right now. Please contact support.',
};

/** Refusals of our own, each with what the user is told (and, for some, a line for the log). */
const refusals: [new (...args: never[]) => Error, Answer, string?][] = [
  [NoBillingAccountError, noCustomer],
  [
    EmailNotVerifiedError,
    {
      code: 'FORBIDDEN',
      reason: 'email_unverified',
      message: 'Verify your email address before subscribing.',
    },
  ],
  [
    AlreadySubscribedError,
    {
      code: 'CONFLICT',
      reason: 'already_subscribed',
      message: 'You already have a subscription. Change it in the billing portal.',
    },
  ],
  [
    EmailHeldByAnotherCustomerError,
    {
      code: 'CONFLICT',
      reason: 'billing_email_conflict',
      message: 'Another billing account already uses this email address. Please contact support.',
    },
    'cannot check out: another Recur customer has their email',
  ],
  [
    CheckoutInProgressError,
    {
      code: 'CONFLICT',
      reason: 'checkout_in_progress',
      message: 'A checkout is already being opened. Try again in a moment.',
    },
  ],
  [CustomerLinkConflictError, misconfigured, 'Recur customer not linked; see recur_link_conflicts'],
];

/** Recur's failures, by kind. */
const recurFailures: Record<RecurFailureKind, Answer> = {
  customer_not_found: noCustomer,
  rate_limited: {
    code: 'TOO_MANY_REQUESTS',
    reason: 'rate_limited',
    message: 'Billing is busy right now. Please try again in a minute.',
  },
  unavailable: {
    code: 'SERVICE_UNAVAILABLE',
    reason: 'billing_unavailable',
    message: 'Billing is temporarily unavailable. Please try again in a moment.',
  },
  misconfigured,
};

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
  for (const [type, answer, logLine] of refusals) {
    if (!(error instanceof type)) continue;
    if (logLine) log(`billing: user ${userId}: ${logLine}`);
    return new AppError(answer);
  }
  if (!(error instanceof RecurError)) return error;

  log(`billing: Recur call failed for user ${userId}: ${error.message}`);
  return new AppError({
    ...recurFailures[error.kind],
    ...(error.kind === 'rate_limited'
      ? { retryAfterSeconds: error.retryAfterSeconds ?? RECUR_RETRY_AFTER_SECONDS }
      : {}),
    cause: error,
  });
}
