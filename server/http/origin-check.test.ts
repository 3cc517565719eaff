import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from './origin-check';

const appUrl = 'https://app.example.com';
const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as IncomingMessage;

describe('isSameOriginRequest', () => {
  it.each([
    ['GET with no headers', request('GET', {}), true],
    ['POST from APP_URL', request('POST', { origin: appUrl, host: 'internal:3000' }), true],
    [
      'POST whose Origin matches Host (dev proxy)',
      request('POST', { origin: 'http://localhost:5173', host: 'localhost:5173' }),
      true,
    ],
    [
      'POST with Sec-Fetch-Site same-origin only',
      request('POST', { 'sec-fetch-site': 'same-origin' }),
      true,
    ],
    [
      'POST from another site',
      request('POST', { origin: 'https://evil.example', host: 'app.example.com' }),
      false,
    ],
    [
      'POST with Sec-Fetch-Site cross-site',
      request('POST', { origin: appUrl, 'sec-fetch-site': 'cross-site' }),
      false,
    ],
    [
      'POST with Sec-Fetch-Site same-site',
      request('POST', { 'sec-fetch-site': 'same-site' }),
      false,
    ],
    [
      'POST with Origin null (sandboxed frame)',
      request('POST', { origin: 'null', host: 'app.example.com' }),
      false,
    ],
    [
      'POST with no Origin and no Sec-Fetch-Site',
      request('POST', { host: 'app.example.com' }),
      false,
    ],
    ['DELETE from another site', request('DELETE', { origin: 'https://evil.example' }), false],
  ])('%s → %s', (_, req, expected) => {
    expect(isSameOriginRequest(req, appUrl)).toBe(expected);
  });
});
