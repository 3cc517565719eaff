import type { IncomingMessage } from 'node:http';
import { isLoopbackHostname } from '../local-url';
import type { HostRule } from './host-check';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request guard for cookie-authenticated routes (/trpc), on every method:
 * - `Sec-Fetch-Site: cross-site` or `same-site` is refused (a sibling subdomain is another origin),
 *   and so is `Sec-Fetch-Mode: navigate`: the API is fetched by the app, never navigated to;
 * - an `Origin`, when sent, must be the whole origin (scheme, host and port) of APP_URL, or where
 *   loopback hosts are accepted (development, tests), `http://` + the loopback Host it was sent to;
 * - a state-changing request must carry one of `Origin` or `Sec-Fetch-Site: same-origin`: every
 *   browser sends one on a POST, and clients without cookies (scripts, tests) can send `Origin`.
 */
export function isSameOriginRequest(req: IncomingMessage, rule: HostRule): boolean {
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return false;
  if (req.headers['sec-fetch-mode'] === 'navigate') return false;
  const origin = req.headers.origin;
  if (origin !== undefined) return isAcceptedOrigin(origin, req.headers.host, rule);
  return SAFE_METHODS.has(req.method ?? 'GET') || fetchSite === 'same-origin';
}

function isAcceptedOrigin(origin: string, host: string | undefined, rule: HostRule): boolean {
  if (origin === new URL(rule.appUrl).origin) return true;
  if (!rule.loopback || !host) return false;
  try {
    const own = new URL(`http://${host}`);
    return isLoopbackHostname(own.hostname) && origin === own.origin;
  } catch {
    return false;
  }
}
