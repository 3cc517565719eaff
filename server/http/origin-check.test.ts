import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from './origin-check';

const appUrl = 'https://app.example.com';
const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as IncomingMessage;
const production = { appUrl, loopback: false };
const development = { appUrl, loopback: true };

describe('isSameOriginRequest', () => {
  it.each([
    ['GET with no headers', request('GET', {}), true],
    ['GET from a page of the app', request('GET', { 'sec-fetch-site': 'same-origin' }), true],
    ['GET with the Origin of APP_URL', request('GET', { origin: appUrl }), true],
    ['POST from APP_URL', request('POST', { origin: appUrl, host: 'internal:3000' }), true],
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
      'POST from the APP_URL host over plain http (another origin)',
      request('POST', { origin: 'http://app.example.com', host: 'app.example.com' }),
      false,
    ],
    [
      'POST from the APP_URL host on another port (another origin)',
      request('POST', { origin: 'https://app.example.com:8443', host: 'app.example.com:8443' }),
      false,
    ],
    [
      'POST whose Origin is a loopback Host, in production',
      request('POST', { origin: 'http://localhost:5173', host: 'localhost:5173' }),
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
    [
      'GET with Sec-Fetch-Site cross-site',
      request('GET', { 'sec-fetch-site': 'cross-site' }),
      false,
    ],
    ['GET with Sec-Fetch-Site same-site', request('GET', { 'sec-fetch-site': 'same-site' }), false],
    [
      'GET that is a navigation (a link or a typed URL)',
      request('GET', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' }),
      false,
    ],
    [
      'GET with the Origin of another site',
      request('GET', { origin: 'https://evil.example' }),
      false,
    ],
  ])('%s → %s', (_, req, expected) => {
    expect(isSameOriginRequest(req, production)).toBe(expected);
  });

  it.each([
    [
      'POST whose Origin is the loopback Host it was sent to (dev, tests)',
      request('POST', { origin: 'http://localhost:5173', host: 'localhost:5173' }),
      true,
    ],
    [
      'POST from 127.0.0.1 to 127.0.0.1 on the same port',
      request('POST', { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }),
      true,
    ],
    [
      'POST from another loopback port',
      request('POST', { origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' }),
      false,
    ],
    [
      'POST from a public Host over http, even in development',
      request('POST', { origin: 'http://app.example.com', host: 'app.example.com' }),
      false,
    ],
  ])('where loopback hosts are accepted: %s → %s', (_, req, expected) => {
    expect(isSameOriginRequest(req, development)).toBe(expected);
  });
});
