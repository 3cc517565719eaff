// Account mail over real HTTP: the app sends through SMTP_URL to a real SMTP server (the test's
// own), the link from the mail verifies and signs in, limits answer 429 with Retry-After, and the
// dev mailbox exists only without SMTP_URL and only for a local APP_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { httpClient, signUpAndSignIn } from '../support/http';
import { createLogCollector, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { startTestMailbox, type TestMailbox, verificationLinkIn } from '../support/test-mailbox';

const password = 'correct horse battery';
let database: Database;
let mailbox: TestMailbox;
let app: RunningApp;
const logs = createLogCollector();

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  // Credentials in the URL, as a mail provider's would be: they must never reach the log.
  const smtpUrl = mailbox.url.replace('smtp://', 'smtp://mailer:smtp-secret-99@');
  app = await startTestApp(database, {
    env: {
      SMTP_URL: smtpUrl,
      MAIL_FROM: 'Acme SaaS <no-reply@example.com>',
      RATE_LIMIT_SCALE: '1',
    },
    log: logs.log,
  });
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await database.close();
});

describe('with SMTP_URL', () => {
  it('mails the link; opening it in the same browser verifies and signs in', async () => {
    const browser = httpClient(app.url);
    const signUp = await browser.call('/trpc/auth.signUp', {
      body: { email: 'http-verify@example.com', password, locale: 'en' },
    });
    expect(signUp.status).toBe(200);
    expect(signUp.json.result.data).toEqual({ ok: true });
    const mail = await mailbox.waitFor('http-verify@example.com', 'Confirm your email');
    expect(mail.from).toBe('"Acme SaaS" <no-reply@example.com>');
    const { link, token } = verificationLinkIn(mail);
    expect(link.startsWith(`${app.deps.config.appUrl}/verify-email?token=`)).toBe(true);

    // The page itself is the SPA; the page calls verifyEmail with the token.
    const verified = await browser.call('/trpc/auth.verifyEmail', { body: { token } });
    expect(verified.json.result.data).toEqual({ outcome: 'verified', signedIn: true });
    const me = await browser.call('/trpc/auth.me');
    expect(me.json.result.data).toMatchObject({
      email: 'http-verify@example.com',
      emailVerified: true,
    });
    const again = await httpClient(app.url).call('/trpc/auth.verifyEmail', { body: { token } });
    expect(again.json.result.data).toEqual({ outcome: 'used', signedIn: false });
  });

  it('answers a registered address byte for byte as a new one', async () => {
    const taken = 'http-taken@example.com';
    await httpClient(app.url).call('/trpc/auth.signUp', { body: { email: taken, password } });
    const answers = await Promise.all(
      [taken, 'http-new@example.com'].map(async (email) => {
        const response = await httpClient(app.url).call('/trpc/auth.signUp', {
          body: { email, password },
        });
        const setCookie = response.headers
          .getSetCookie()
          .map((c) => c.replace(/=[A-Za-z0-9_-]{43};/, '=<secret>;'));
        return { status: response.status, body: response.text, setCookie };
      }),
    );
    expect(answers[0]).toEqual(answers[1]);
    await mailbox.waitFor(taken, '有人嘗試'); // in the owner's language (zh-TW by default)
  });

  it('limits resends per user with 429 and Retry-After', async () => {
    const browser = httpClient(app.url);
    await signUpAndSignIn(browser, { email: 'http-resend@example.com', password });
    for (let i = 0; i < 5; i++) {
      expect((await browser.call('/trpc/auth.resendVerification', { body: {} })).status).toBe(200);
    }
    const refused = await browser.call('/trpc/auth.resendVerification', { body: {} });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.error.data).toMatchObject({ reason: 'rate_limited' });
  });

  it('refuses a weak password with 400 weak_password and zxcvbn’s reasons', async () => {
    const response = await httpClient(app.url).call('/trpc/auth.signUp', {
      body: { email: 'http-weak@example.com', password: 'password123' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.data).toMatchObject({
      reason: 'weak_password',
      passwordFeedback: { warning: 'common', suggestions: ['anotherWord'] },
    });
    expect(response.json.error.message).toContain('This is a commonly used password.');
  });

  it('has no dev mailbox', async () => {
    for (const path of ['/dev/mailbox', '/dev/mailbox/1']) {
      expect((await fetch(new URL(path, app.url))).status).toBe(404);
    }
  });

  it('logs where mail goes, never the SMTP credentials, a token or an address', async () => {
    await app.deps.mailer.idle();
    const log = logs.lines.join('\n');
    expect(log).toContain(`Mail: sending through ${mailbox.url} (SMTP_URL)`);
    expect(log).not.toContain('smtp-secret-99');
    expect(log).not.toContain('mailer:');
    expect(log).not.toMatch(/token=|verify-email/);
    expect(log).not.toContain('@example.com');
  });
});

describe('with an https APP_URL', () => {
  let secureApp: RunningApp;
  beforeAll(async () => {
    secureApp = await startTestApp(database, {
      env: {
        APP_URL: 'https://app.example.com',
        SMTP_URL: mailbox.url,
        MAIL_FROM: 'a@example.com',
      },
    });
    await httpClient(secureApp.url).call('/trpc/auth.signUp', {
      body: { email: 'https-user@example.com', password },
    });
  });
  afterAll(() => secureApp.close());

  const signIn = () =>
    fetch(new URL('/trpc/auth.signIn', secureApp.url), {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'https-user@example.com', password }),
    });

  it('names the cookie __Host-session: Secure, Path=/, no Domain', async () => {
    const response = await signIn();
    expect(response.status).toBe(200);
    const [setCookie = ''] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Host-session=[a-z0-9]+; /);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain/i);
  });

  it.each([
    ['valid, junk', (id: string) => `__Host-session=${id}; __Host-session=junk0123`],
    ['junk, valid', (id: string) => `__Host-session=junk0123; __Host-session=${id}`],
  ])('a duplicated cookie (%s) keeps the user signed in and sets no cookie', async (_, cookie) => {
    const id = /^__Host-session=([a-z0-9]+);/.exec(
      (await signIn()).headers.getSetCookie()[0] ?? '',
    )?.[1];
    const me = await fetch(new URL('/trpc/auth.me', secureApp.url), {
      headers: { cookie: cookie(id ?? '') },
    });
    expect((await me.json()).result.data).toMatchObject({ email: 'https-user@example.com' });
    expect(me.headers.getSetCookie()).toEqual([]);
  });

  it('clears a junk-only cookie with the same attributes', async () => {
    const me = await fetch(new URL('/trpc/auth.me', secureApp.url), {
      headers: { cookie: '__Host-session=junk0123' },
    });
    expect(me.headers.getSetCookie()[0]).toMatch(/^__Host-session=; .*Max-Age=0.*; Secure/);
  });
});

describe('the dev mailbox (no SMTP_URL)', () => {
  let devApp: RunningApp;
  const devLogs = createLogCollector();
  beforeAll(async () => {
    devApp = await startTestApp(database, { log: devLogs.log });
  });
  afterAll(() => devApp.close());

  it('shows the mail sent, with its HTML in a sandboxed frame and its links clickable', async () => {
    expect(devLogs.lines.join('\n')).toContain(
      `Mail: no SMTP_URL set, so mail stays on this machine: read it at ${devApp.deps.config.appUrl}/dev/mailbox`,
    );
    await httpClient(devApp.url).call('/trpc/auth.signUp', {
      body: { email: 'dev-mailbox@example.com', password, locale: 'en' },
    });
    await devApp.deps.mailer.idle();
    const list = await fetch(new URL('/dev/mailbox', devApp.url));
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.headers.get('x-frame-options')).toBe('DENY');
    const csp = list.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    const listHtml = await list.text();
    expect(listHtml).toContain('dev-mailbox@example.com');
    const href = /href="(\/dev\/mailbox\/\d+)">Confirm your email/.exec(listHtml)?.[1];
    expect(href).toBeDefined();

    const message = await fetch(new URL(href ?? '', devApp.url));
    const html = await message.text();
    expect(message.headers.get('content-security-policy')).toBe(csp);
    expect(html).toMatch(
      /<iframe title="HTML version of the message" sandbox="allow-top-navigation-by-user-activation[^"]*" srcdoc="&lt;base target=&quot;_top&quot;&gt;/,
    );
    expect(html).not.toMatch(/<iframe[^>]*allow-scripts/);
    const token = devApp.mail.catcher
      ?.messages()
      .at(-1)
      ?.text.match(/token=([A-Za-z0-9_-]{43})/)?.[1];
    const link = `${devApp.deps.config.appUrl}/verify-email?token=${token}`;
    expect(html).toContain(`<a href="${link}">${link}</a>`);
  });

  it('answers 404 for an unknown message and 405 for a POST', async () => {
    expect((await fetch(new URL('/dev/mailbox/999999', devApp.url))).status).toBe(404);
    expect((await fetch(new URL('/dev/mailbox/abc', devApp.url))).status).toBe(404);
    const post = await fetch(new URL('/dev/mailbox', devApp.url), { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('does not exist when APP_URL is not this machine', async () => {
    const publicApp = await startTestApp(database, {
      env: { APP_URL: 'https://app.example.com' },
      log: devLogs.log,
    });
    try {
      const response = await fetch(new URL('/dev/mailbox', publicApp.url));
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(devLogs.lines.join('\n')).toContain('mail is kept in memory where nobody can read it');
    } finally {
      await publicApp.close();
    }
  });
});
