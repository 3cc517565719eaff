// The account page's layout and its Profile section: display name and language saved to the
// account, the email shown, errors that say what to fix and put focus there.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, expectHtmlLang, newUser, pageTitle, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('account page', () => {
  it('has its sections in order, and the profile can be changed', async () => {
    const { page } = await browser.open({ locale: 'en-US' });
    const en = appText('en');
    const zh = appText('zh-TW');
    const user = newUser('profile.editor', 'Alex Profile');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');

    // Sections, in order, each with a heading and an "on this page" link to its anchor.
    const headings = page.locator('main h2');
    const sections = [
      en.account.profile,
      en.accountPage.sections.security,
      en.accountPage.sections.billing,
      en.activity.title,
      en.danger.title,
    ];
    expect(await headings.allTextContents()).toEqual(sections);
    const onThisPage = page.getByRole('navigation', { name: en.accountPage.onThisPage });
    expect(await onThisPage.getByRole('link').allTextContents()).toEqual(sections);
    await onThisPage.getByRole('link', { name: en.accountPage.sections.billing }).click();
    await page.waitForURL(appPath('/account#billing'));
    await page.getByRole('region', { name: en.accountPage.sections.billing }).waitFor();

    // The profile: the email shown, name and language editable.
    const profile = page.getByRole('region', { name: en.account.profile });
    await profile.getByText(user.email, { exact: true }).waitFor();
    const name = profile.getByLabel(en.profile.displayName, { exact: true });
    expect(await name.inputValue()).toBe(user.displayName);
    await expectKeyboardAccessible(page, 'account (en)');

    // An empty name: said, and focus on the field.
    await name.fill('   ');
    await profile.getByRole('button', { name: en.profile.save }).click();
    await profile.getByText(en.profile.displayNameRequired).waitFor();
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    // A new name and Chinese: saved, and the page follows the new language at once.
    await name.fill('  林小明  ');
    await profile
      .getByLabel(en.profile.language, { exact: true })
      .selectOption({ label: en.language['zh-TW'] });
    await profile.getByRole('button', { name: en.profile.save }).click();
    await expectHtmlLang(page, 'zh-TW');
    const zhProfile = page.getByRole('region', { name: zh.account.profile });
    await zhProfile.getByRole('status').filter({ hasText: zh.profile.saved }).waitFor();
    await expect.poll(() => page.title()).toBe(pageTitle('zh-TW', 'account'));
    await expectKeyboardAccessible(page, 'account (zh-TW)');

    // Kept on the account: after a reload too.
    await page.reload();
    await expectHtmlLang(page, 'zh-TW');
    expect(await zhProfile.getByLabel(zh.profile.displayName, { exact: true }).inputValue()).toBe(
      '林小明',
    );
    expect(await zhProfile.getByLabel(zh.profile.language, { exact: true }).inputValue()).toBe(
      'zh-TW',
    );
    expect(await page.getByRole('status').filter({ hasText: zh.profile.saved }).count()).toBe(0);
  });
});
