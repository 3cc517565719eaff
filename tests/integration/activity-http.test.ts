// The account's activity over real HTTP: a failed sign-in on a registered address answers exactly
// as one on an unknown address and is recorded on that account; pages follow the cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { httpClient, signUpAndSignIn } from '../support/http';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const password = 'correct horse battery';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

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

const listPath = (input: object) =>
  `/trpc/activity.list?input=${encodeURIComponent(JSON.stringify(input))}`;

describe('activity over HTTP', () => {
  it('a failed sign-in: the same answer as for an unknown address, recorded on the account', async () => {
    const owner = httpClient(app.url);
    await signUpAndSignIn(owner, { email: 'watched@example.com', password });

    const attempt = (email: string) =>
      httpClient(app.url).call('/trpc/auth.signIn', {
        body: { email, password: 'a wrong password here' },
        headers: { 'user-agent': FIREFOX_LINUX },
      });
    const registered = await attempt('watched@example.com');
    const unknown = await attempt('not-registered@example.com');
    expect(registered.status).toBe(401);
    expect(registered.text).toBe(unknown.text);
    expect(registered.headers.getSetCookie()).toEqual(unknown.headers.getSetCookie());

    const response = await owner.call(listPath({}));
    expect(response.status).toBe(200);
    const { items, nextCursor } = response.json.result.data;
    expect(nextCursor).toBeNull();
    expect(items.map((item: { kind: string }) => item.kind)).toEqual(['sign_in_failed', 'sign_in']);
    expect(items[0]).toMatchObject({
      ip: '127.0.0.1',
      browser: { name: 'Firefox', version: '133' },
      os: { name: 'Linux' },
    });
  });

  it('pages by cursor: sign-ins and sign-outs, newest first', async () => {
    const email = 'pages@example.com';
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email, password });
    for (let i = 0; i < 2; i++) {
      await browser.call('/trpc/auth.signOut', { body: {} });
      await browser.call('/trpc/auth.signIn', { body: { email, password } });
    }
    // sign_in, sign_out, sign_in, sign_out, sign_in: pages of two.
    const kinds: string[][] = [];
    let cursor: number | null | undefined;
    do {
      const page = (await browser.call(listPath({ limit: 2, cursor }))).json.result.data;
      kinds.push(page.items.map((item: { kind: string }) => item.kind));
      cursor = page.nextCursor;
    } while (cursor);
    expect(kinds).toEqual([['sign_in', 'sign_out'], ['sign_in', 'sign_out'], ['sign_in']]);
  });

  it('answers 401 signed out and 400 for a limit over 50', async () => {
    expect((await httpClient(app.url).call(listPath({}))).status).toBe(401);
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email: 'limits@example.com', password });
    const response = await browser.call(listPath({ limit: 51 }));
    expect(response.status).toBe(400);
    expect(response.json.error.data.reason).toBe('invalid_input');
  });
});
