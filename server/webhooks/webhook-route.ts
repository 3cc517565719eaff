import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecurId } from '../billing/recur-ids';
import { sendError, sendJson } from '../http/json-response';
import { BodyTooLargeError, readBody } from '../http/read-body';
import { describeCause } from '../log-safe-cause';
import type { AppDeps } from '../trpc/context';
import { processRecurEvent, RetryLaterError, recordUnusableEvent } from './process-recur-event';
import { eventTime, type RecurEvent, recurEventSchema } from './recur-event';
import { isValidRecurSignature } from './signature';

const MAX_WEBHOOK_BYTES = 1024 * 1024;
const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * POST /api/webhooks/recur. Authenticated by its signature, not by a cookie, so the
 * cross-site check of browser routes does not apply. Answers 2xx only once the event is stored,
 * so Recur retries anything that failed.
 */
export function createRecurWebhookRoute(
  deps: Pick<AppDeps, 'db' | 'log'> & { webhookSecret: string | undefined; now?: () => number },
) {
  const now = deps.now ?? Date.now;

  return async function recurWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, 'method_not_allowed', 'Use POST.');
    }
    if (!deps.webhookSecret) {
      deps.log('webhook: RECUR_WEBHOOK_SECRET is not set, so Recur events cannot be verified');
      return sendError(res, 503, 'webhooks_not_configured', 'Webhooks are not configured.');
    }

    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, MAX_WEBHOOK_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return sendError(res, 413, 'payload_too_large', 'The request body is larger than 1 MB.');
      }
      throw error;
    }

    const signature = req.headers['x-recur-signature'];
    if (
      !isValidRecurSignature(
        rawBody,
        typeof signature === 'string' ? signature : undefined,
        deps.webhookSecret,
      )
    ) {
      return sendError(res, 401, 'invalid_signature', 'The webhook signature does not match.');
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const envelope = recurEventSchema.safeParse(parsed);
    if (!envelope.success) {
      // Signed by Recur but not an event we can read. Refusing it would make Recur retry it
      // forever; where it names itself, it is stored as unusable and acknowledged.
      const id = eventIdOf(parsed, req.headers['x-recur-event-id']);
      if (!id) {
        return sendError(res, 400, 'malformed_event', 'The event is not in Recur’s format.');
      }
      const outcome = await recordUnusableEvent(deps.db, id, eventTypeOf(parsed, req.headers));
      deps.log(
        `webhook: ${printable(id)} ${outcome ? 'unusable_data (malformed envelope)' : 'duplicate, skipped'}`,
      );
      return sendJson(res, 200, { received: true, ...(outcome ? {} : { duplicate: true }) });
    }
    const event: RecurEvent = envelope.data;

    // No window on the past: X-Recur-Timestamp is not signed (so it cannot stop a replay) and
    // may be the event's own time (so a window would refuse every retry after an outage). A
    // replay does no harm: an event id is applied once, ever, and status keeps the newest.
    // An event dated in the future would outrank every later one: refused until its time comes.
    const aheadMs = eventTime(event) - now();
    if (aheadMs > MAX_FUTURE_SKEW_MS) {
      res.setHeader('Retry-After', String(Math.ceil(aheadMs / 1000)));
      return sendError(
        res,
        503,
        'timestamp_in_future',
        'The event is dated more than 5 minutes in the future; retry later.',
      );
    }

    try {
      const outcome = await processRecurEvent(deps.db, event, now);
      deps.log(
        `webhook: ${printable(event.type)} ${printable(event.id)} ${
          outcome.duplicate
            ? 'duplicate, skipped'
            : `${outcome.result}${outcome.detail ? ` (${outcome.detail})` : ''}`
        }`,
      );
      sendJson(res, 200, { received: true, ...(outcome.duplicate ? { duplicate: true } : {}) });
    } catch (error) {
      if (error instanceof RetryLaterError) {
        deps.log(
          `webhook: ${printable(event.type)} ${printable(event.id)} deferred: ${printable(error.message)}`,
        );
        return sendError(res, 503, 'retry_later', 'The event cannot be applied yet; retry later.');
      }
      deps.log(
        `webhook: ${printable(event.type)} ${printable(event.id)} failed: ${describeCause(error)}`,
      );
      sendError(
        res,
        500,
        'webhook_failed',
        'The event could not be processed; it will be retried.',
      );
    }
  };
}

function eventIdOf(body: unknown, header: string | string[] | undefined): string | null {
  const fromBody = (body as { id?: unknown } | null)?.id;
  if (isRecurId(fromBody)) return fromBody;
  return isRecurId(header) ? header : null;
}

function eventTypeOf(body: unknown, headers: IncomingMessage['headers']): string {
  const type = (body as { type?: unknown } | null)?.type ?? headers['x-recur-event-type'];
  return typeof type === 'string' && /^[A-Za-z0-9_.]{1,100}$/.test(type) ? type : 'unknown';
}

/** A value from a request, safe to put in one log line: control characters escaped, length capped. */
function printable(value: string): string {
  return JSON.stringify(value.slice(0, 200)).slice(1, -1);
}
