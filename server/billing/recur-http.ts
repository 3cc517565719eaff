import {
  normalizeRecurError,
  parseRetryAfter,
  type RecurCallContext,
  recurApiFailure,
  timeoutError,
} from './recur-error';

export interface RecurHttpOptions {
  secretKey: string;
  apiUrl: string;
  timeoutMs: number;
}

/**
 * A Recur API call the SDK (0.11.0) has no method for, or whose answer the SDK trims. It speaks
 * to Recur as the SDK does (same auth, same error body) and fails with the same RecurError kinds,
 * with the same timeout; unlike the SDK's, this request is aborted when the time is up.
 */
export async function recurRequest<T>(
  options: RecurHttpOptions,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
  context: RecurCallContext = {},
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${options.apiUrl}${request.path}`, {
      method: request.method,
      headers: {
        Authorization: `Bearer ${options.secretKey}`,
        'Content-Type': 'application/json',
        'X-Recur-Source': 'server',
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw timeoutError(options.timeoutMs);
    }
    throw normalizeRecurError(error);
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // An error status says more than its body: a proxy's HTML 429 or 503 is still one.
    if (!response.ok) data = null;
    else throw normalizeRecurError(error);
  }
  if (!response.ok) {
    const code = (data as { error?: { code?: unknown } } | null)?.error?.code;
    throw recurApiFailure(response.status, typeof code === 'string' ? code : undefined, {
      ...context,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  return data as T;
}
