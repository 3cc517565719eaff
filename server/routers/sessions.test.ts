// Session cookies: sign-in rotates the session, `__Host-session` over HTTPS, and a browser that
// sends the cookie twice is neither signed out nor signed in to the wrong account.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { sessions } from '../../db/schema';
import { createTestClient, createTestDeps, testConfig } from '../../tests/support/test-app';
import { createTestDatabase } from '../../tests/support/test-database';
import { signedInClient, TEST_PASSWORD } from '../../tests/support/test-users';
import type { AppDeps } from '../trpc/context';

let database: Database;
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = createTestDeps(database);
});
afterAll(() => database.close());

const sessionExists = async (id: string | undefined) =>
  (await database.db.$count(sessions, eq(sessions.id, id ?? ''))) === 1;

describe('sign-in rotates the session', () => {
  it('ends the session the browser presented and issues a new one', async () => {
    const { client, email } = await signedInClient(deps);
    const before = client.cookieValue('session');
    await (await client.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const after = client.cookieValue('session');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await sessionExists(before)).toBe(false);
    expect(await sessionExists(after)).toBe(true);
  });

  it('ends a session planted before sign-in (session fixation), even another user’s', async () => {
    const { client: attacker } = await signedInClient(deps);
    const planted = attacker.cookieValue('session');
    const { email } = await signedInClient(deps);
    const victim = createTestClient(deps);
    victim.cookie = `session=${planted}`;
    await (await victim.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    expect(victim.cookieValue('session')).not.toBe(planted);
    expect(await sessionExists(planted)).toBe(false);
    expect(await (await victim.caller()).auth.me()).toMatchObject({ email });
  });

  it('does not end the sessions of other browsers', async () => {
    const { client: laptop, email } = await signedInClient(deps);
    const phone = createTestClient(deps);
    await (await phone.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    expect(await (await laptop.caller()).auth.me()).toMatchObject({ email });
  });
});

describe('the cookie over HTTPS', () => {
  it('is __Host-session: Secure, Path=/, no Domain', async () => {
    const secure = createTestDeps(database, {
      config: testConfig({ APP_URL: 'https://app.example.com' }),
    });
    const { client, email } = await signedInClient(secure);
    const setCookie = client.setCookies.find((c) => c.startsWith('__Host-session=')) ?? '';
    expect(setCookie).toMatch(/^__Host-session=[a-z0-9]+;/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(await (await client.caller()).auth.me()).toMatchObject({ email });
    // A plain `session` cookie means nothing there.
    const plain = createTestClient(secure);
    plain.cookie = `session=${client.cookieValue('__Host-session')}`;
    expect(await (await plain.caller()).auth.me()).toBeNull();
    // The sign-up cookie has the prefix too.
    expect(client.setCookies[0]).toMatch(/^__Host-signup=[^;]+; Path=\/; .*; Secure$/);
  });
});

describe('a session cookie sent twice', () => {
  const blanked = (client: ReturnType<typeof createTestClient>) =>
    client.setCookies.some((c) => /^session=;/.test(c));

  it.each([
    ['valid first', (id: string) => `session=${id}; session=junk0123`],
    ['valid last', (id: string) => `session=junk0123; session=${id}`],
    [
      'valid between malformed ones',
      (id: string) => `session=%zz; session=${id}; session=a\u0000b`,
    ],
    ['the same valid one twice', (id: string) => `session=${id}; other=1; session=${id}`],
  ])('%s: signed in, and the cookie is not cleared', async (_, header) => {
    const { client: owner, email } = await signedInClient(deps);
    const browser = createTestClient(deps);
    browser.cookie = header(owner.cookieValue('session') ?? '');
    expect(await (await browser.caller()).auth.me()).toMatchObject({ email });
    expect(blanked(browser)).toBe(false);
  });

  it('only junk: signed out, and the cookie is cleared', async () => {
    const browser = createTestClient(deps);
    browser.cookie = 'session=junk0123; session=morejunk';
    expect(await (await browser.caller()).auth.me()).toBeNull();
    expect(blanked(browser)).toBe(true);
  });

  it('two users’ sessions: neither is signed in, nothing is cleared, and sign-in ends both', async () => {
    const { client: first } = await signedInClient(deps);
    const { client: second, email } = await signedInClient(deps);
    const [a, b] = [first.cookieValue('session'), second.cookieValue('session')];
    const browser = createTestClient(deps);
    browser.cookie = `session=${a}; session=${b}`;
    expect(await (await browser.caller()).auth.me()).toBeNull();
    expect(blanked(browser)).toBe(false);

    await (await browser.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    expect(await sessionExists(a)).toBe(false);
    expect(await sessionExists(b)).toBe(false);
    expect(await (await browser.caller()).auth.me()).toMatchObject({ email });
  });

  it('a valid session behind four planted ones still counts, and decides against the planter', async () => {
    const { client: victim } = await signedInClient(deps);
    const { client: planter } = await signedInClient(deps);
    const junk = ['junk0001', 'junk0002', 'junk0003'].map((id) => `session=${id}`).join('; ');
    const browser = createTestClient(deps);
    browser.cookie = `session=${planter.cookieValue('session')}; ${junk}; session=${victim.cookieValue('session')}`;
    expect(await (await browser.caller()).auth.me()).toBeNull();
    expect(blanked(browser)).toBe(false);
  });

  it('more session cookies than a browser holds: signed out, and nothing is cleared', async () => {
    const { client: owner } = await signedInClient(deps);
    const planted = Array.from({ length: 16 }, (_, i) => `session=planted${i}`).join('; ');
    const browser = createTestClient(deps);
    browser.cookie = `${planted}; session=${owner.cookieValue('session')}`;
    expect(await (await browser.caller()).auth.me()).toBeNull();
    expect(blanked(browser)).toBe(false);
  });

  it('sign-out ends every session of the user the browser presented', async () => {
    const { client, email } = await signedInClient(deps);
    const first = client.cookieValue('session');
    const other = createTestClient(deps);
    await (await other.caller()).auth.signIn({ email, password: TEST_PASSWORD });
    const second = other.cookieValue('session');
    const browser = createTestClient(deps);
    browser.cookie = `session=${first}; session=${second}`;
    await (await browser.caller()).auth.signOut();
    expect(await sessionExists(first)).toBe(false);
    expect(await sessionExists(second)).toBe(false);
  });
});
