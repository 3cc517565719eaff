// Signed-in devices in a real browser: another device shows up by its browser and system, can be
// signed out from the account page (it is signed out at once), and "sign out all other devices"
// ends the rest while this one stays; the section works by keyboard and at 375 px.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, newUser, signIn, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';
import { expectNoSidewaysScroll } from '../support/layout';

const browser = setupBrowser();

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('signed-in devices', () => {
  it('en: lists the other devices, signs one out, then all the others', async () => {
    const t = appText('en');
    const user = newUser('devices', 'Device Owner');
    const { page } = await browser.open({ locale: 'en-US' });
    await page.goto('/sign-up');
    await signUp(page, user, 'en');

    // Two more devices sign in.
    const laptop = await browser.open({ locale: 'en-US', userAgent: FIREFOX_WINDOWS });
    const phone = await browser.open({ locale: 'en-US', userAgent: SAFARI_IPHONE });
    for (const device of [laptop, phone]) {
      await device.page.goto('/sign-in');
      await signIn(device.page, user, 'en');
      await device.page.waitForURL(appPath('/account'));
    }

    await page.reload();
    const section = page.getByRole('region', { name: t.sessions.title });
    const firefox = t.sessions.device('Firefox 133', 'Windows');
    const safari = t.sessions.device('Safari 18', 'iOS 18.1');
    const items = section.getByRole('listitem');
    await items.filter({ hasText: firefox }).waitFor();
    await items.filter({ hasText: safari }).waitFor();
    expect(await items.count()).toBe(3);
    // This device first, named as Chromium is, with no sign-out button of its own.
    const current = items.first();
    expect(await current.getByText(t.sessions.thisDevice, { exact: true }).count()).toBe(1);
    expect(await current.getByRole('button').count()).toBe(0);
    expect(await current.textContent()).toMatch(/Chrome \d+ on Linux/);
    expect(await items.filter({ hasText: firefox }).textContent()).toMatch(
      /198\.51\.\d+\.\d+|2001:db8:/,
    );
    await expectKeyboardAccessible(page, 'account with three devices (en)');
    await expectNoSidewaysScroll(page, 375);

    // Sign out the Firefox laptop, by keyboard.
    await section.getByRole('button', { name: t.sessions.signOutDevice(firefox) }).focus();
    await page.keyboard.press('Enter');
    await section
      .getByRole('status')
      .filter({ hasText: t.sessions.signedOutDevice(firefox) })
      .waitFor();
    await expect.poll(() => items.count()).toBe(2);
    // The activity says so.
    const activity = page.getByRole('region', { name: t.activity.title });
    await activity
      .getByText(t.activity.events.sessionRevokedDevice(t.sessions.device('Firefox', 'Windows')))
      .waitFor();

    // The laptop is signed out at its next page load.
    await laptop.page.reload();
    await laptop.page.waitForURL(appPath('/sign-in?next=%2Faccount'));

    // Sign out every other device: the phone.
    await section.getByRole('button', { name: t.sessions.signOutOthers }).click();
    await section
      .getByRole('status')
      .filter({ hasText: t.sessions.signedOutOthers(1) })
      .waitFor();
    await expect.poll(() => items.count()).toBe(1);
    expect(await section.getByRole('button', { name: t.sessions.signOutOthers }).count()).toBe(0);
    await phone.page.reload();
    await phone.page.waitForURL(appPath('/sign-in?next=%2Faccount'));

    // This one is still signed in.
    await page.reload();
    await section.getByText(t.sessions.thisDevice, { exact: true }).waitFor();
  });

  it('zh-TW: the list in Chinese, and the other device signed out', async () => {
    const t = appText('zh-TW');
    const user = newUser('devices-zh', '裝置擁有者');
    const { page } = await browser.open({ locale: 'zh-TW' });
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    const phone = await browser.open({ locale: 'zh-TW', userAgent: SAFARI_IPHONE });
    await phone.page.goto('/sign-in');
    await signIn(phone.page, user, 'zh-TW');
    await phone.page.waitForURL(appPath('/account'));

    await page.reload();
    const section = page.getByRole('region', { name: t.sessions.title });
    const safari = t.sessions.device('Safari 18', 'iOS 18.1');
    await section.getByRole('listitem').filter({ hasText: safari }).waitFor();
    await section.getByText(t.sessions.thisDevice, { exact: true }).waitFor();
    await section.getByRole('button', { name: t.sessions.signOutOthers }).click();
    await section
      .getByRole('status')
      .filter({ hasText: t.sessions.signedOutOthers(1) })
      .waitFor();
    await expectNoSidewaysScroll(page, 375);
    await phone.page.reload();
    await phone.page.waitForURL(appPath('/sign-in?next=%2Faccount'));
  });
});
