// Password reset, password change and address change over real HTTP, with mail through SMTP_URL
// to a real SMTP server: the same bytes for a registered and an unknown address, an old session
// cookie that stops working, 429s with Retry-After, and no token, link or address in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { mailLinkIn } from '../support/account-security';
import { httpClient, signUpAndSignIn } from '../support/http';
import { createLogCollector, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { startTestMailbox, type TestMailbox } from '../support/test-mailbox';

const password = 'correct horse battery';
const newPassword = 'marble staircase in the rain';
let database: Database;
let mailbox: TestMailbox;
let app: RunningApp;
const logs = createLogCollector();
/** Every token mailed in this file: none may reach the log. */
const tokens: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  app = await startTestApp(database, {
    env: { SMTP_URL: mailbox.url, MAIL_FROM: 'no-reply@example.com', RATE_LIMIT_SCALE: '1' },
    log: logs.log,
  });
});
afterAll(async () => {
  await app.close();
  await mailbox.close();
  await database.close();
});

async function signedIn(email: string) {
  const browser = httpClient(app.url);
  await signUpAndSignIn(browser, { email, password, locale: 'en' });
  return browser;
}

async function secondBrowser(email: string, withPassword = password) {
  const browser = httpClient(app.url);
  const signIn = await browser.call('/trpc/auth.signIn', {
    body: { email, password: withPassword },
  });
  expect(signIn.status).toBe(200);
  return browser;
}

const me = async (browser: ReturnType<typeof httpClient>) =>
  (await browser.call('/trpc/auth.me')).json.result.data;

async function linkIn(to: string, subject: RegExp, path: string) {
  const { token } = mailLinkIn(await mailbox.waitFor(to, subject), path);
  tokens.push(token);
  return token;
}

describe('forgot password', () => {
  it('answers a registered and an unknown address byte for byte the same; only one gets mail', async () => {
    const registered = 'http-reset-known@example.com';
    await signedIn(registered);
    const answers = await Promise.all(
      [registered, 'http-reset-unknown@example.com'].map(async (email) => {
        const response = await httpClient(app.url).call('/trpc/security.requestPasswordReset', {
          body: { email },
        });
        return {
          status: response.status,
          body: response.text,
          setCookie: response.headers.getSetCookie(),
        };
      }),
    );
    expect(answers[0]).toEqual({ status: 200, body: answers[1]?.body, setCookie: [] });
    expect(answers[1]?.status).toBe(200);
    await linkIn(registered, /Reset your/, '/reset-password');
    await app.deps.mailer.idle();
    expect(mailbox.messages.filter((m) => m.to.includes('http-reset-unknown@example.com'))).toEqual(
      [],
    );
  });

  it('resets with the mailed link; every session ends and an old cookie stops working', async () => {
    const email = 'http-reset@example.com';
    const laptop = await signedIn(email);
    const phone = await secondBrowser(email);
    const asked = await httpClient(app.url).call('/trpc/security.requestPasswordReset', {
      body: { email },
    });
    expect(asked.status).toBe(200);
    const token = await linkIn(email, /Reset your/, '/reset-password');

    const resetter = httpClient(app.url);
    const checked = await resetter.call('/trpc/security.checkPasswordReset', { body: { token } });
    expect(checked.json.result.data).toEqual({ outcome: 'valid' });
    const reset = await resetter.call('/trpc/security.resetPassword', {
      body: { token, password: newPassword },
    });
    expect(reset.status).toBe(200);
    expect(reset.json.result.data).toEqual({ outcome: 'reset' });

    const stale = laptop.cookie;
    const answer = await laptop.call('/trpc/auth.me');
    expect(answer.json.result.data).toBeNull();
    expect(answer.headers.getSetCookie()[0]).toMatch(/^session=; .*Max-Age=0/);
    expect(await me(phone)).toBeNull();
    const replayed = httpClient(app.url);
    replayed.cookie = stale;
    expect(await me(replayed)).toBeNull();

    await secondBrowser(email, newPassword);
    await mailbox.waitFor(email, /password was changed/);
    const again = await resetter.call('/trpc/security.resetPassword', {
      body: { token, password: 'yet another long passphrase' },
    });
    expect(again.json.result.data).toEqual({ outcome: 'used' });
  });

  it('limits requests per address with 429 and Retry-After, registered or not', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await httpClient(app.url).call('/trpc/security.requestPasswordReset', {
        body: { email: 'http-reset-flood@example.com' },
      });
      expect(ok.status).toBe(200);
    }
    const refused = await httpClient(app.url).call('/trpc/security.requestPasswordReset', {
      body: { email: 'HTTP-reset-flood@example.com' },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.error.data).toMatchObject({ reason: 'rate_limited' });
  });
});

describe('changing the password', () => {
  it('refuses a wrong current password with 403, then keeps this session and ends the other', async () => {
    const email = 'http-change@example.com';
    const laptop = await signedIn(email);
    const phone = await secondBrowser(email);
    const wrong = await laptop.call('/trpc/security.changePassword', {
      body: { currentPassword: 'not it at all', password: newPassword },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.data).toMatchObject({ reason: 'wrong_password' });

    const changed = await laptop.call('/trpc/security.changePassword', {
      body: { currentPassword: password, password: newPassword },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.getSetCookie()).toEqual([]);
    expect(await me(laptop)).toMatchObject({ email });
    expect(await me(phone)).toBeNull();
    await mailbox.waitFor(email, /password was changed/);
  });

  it('limits guesses at the current password with 429 and Retry-After', async () => {
    const browser = await signedIn('http-change-guess@example.com');
    for (let i = 0; i < 5; i++) {
      const wrong = await browser.call('/trpc/security.changePassword', {
        body: { currentPassword: `guess ${i}`, password: newPassword },
      });
      expect(wrong.status).toBe(403);
    }
    const refused = await browser.call('/trpc/security.changePassword', {
      body: { currentPassword: password, password: newPassword },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(60);
  });
});

describe('changing the address', () => {
  it('takes effect with the link, tells the old address, and "this was not me" ends every session', async () => {
    const email = 'http-move-old@example.com';
    const moved = 'http-move-new@example.com';
    const laptop = await signedIn(email);
    const asked = await laptop.call('/trpc/security.requestEmailChange', {
      body: { currentPassword: password, email: moved },
    });
    expect(asked.json.result.data).toEqual({ sentTo: moved });
    expect(await me(laptop)).toMatchObject({ email });

    const token = await linkIn(moved, /Confirm your new email/, '/confirm-email-change');
    const confirmed = await httpClient(app.url).call('/trpc/security.confirmEmailChange', {
      body: { token },
    });
    expect(confirmed.json.result.data).toEqual({ outcome: 'changed', email: moved });
    expect(await me(laptop)).toMatchObject({ email: moved, emailVerified: true });

    const reportToken = await linkIn(email, /was changed/, '/report-email-change');
    const reported = await httpClient(app.url).call('/trpc/security.reportEmailChange', {
      body: { token: reportToken },
    });
    expect(reported.json.result.data).toEqual({ outcome: 'reported', restored: true });
    expect(await me(laptop)).toBeNull();
    // The password whoever changed the address knew no longer signs in: the owner resets it.
    const stopped = await httpClient(app.url).call('/trpc/auth.signIn', {
      body: { email, password },
    });
    expect(stopped.status).toBe(401);
  });
});

describe('the log', () => {
  it('holds no token, link or address', async () => {
    await app.deps.mailer.idle();
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    const log = logs.lines.join('\n');
    expect(log).toContain('POST /trpc/security.resetPassword 200');
    for (const token of tokens) expect(log).not.toContain(token);
    expect(log).not.toMatch(/token=|reset-password|confirm-email-change|report-email-change/);
    expect(log).not.toContain('@example.com');
  });
});
