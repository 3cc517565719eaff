import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

const HTML_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The headers of every answer: helmet's defaults (cross-origin isolation of the window and its
 * resources, nosniff, no DNS prefetch, …) with two of ours kept: frames are denied outright, and
 * the referrer keeps its origin across sites. HSTS only when APP_URL is https: sent over plain
 * http it would be ignored at best. The CSP is set on HTML only (setHtmlSecurityHeaders).
 */
export function createSecurityHeaders(options: { https: boolean }) {
  const headers = helmet({
    contentSecurityPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.https,
  });
  return (req: IncomingMessage, res: ServerResponse) => headers(req, res, () => {});
}

export function setHtmlSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', HTML_CSP);
}

/** API answers are per-user and must never be stored by a browser or a proxy. */
export function setNoStore(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
}

// The dev mailbox (server/mail/dev-mailbox-page.ts) shows each mail's HTML in a sandboxed srcdoc
// iframe, which inherits this policy: mail HTML carries its styles inline, nothing else may load.
const DEV_MAILBOX_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function setDevMailboxSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', DEV_MAILBOX_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}
