import { RecurAPIError } from 'recur-tw/server';

/**
 * What went wrong with a Recur call, in the few kinds the app acts on differently:
 * - `customer_not_found`: Recur does not know the customer we asked about;
 * - `misconfigured`: our key, URL or request is wrong (a person must fix configuration);
 * - `rate_limited`: Recur answered 429;
 * - `unavailable`: timeout, refused connection, 5xx, or a body that is not Recur's JSON.
 */
export type RecurFailureKind =
  | 'customer_not_found'
  | 'misconfigured'
  | 'rate_limited'
  | 'unavailable';

export class RecurError extends Error {
  override name = 'RecurError';
  constructor(
    readonly kind: RecurFailureKind,
    /** A short, secret-free description for the server log. */
    readonly detail: string,
    readonly statusCode?: number,
    /** From Recur's `Retry-After`, when it sent one with a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`Recur ${kind}: ${detail}`);
  }
}

export const timeoutError = (timeoutMs: number) =>
  new RecurError('unavailable', `no answer within ${timeoutMs} ms`);

/**
 * Folds every failure the SDK can surface into one RecurError: `RecurAPIError` for Recur's own
 * errors, `SyntaxError` for a body that is not JSON (an HTML 502 from a proxy), `TypeError` for a
 * refused connection or an error body without `error`.
 */
export function normalizeRecurError(error: unknown, context: RecurCallContext = {}): RecurError {
  if (error instanceof RecurError) return error;
  if (error instanceof RecurAPIError) return recurApiFailure(error.statusCode, error.code, context);
  if (error instanceof SyntaxError) {
    return new RecurError('unavailable', 'response was not JSON');
  }
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return new RecurError(
      'unavailable',
      error.message === 'fetch failed'
        ? `connection failed${cause ? ` (${cause})` : ''}`
        : 'response was not in Recur error format',
    );
  }
  return new RecurError('unavailable', error instanceof Error ? error.name : 'unknown failure');
}

export interface RecurCallContext {
  /**
   * Whether the call looks a customer up (portal, subscriptions): there a 404 means "no such
   * customer" whatever its code, as Recur's own template reads it. Elsewhere (a checkout naming
   * a product) a 404 means our configuration names something Recur does not have.
   */
  customerLookup?: boolean;
  retryAfterSeconds?: number | undefined;
}

/** Classifies an error answer from Recur by its HTTP status and error code. */
export function recurApiFailure(
  status: number,
  code: string | undefined,
  context: RecurCallContext = {},
): RecurError {
  const detail = `${status} ${code ?? 'no_code'}`;
  if (code === 'customer_not_found' || (status === 404 && context.customerLookup)) {
    return new RecurError('customer_not_found', detail, status);
  }
  if (status === 429) {
    return new RecurError('rate_limited', detail, status, context.retryAfterSeconds);
  }
  if (status >= 500) return new RecurError('unavailable', detail, status);
  // 401/403 (bad or revoked key), missing_return_url and any other 4xx: our side must change.
  return new RecurError('misconfigured', detail, status);
}

/** `Retry-After` in whole seconds (delta or HTTP date), or undefined when absent or unusable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header.trim())
    : Math.ceil((Date.parse(header) - now) / 1000);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) : undefined;
}

/** Runs one Recur call with the timeout the SDK lacks, and normalises whatever it throws. */
export async function withRecurTimeout<T>(
  timeoutMs: number,
  call: () => Promise<T>,
  context: RecurCallContext = {},
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // The SDK takes no AbortSignal, so a late answer cannot be cancelled; it is dropped instead.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    throw normalizeRecurError(error, context);
  } finally {
    clearTimeout(timer);
  }
}
