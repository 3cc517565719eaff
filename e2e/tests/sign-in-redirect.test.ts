// Signed out, /account leads to the sign-in page, and signing in leads back to /account.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, newUser, signIn, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('signed-out visit to /account', () => {
  it('lands on sign-in and returns to /account after signing in', async () => {
    const t = appText('zh-TW');
    const user = newUser('returning', '回訪使用者');

    // Someone with an account, who signs out.
    const first = await browser.open({ locale: 'zh-TW' });
    await first.page.goto('/sign-up');
    await signUp(first.page, user, 'zh-TW');
    await first.page.getByRole('button', { name: t.account.signOut }).click();
    await first.page.waitForURL(appPath('/sign-in'));
    await first.page.getByRole('heading', { name: t.signIn.title }).waitFor();
    await first.page.goto('/account');
    await first.page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await first.page.getByRole('heading', { name: t.signIn.title }).waitFor();

    // A fresh browser: no session at all.
    const { page } = await browser.open({ locale: 'zh-TW' });
    await page.goto('/pricing');
    await page.getByRole('link', { name: t.pricing.signInToSubscribe }).first().waitFor();
    await expectKeyboardAccessible(page, 'pricing, signed out (zh-TW)');
    await page.goto('/account');
    await page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await page.getByRole('heading', { name: t.signIn.title }).waitFor();
    expect(await page.getByRole('heading', { name: t.account.title }).count()).toBe(0);

    await signIn(page, user, 'zh-TW');
    await page.waitForURL(appPath('/account'));
    const profile = page.getByRole('region', { name: t.account.profile });
    await profile.getByText(user.email, { exact: true }).waitFor();
    expect(await profile.getByLabel(t.profile.displayName, { exact: true }).inputValue()).toBe(
      user.displayName,
    );
  });
});
