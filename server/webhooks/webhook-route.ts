import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from '../http/json-response';
import { BodyTooLargeError, readBody } from '../http/read-body';
import { describeCause } from '../log-safe-cause';
import type { AppDeps } from '../trpc/context';
import { MalformedEventError, processRecurEvent, RetryLaterError } from './process-recur-event';
import { type RecurEvent, recurEventSchema } from './recur-event';
import { isValidRecurSignature } from './signature';

const MAX_WEBHOOK_BYTES = 1024 * 1024;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

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

    let event: RecurEvent;
    try {
      event = recurEventSchema.parse(JSON.parse(rawBody.toString('utf8')));
    } catch {
      return sendError(
        res,
        400,
        'malformed_event',
        'The event is not valid JSON in Recur’s format.',
      );
    }
    // A delivery more than 5 minutes off is refused. Its time is X-Recur-Timestamp (when this
    // attempt was sent), else the event's own: a retry hours after an outage resends the original
    // body and must still be accepted. Replays cannot do harm either way: an event id is applied
    // once, ever (webhook_events), and the body is signed.
    const sentAt = Number(req.headers['x-recur-timestamp']) || event.timestamp;
    if (Math.abs(now() - sentAt) > MAX_CLOCK_SKEW_MS) {
      return sendError(res, 400, 'stale_event', 'The event timestamp is more than 5 minutes off.');
    }

    try {
      const outcome = await processRecurEvent(deps.db, event, now);
      deps.log(
        `webhook: ${event.type} ${event.id} ${outcome.duplicate ? 'duplicate, skipped' : outcome.result}`,
      );
      sendJson(res, 200, { received: true, ...(outcome.duplicate ? { duplicate: true } : {}) });
    } catch (error) {
      if (error instanceof MalformedEventError) {
        return sendError(res, 400, 'malformed_event', error.message);
      }
      if (error instanceof RetryLaterError) {
        deps.log(`webhook: ${event.type} ${event.id} deferred: ${error.message}`);
        return sendError(res, 503, 'retry_later', 'The event cannot be applied yet; retry later.');
      }
      deps.log(`webhook: ${event.type} ${event.id} failed: ${describeCause(error)}`);
      sendError(
        res,
        500,
        'webhook_failed',
        'The event could not be processed; it will be retried.',
      );
    }
  };
}
