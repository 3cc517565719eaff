// The account's activity in a real browser (zh-TW): signing up and confirming the address are
// there, failed sign-ins by someone else are listed on the account while that person learns
// nothing, times are in the browser's time zone, and "Load more" pages on to the end.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { appText, newUser, signIn, signUp } from '../support/app';
import { e2e, setupBrowser } from '../support/browser';
import { expectNoSidewaysScroll } from '../support/layout';

const browser = setupBrowser();

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** A failed sign-in from another address (TEST-NET-1), as a script elsewhere would send it. */
async function wrongPasswordFrom(ip: string, email: string): Promise<number> {
  const response = await fetch(`${e2e.appUrl}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { origin: e2e.appUrl, 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password: 'guessing-a-password' }),
  });
  return response.status;
}

describe('account activity', () => {
  it('zh-TW: sign-up, failed sign-ins by someone else, local times, Load more', async () => {
    const t = appText('zh-TW');
    const events = t.activity.events;
    const user = newUser('activity', '活動紀錄使用者');
    // A zone other than the test machine's (UTC on CI), so a time shown in UTC would fail.
    const zone = 'Asia/Taipei';
    const { page } = await browser.open({ locale: 'zh-TW', timezoneId: zone });
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');

    const section = page.getByRole('region', { name: t.activity.title });
    const entries = section.getByRole('listitem');
    await entries.filter({ hasText: events.signInWithLink }).waitFor();
    expect(await entries.allInnerTexts()).toEqual([
      expect.stringContaining(events.signInWithLink),
      expect.stringContaining(events.email_verified),
    ]);
    await section.getByText(t.activity.timeZone(zone)).waitFor();

    // Someone else tries the password in their browser: told only what an unknown address gets.
    const stranger = await browser.open({
      locale: 'zh-TW',
      userAgent: FIREFOX_WINDOWS,
      expectedFailures: [
        { status: 401, url: /\/trpc\/auth\.signIn\b/, because: 'a wrong password' },
      ],
    });
    await stranger.page.goto('/sign-in');
    await signIn(stranger.page, { ...user, password: 'guessing-a-password' }, 'zh-TW');
    await stranger.page
      .getByRole('alert')
      .filter({ hasText: t.errors.invalidCredentials })
      .waitFor();
    // And from ten other addresses.
    for (let i = 1; i <= 10; i++)
      expect(await wrongPasswordFrom(`192.0.2.${i}`, user.email)).toBe(401);

    // Thirteen events: ten on the first page, newest first.
    await page.reload();
    await expect.poll(() => entries.count()).toBe(10);
    const texts = await entries.allInnerTexts();
    expect(texts.every((text) => text.includes(events.sign_in_failed))).toBe(true);
    expect(texts[0]).toContain('192.0.2.10');

    // Each time as the browser's clock shows it, in its own zone.
    const first = entries.first().locator('time');
    const iso = (await first.getAttribute('datetime')) ?? '';
    const local = new Intl.DateTimeFormat('zh-TW', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: zone,
    }).format(new Date(iso));
    expect(await first.textContent()).toBe(local);
    const utc = new Intl.DateTimeFormat('zh-TW', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(iso));
    expect(local).not.toBe(utc);

    await expectKeyboardAccessible(page, 'account with activity (zh-TW)');
    await expectNoSidewaysScroll(page, 375);

    // Load more, by keyboard: the stranger's attempt (with its browser), then the sign-up.
    const more = section.getByRole('button', { name: t.activity.loadMore });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => entries.count()).toBe(13);
    const rest = (await entries.allInnerTexts()).slice(10);
    expect(rest[0]).toContain(events.sign_in_failed);
    expect(rest[0]).toContain(t.sessions.device('Firefox 133', 'Windows'));
    expect(rest[1]).toContain(events.signInWithLink);
    expect(rest[2]).toContain(events.email_verified);
    expect(await more.count()).toBe(0);
  });
});
