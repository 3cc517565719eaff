import type { IncomingMessage } from 'node:http';

/**
 * The client's address. X-Forwarded-For is read only with TRUST_PROXY=true: without a proxy
 * that overwrites it, any client can put any address there.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}
