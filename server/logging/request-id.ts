import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Safe in a log line and in a header: no spaces, quotes or line breaks. */
const WELL_FORMED = /^[\w.:-]{1,128}$/;

/**
 * The id of one request, in every log line it causes and in the `X-Request-Id` answer header.
 * Behind a trusted proxy (TRUST_PROXY=true) the proxy's `X-Request-Id` is kept, so one id follows
 * the request through both logs; otherwise whatever a client sent is ignored and one is made.
 */
export function requestIdOf(req: IncomingMessage, trustProxy: boolean): string {
  const given = req.headers['x-request-id'];
  if (trustProxy && typeof given === 'string' && WELL_FORMED.test(given)) return given;
  return randomUUID();
}
