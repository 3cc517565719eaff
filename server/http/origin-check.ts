import type { IncomingMessage } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for cookie-authenticated routes. A state-changing request
 * must come from our own origin: `Sec-Fetch-Site: same-origin`, or an `Origin` whose host is
 * the request's own Host or the configured APP_URL's. A request with neither header is refused:
 * every browser sends one of them on a POST, and clients without cookies can send `Origin`.
 */
export function isSameOriginRequest(req: IncomingMessage, appUrl: string): boolean {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return true;
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite && fetchSite !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (!origin) return fetchSite === 'same-origin';
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  if (originUrl.origin === new URL(appUrl).origin) return true;
  return originUrl.host === req.headers.host && /^https?:$/.test(originUrl.protocol);
}
