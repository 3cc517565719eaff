import { TRPCError } from '@trpc/server';

/**
 * Why a request failed, in words the client can switch on (`error.data.reason`).
 * Add a reason here when a new failure needs its own message in the UI.
 */
export type ErrorReason =
  | 'unauthenticated'
  | 'invalid_input'
  | 'email_taken'
  | 'invalid_credentials'
  | 'no_customer'
  | 'billing_unavailable'
  | 'billing_misconfigured'
  | 'rate_limited'
  | 'database_unavailable';

type ErrorCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/** A TRPCError whose message is safe to show and whose reason the client can read. */
export class AppError extends TRPCError {
  readonly reason: ErrorReason;
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: ErrorCode;
    reason: ErrorReason;
    message: string;
    cause?: unknown;
    retryAfterSeconds?: number;
  }) {
    super({ code: options.code, message: options.message, cause: options.cause });
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
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
