// Signed-in devices over real HTTP: the User-Agent header and the address reach the list, another
// user's session cannot be ended, and "sign out other sessions" makes their cookies worthless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { httpClient, signUpAndSignIn } from '../support/http';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const password = 'correct horse battery';
const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

let database: Database;
let app: RunningApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** A browser that sends `userAgent` with every request. */
function browserWith(userAgent: string) {
  const browser = httpClient(app.url);
  const call = browser.call;
  return Object.assign(browser, {
    call: (path: string, init: Parameters<typeof call>[1] = {}) =>
      call(path, { ...init, headers: { 'user-agent': userAgent, ...init.headers } }),
  });
}

async function signInAs(email: string, userAgent: string) {
  const browser = browserWith(userAgent);
  const response = await browser.call('/trpc/auth.signIn', { body: { email, password } });
  expect(response.status).toBe(200);
  return browser;
}

describe('sessions over HTTP', () => {
  it('lists each device by its User-Agent, with the address and times', async () => {
    const email = 'devices@example.com';
    const laptop = browserWith(EDGE_WINDOWS);
    await signUpAndSignIn(laptop, { email, password });
    await signInAs(email, SAFARI_IPAD);

    const response = await laptop.call('/trpc/sessions.list');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const list = response.json.result.data;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      current: true,
      browser: { name: 'Edge', version: '131' },
      os: { name: 'Windows' },
      ip: '127.0.0.1',
    });
    expect(list[1]).toMatchObject({
      current: false,
      browser: { name: 'Safari', version: '17' },
      os: { name: 'iPadOS', version: '17.4' },
    });
    expect(response.text).not.toContain(laptop.cookieValue('session'));
  });

  it("answers another user's session id exactly as an unknown one, and it keeps working", async () => {
    const victim = browserWith(EDGE_WINDOWS);
    await signUpAndSignIn(victim, { email: 'victim@example.com', password });
    const attacker = browserWith(EDGE_WINDOWS);
    await signUpAndSignIn(attacker, { email: 'attacker@example.com', password });
    const victimId = (await victim.call('/trpc/sessions.list')).json.result.data[0].id;

    const foreign = await attacker.call('/trpc/sessions.revoke', { body: { id: victimId } });
    const unknown = await attacker.call('/trpc/sessions.revoke', {
      body: { id: '0'.repeat(32) },
    });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.json.error.data.reason).toBe('session_not_found');
    expect(foreign.json.error.message).toBe(unknown.json.error.message);
    expect((await victim.call('/trpc/auth.me')).json.result.data.email).toBe('victim@example.com');
    // Nor does the list ever show it to the attacker.
    const attackerList = (await attacker.call('/trpc/sessions.list')).json.result.data;
    expect(attackerList.map((s: { id: string }) => s.id)).not.toContain(victimId);
  });

  it('revokeOthers keeps this session; the other cookies get 401 and are cleared', async () => {
    const email = 'others@example.com';
    const laptop = browserWith(EDGE_WINDOWS);
    await signUpAndSignIn(laptop, { email, password });
    const tablet = await signInAs(email, SAFARI_IPAD);
    const phone = await signInAs(email, SAFARI_IPAD);
    const oldCookies = [tablet.cookie, phone.cookie];

    const response = await laptop.call('/trpc/sessions.revokeOthers', { body: {} });
    expect(response.status).toBe(200);
    expect(response.json.result.data).toEqual({ count: 2 });

    for (const cookie of oldCookies) {
      const stale = httpClient(app.url);
      stale.cookie = cookie;
      const answer = await stale.call('/trpc/sessions.list');
      expect(answer.status).toBe(401);
      expect(answer.headers.getSetCookie().some((c) => /^session=;/.test(c))).toBe(true);
    }
    const list = (await laptop.call('/trpc/sessions.list')).json.result.data;
    expect(list).toHaveLength(1);
    expect(list[0].current).toBe(true);
  });

  it('refuses a cross-site request to end sessions', async () => {
    const browser = browserWith(EDGE_WINDOWS);
    await signUpAndSignIn(browser, { email: 'cross-site@example.com', password });
    const response = await browser.call('/trpc/sessions.revokeOthers', {
      body: {},
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });
});
