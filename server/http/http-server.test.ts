import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { users } from '../../db/schema';
import { rawRequest } from '../../tests/hardening/support';
import { httpClient } from '../../tests/support/http';
import { createLogCollector, startTestApp } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import type { RunningApp } from '../app';
import { loggerWritingTo } from '../logging/logger';

let database: Database;
let app: RunningApp;
const logs = createLogCollector();
const password = 'a fine password';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database, { log: logs.log });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Signs up (which answers without a session) and signs in. */
async function signedUpClient(email: string) {
  const client = httpClient(app.url);
  const response = await client.call('/trpc/auth.signUp', { body: { email, password } });
  expect(response.status).toBe(200);
  expect((await client.call('/trpc/auth.signIn', { body: { email, password } })).status).toBe(200);
  return client;
}

describe('sessions over HTTP', () => {
  it('sign-in sets an HttpOnly, SameSite=Lax, Path=/ session cookie that me accepts', async () => {
    await signedUpClient('http-signin@example.com');
    const client = httpClient(app.url);
    const response = await client.call('/trpc/auth.signIn', {
      body: { email: 'http-signin@example.com', password },
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^session=[a-z0-9]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    const me = await client.call('/trpc/auth.me');
    expect(me.json.result.data.email).toBe('http-signin@example.com');
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('marks the cookie Secure when the app is served over HTTPS', async () => {
    const secureApp = await startTestApp(database, { env: { APP_URL: 'https://app.example.com' } });
    try {
      const client = httpClient(secureApp.url);
      const response = await client.call('/trpc/auth.signIn', {
        body: { email: 'http-signin@example.com', password },
      });
      expect(response.headers.get('set-cookie')).toMatch(/; Secure/i);
    } finally {
      await secureApp.close();
    }
  });

  it('sign-out clears the cookie and the old cookie is rejected afterwards', async () => {
    const client = await signedUpClient('http-signout@example.com');
    const oldCookie = client.cookie;
    const response = await client.call('/trpc/auth.signOut', { body: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/i);

    client.cookie = oldCookie;
    const me = await client.call('/trpc/auth.me');
    expect(me.json.result.data).toBeNull();
    const again = await client.call('/trpc/auth.signOut', { body: {} });
    expect(again.status).toBe(401);
  });
});

describe('cross-site requests', () => {
  it('refuses a cross-site JSON POST with 403 and changes nothing', async () => {
    const before = await database.db.$count(users);
    const response = await httpClient(app.url).call('/trpc/auth.signUp', {
      body: { email: 'csrf-json@example.com', password },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await database.db.$count(users)).toBe(before);
  });

  it('refuses a cross-site multipart POST (an HTML form on another site) with 403', async () => {
    const client = await signedUpClient('csrf-form@example.com');
    const form = new FormData();
    form.set('anything', 'x');
    const response = await fetch(new URL('/trpc/auth.signOut', app.url), {
      method: 'POST',
      body: form,
      headers: {
        cookie: client.cookie ?? '',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(response.status).toBe(403);
    const me = await client.call('/trpc/auth.me');
    expect(me.json.result.data.email).toBe('csrf-form@example.com');
  });

  it('refuses a same-site but cross-origin request and one with no Origin at all', async () => {
    const sameSite = await httpClient(app.url).call('/trpc/auth.signOut', {
      body: {},
      headers: { origin: 'https://sub.localhost', 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
    const noOrigin = await fetch(new URL('/trpc/auth.signOut', app.url), { method: 'POST' });
    expect(noOrigin.status).toBe(403);
  });

  it('accepts Sec-Fetch-Site: same-origin and an Origin matching the Host', async () => {
    const bySecFetch = await fetch(new URL('/trpc/auth.signIn', app.url), {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'http-signin@example.com', password }),
    });
    expect(bySecFetch.status).toBe(200);
  });
});

describe('GET requests to /trpc from elsewhere', () => {
  it.each([
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' }],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' }],
    ['a navigation', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }],
    ['an Origin of another site', { origin: 'https://evil.example' }],
  ])('refuses %s with 403', async (_, headers) => {
    // node:http, not fetch, which sets Sec-Fetch-Mode itself.
    const reply = await rawRequest(app.url, { path: '/trpc/auth.me', headers });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'cross_site_request' } });
  });

  it('accepts a fetch from a page of the app', async () => {
    const response = await fetch(new URL('/trpc/auth.me', app.url), {
      headers: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
    });
    expect(response.status).toBe(200);
  });

  it('does not apply the browser checks to the webhook, which is server to server', async () => {
    const response = await fetch(new URL('/api/webhooks/recur', app.url), {
      method: 'POST',
      body: '{}',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(401); // refused for its signature, not for where it came from
  });
});

describe('Host', () => {
  const withHost = (path: string, host: string, init: { method?: string; body?: string } = {}) =>
    rawRequest(app.url, { path, headers: { host }, ...init });

  it.each(['/trpc/auth.me', '/', '/account', '/api/webhooks/recur', '/api/nothing'])(
    'refuses a Host other than APP_URL or loopback with 421 before routing (%s)',
    async (path) => {
      const reply = await withHost(
        path,
        'evil.example',
        path.includes('webhooks') ? { method: 'POST', body: '{}' } : {},
      );
      expect(reply.status).toBe(421);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'misdirected_request' } });
    },
  );

  it('answers /healthz whatever the Host (load balancers probe instances by address)', async () => {
    const reply = await withHost('/healthz', '10.0.0.5:3000');
    expect(reply.status).toBe(200);
  });

  it('in production on a public APP_URL, accepts only its host and its exact origin', async () => {
    const production = await startTestApp(database, {
      env: {
        NODE_ENV: 'production',
        APP_URL: 'https://app.example.com',
        RECUR_SECRET_KEY: 'sk_test_not_called',
      },
    });
    try {
      const port = new URL(production.url).port;
      expect((await rawRequest(production.url, { path: '/trpc/auth.me' })).status).toBe(421);
      const loopback = await rawRequest(production.url, {
        path: '/trpc/auth.me',
        headers: { host: `localhost:${port}` },
      });
      expect(loopback.status).toBe(421);
      const own = await rawRequest(production.url, {
        path: '/trpc/auth.me',
        headers: { host: 'app.example.com' },
      });
      expect(own.status).toBe(200);
      expect(own.headers['strict-transport-security']).toMatch(/^max-age=\d{8,}/);

      const signIn = (origin: string) =>
        rawRequest(production.url, {
          method: 'POST',
          path: '/trpc/auth.signIn',
          headers: { host: 'app.example.com', origin, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'http-signin@example.com', password }),
        });
      expect((await signIn('https://app.example.com')).status).toBe(200);
      expect((await signIn('http://app.example.com')).status).toBe(403);
      expect((await signIn('https://app.example.com:8443')).status).toBe(403);
    } finally {
      await production.close();
    }
  });

  it('sends no Strict-Transport-Security over plain http', async () => {
    const response = await fetch(new URL('/healthz', app.url));
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the HTTP surface', () => {
  it('answers /healthz with 200 while the database answers', async () => {
    const response = await fetch(new URL('/healthz', app.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const response = await httpClient(app.url).call('/trpc/auth.signIn', {
      body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
  });

  it('answers unknown API routes and procedures with 404 and no stack trace', async () => {
    const api = await httpClient(app.url).call('/api/nothing-here');
    expect(api.status).toBe(404);
    const procedure = await httpClient(app.url).call('/trpc/auth.nothingHere', { body: {} });
    expect(procedure.status).toBe(404);
    expect(procedure.text).not.toMatch(/stack|at .*\.ts/);
  });

  it('logs one line per request with its id, without cookies or passwords', async () => {
    const client = await signedUpClient('http-logs@example.com');
    const me = await client.call('/trpc/auth.me');
    const requestId = me.headers.get('x-request-id') ?? 'none';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The test collector gets the readable format; production writes the same fields as JSON.
    const line = logs.lines.find((l) => l.includes(`reqId=${requestId}`));
    expect(line).toMatch(
      new RegExp(
        `INFO {2}GET /trpc/auth\\.me 200 \\d+\\.\\dms {2}reqId=${requestId} method=GET path=/trpc/auth\\.me status=200 ms=`,
      ),
    );
    const everything = logs.lines.join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(client.cookieValue('session') ?? 'no-cookie');
    expect(everything).not.toContain(client.cookieValue('signup') ?? 'no-cookie');
  });
});

describe('request ids', () => {
  it('makes one per request and ignores what the client sent without a trusted proxy', async () => {
    const first = await fetch(new URL('/healthz', app.url), {
      headers: { 'x-request-id': 'client-chosen' },
    });
    const second = await fetch(new URL('/healthz', app.url));
    const ids = [first, second].map((response) => response.headers.get('x-request-id'));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("keeps the proxy's X-Request-Id behind a trusted proxy, on every line of the request", async () => {
    const lines = createLogCollector();
    const secret = 'whsec_request_id_test';
    const proxied = await startTestApp(database, {
      env: { TRUST_PROXY: 'true', RECUR_WEBHOOK_SECRET: secret },
      logger: loggerWritingTo(lines.log, 'info', 'json'),
    });
    try {
      const body = JSON.stringify({
        id: 'evt_rid',
        type: 'x.unknown',
        timestamp: Date.now(),
        data: {},
      });
      const response = await fetch(new URL('/api/webhooks/recur', proxied.url), {
        method: 'POST',
        body,
        headers: {
          'x-request-id': 'proxy-id-123',
          'x-recur-signature': createHmac('sha256', secret).update(body).digest('base64'),
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('proxy-id-123');
      const entries = lines.lines.map((line) => JSON.parse(line));
      // The webhook code's own deps.log('webhook: …') line and the request line both carry it.
      expect(entries.find((e) => String(e.msg).startsWith('webhook: x.unknown'))).toMatchObject({
        reqId: 'proxy-id-123',
      });
      expect(entries.find((e) => e.path === '/api/webhooks/recur')).toMatchObject({
        reqId: 'proxy-id-123',
        status: 200,
      });
    } finally {
      await proxied.close();
    }
  });
});
