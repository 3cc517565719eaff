import type { IncomingMessage } from 'node:http';

/**
 * The client's address. With TRUST_PROXY=true, the last X-Forwarded-For entry: the one the
 * proxy in front of the app appended. Entries before it are whatever the client sent, so they
 * are never trusted; without a proxy, neither is the header.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const appended = header?.split(',').at(-1)?.trim();
    if (appended) return appended.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}
