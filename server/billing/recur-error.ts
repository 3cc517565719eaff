import { RecurAPIError } from 'recur-tw/server';

/**
 * What went wrong with a Recur call, in the few kinds the app acts on differently:
 * - `customer_not_found`: Recur does not know the customer id we hold;
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
export function normalizeRecurError(error: unknown): RecurError {
  if (error instanceof RecurError) return error;
  if (error instanceof RecurAPIError) return recurApiFailure(error.statusCode, error.code);
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

/** Classifies an error answer from Recur by its HTTP status and error code. */
export function recurApiFailure(status: number, code: string | undefined): RecurError {
  const detail = `${status} ${code ?? 'no_code'}`;
  if (code === 'customer_not_found') return new RecurError('customer_not_found', detail, status);
  if (status === 429) return new RecurError('rate_limited', detail, status);
  if (status >= 500) return new RecurError('unavailable', detail, status);
  // 401/403 (bad or revoked key), missing_return_url and any other 4xx: our side must change.
  return new RecurError('misconfigured', detail, status);
}

/** Runs one Recur call with the timeout the SDK lacks, and normalises whatever it throws. */
export async function withRecurTimeout<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // The SDK takes no AbortSignal, so a late answer cannot be cancelled; it is dropped instead.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    throw normalizeRecurError(error);
  } finally {
    clearTimeout(timer);
  }
}
