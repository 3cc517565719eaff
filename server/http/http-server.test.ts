import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { users } from '../../db/schema';
import { httpClient } from '../../tests/support/http';
import { createLogCollector, startTestApp } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import type { RunningApp } from '../app';

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

async function signedUpClient(email: string) {
  const client = httpClient(app.url);
  const response = await client.call('/trpc/auth.signUp', { body: { email, password } });
  expect(response.status).toBe(200);
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

  it('logs one line per request, without cookies or passwords', async () => {
    const client = await signedUpClient('http-logs@example.com');
    await client.call('/trpc/auth.me');
    const line = logs.lines.find((l) => l.startsWith('GET /trpc/auth.me 200'));
    expect(line).toMatch(/^GET \/trpc\/auth\.me 200 \d+\.\dms$/);
    const everything = logs.lines.join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(client.cookie?.split('=')[1] ?? 'no-cookie');
  });
});
