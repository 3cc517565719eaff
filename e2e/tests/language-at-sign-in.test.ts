// Which language wins at sign-in: one picked on this visit (or, on a first visit, the browser's)
// over the account's saved one, which it then becomes; otherwise the account's.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appPath, appText, expectHtmlLang, newUser, signIn, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

/** A browser that remembers Chinese from an earlier visit. */
async function remembersChinese(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    if (!localStorage.getItem('locale')) localStorage.setItem('locale', 'zh-TW');
  });
}

describe('language at sign-in', () => {
  it('keeps the language of this visit and saves it; else follows the account', async () => {
    const en = appText('en');
    const zh = appText('zh-TW');
    const user = newUser('language.precedence', '語言測試');

    // An account made in Chinese.
    const first = await browser.open({ locale: 'zh-TW' });
    await first.page.goto('/sign-up');
    await signUp(first.page, user, 'zh-TW');

    // An English visitor, first visit: stays in English, and the account is English now.
    const english = await browser.open({ locale: 'en-US' });
    await english.page.goto('/sign-in');
    await expectHtmlLang(english.page, 'en');
    await signIn(english.page, user, 'en');
    await english.page.waitForURL(appPath('/account'));
    await english.page.getByRole('heading', { name: en.account.title }).waitFor();
    await expectHtmlLang(english.page, 'en');
    const profile = english.page.getByRole('region', { name: en.account.profile });
    expect(await profile.getByLabel(en.profile.language, { exact: true }).inputValue()).toBe('en');

    // A browser that remembers Chinese, nothing picked: the account's English wins.
    const returning = await browser.open({ locale: 'zh-TW' });
    await remembersChinese(returning.context);
    await returning.page.goto('/sign-in');
    await expectHtmlLang(returning.page, 'zh-TW');
    await signIn(returning.page, user, 'zh-TW');
    await returning.page.waitForURL(appPath('/account'));
    await returning.page.getByRole('heading', { name: en.account.title }).waitFor();
    await expectHtmlLang(returning.page, 'en');

    // The same kind of browser, the visitor picks Chinese before signing in: Chinese wins and is
    // saved, so the English tab follows the account when it next asks.
    const picking = await browser.open({ locale: 'en-US' });
    await remembersChinese(picking.context);
    await picking.page.goto('/sign-in');
    await expectHtmlLang(picking.page, 'zh-TW');
    await picking.page
      .getByRole('combobox', { name: zh.language.label })
      .selectOption({ label: en.language.en });
    await expectHtmlLang(picking.page, 'en');
    await picking.page
      .getByRole('combobox', { name: en.language.label })
      .selectOption({ label: en.language['zh-TW'] });
    await expectHtmlLang(picking.page, 'zh-TW');
    await signIn(picking.page, user, 'zh-TW');
    await picking.page.waitForURL(appPath('/account'));
    await picking.page.getByRole('heading', { name: zh.account.title }).waitFor();
    await expectHtmlLang(picking.page, 'zh-TW');
    await english.page.reload();
    await english.page.getByRole('heading', { name: zh.account.title }).waitFor();
    await expectHtmlLang(english.page, 'zh-TW');
  });
});
