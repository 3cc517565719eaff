import type { ServerResponse } from 'node:http';

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

export function setCommonSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

export function setHtmlSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', HTML_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
}

/** API answers are per-user and must never be stored by a browser or a proxy. */
export function setNoStore(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
}
