// Every page on a 375 px phone, in both languages: nothing wider than the window (a long email
// address wraps), a compact header whose links fold into a menu, and touch targets 44 px tall.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  appPath,
  appText,
  type Locale,
  newUser,
  openMailLink,
  saveScreenshot,
  signIn,
  siteNav,
  submitSignUp,
} from '../support/app';
import { setupBrowser } from '../support/browser';
import { expectFitsPhone, PHONE } from '../support/phone';

const browser = setupBrowser();

const cases: { locale: Locale; browserLocale: string }[] = [
  { locale: 'en', browserLocale: 'en-US' },
  { locale: 'zh-TW', browserLocale: 'zh-TW' },
];

describe('a 375 px phone', () => {
  it.each(cases)(
    '$locale: every page fits, with a compact header',
    async ({ locale, browserLocale }) => {
      const { page } = await browser.open({ locale: browserLocale, viewport: PHONE });
      const t = appText(locale);
      // An address with no place to break: it must wrap anyway.
      const user = newUser(
        `a.rather.long.address.that.has.to.wrap.on.a.phone.${locale.toLowerCase()}`,
        'Phone Person',
      );
      const heading = (name: string) => page.getByRole('heading', { name, level: 1 }).waitFor();

      // Home: the header is one row, its links behind Menu.
      await page.goto('/');
      await heading(t.home.headline);
      await expectFitsPhone(page, `home (${locale})`);
      const header = await page.locator('.site-header').boundingBox();
      expect(header?.height, 'header height').toBeLessThanOrEqual(60);
      const menu = page.getByRole('button', { name: t.header.menu });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await siteNav(page, locale).isVisible()).toBe(false);
      await saveScreenshot(page, `home.${locale}.375.png`);

      // The menu: open, every link and the language 44 px tall; Escape closes it.
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await siteNav(page, locale).getByRole('link', { name: t.nav.signIn }).waitFor();
      await expectFitsPhone(page, `home, menu open (${locale})`);
      await expectKeyboardAccessible(page, `home, menu open (${locale})`);
      await menu.focus();
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      // Following a link closes it.
      await menu.click();
      await siteNav(page, locale).getByRole('link', { name: t.nav.pricing }).click();
      await page.waitForURL(appPath('/pricing'));
      await heading(t.pricing.title);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await page.getByRole('link', { name: t.pricing.signInToSubscribe }).first().waitFor();
      await expectFitsPhone(page, `pricing, signed out (${locale})`);

      await page.goto('/sign-in');
      await heading(t.signIn.title);
      await expectFitsPhone(page, `sign-in (${locale})`);

      await page.goto('/no-such-page');
      await heading(t.notFound.title);
      await expectFitsPhone(page, `not found (${locale})`);

      await page.goto('/sign-up');
      await heading(t.signUp.title);
      await expectFitsPhone(page, `sign-up (${locale})`);
      await submitSignUp(page, user, locale);
      await page.getByText(t.checkEmail.sent(user.email)).waitFor();
      await expectFitsPhone(page, `check your email (${locale})`);

      // Signed in before confirming: the notice names the long address.
      await page.goto('/sign-in');
      await signIn(page, user, locale);
      await page.waitForURL(appPath('/account'));
      await page.getByRole('region', { name: t.emailBanner.label }).waitFor();
      await page.getByRole('region', { name: t.billing.title }).getByText(t.billing.none).waitFor();
      await expectFitsPhone(page, `account, unconfirmed (${locale})`);

      await openMailLink(page, user.email, t.mail.verifyButton);
      await page.waitForURL(appPath('/verify-email'));
      await heading(t.verifyEmail.verifiedTitle);
      await expectFitsPhone(page, `email confirmed (${locale})`);

      await page.goto('/account');
      await page.getByRole('region', { name: t.billing.title }).getByText(t.billing.none).waitFor();
      const email = page.getByRole('region', { name: t.account.profile }).getByText(user.email);
      await email.waitFor();
      await expectFitsPhone(page, `account (${locale})`);
      // The address wraps inside its card instead of pushing the page wider.
      const box = await email.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
      expect(box?.height ?? 0).toBeGreaterThan(30);

      await page.goto('/pricing');
      await heading(t.pricing.title);
      await page
        .getByRole('button', { name: new RegExp(`^${t.pricing.subscribe}`) })
        .first()
        .waitFor();
      await expectFitsPhone(page, `pricing, signed in (${locale})`);

      await page.goto('/');
      await page.getByRole('link', { name: t.home.goToAccount }).waitFor();
      await expectFitsPhone(page, `home, signed in (${locale})`);
    },
  );
});
