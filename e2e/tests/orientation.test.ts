// Knowing where you are: each page's own title in both languages, the current page marked in the
// navigation, focus moved to the new page's heading after a navigation (sign-in included) and to
// the problem after a form error, and a focus ring that stands out (3:1 or more).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  appPath,
  appText,
  type Locale,
  newUser,
  pageTitle,
  signIn,
  signUp,
  siteNav,
  submitSignUp,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('name') ?? el.textContent}` : null;
  });

/** WCAG's contrast ratio of two rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const cases: { locale: Locale; browserLocale: string }[] = [
  { locale: 'en', browserLocale: 'en-US' },
  { locale: 'zh-TW', browserLocale: 'zh-TW' },
];

describe('orientation', () => {
  it.each(cases)(
    '$locale: every page has its own title; the nav marks the current one',
    async ({ locale, browserLocale }) => {
      const { page } = await browser.open({ locale: browserLocale });
      const t = appText(locale);
      const nav = siteNav(page, locale);
      const current = () => nav.locator('[aria-current="page"]').allTextContents();
      const user = newUser(`titles.${locale.toLowerCase()}`, 'Title Reader');

      const visits = [
        ['/', 'home', t.home.headline],
        ['/pricing', 'pricing', t.pricing.title],
        ['/sign-in', 'signIn', t.signIn.title],
        ['/sign-up', 'signUp', t.signUp.title],
        ['/no-such-page', 'notFound', t.notFound.title],
      ] as const;
      const seen = new Set<string>();
      for (const [path, key, heading] of visits) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await expect.poll(() => page.title()).toBe(pageTitle(locale, key));
        seen.add(await page.title());
      }
      expect(seen.size).toBe(visits.length);
      if (locale === 'en') expect(pageTitle('en', 'pricing')).toBe('Pricing — Acme SaaS');

      // The navigation says where you are, by aria-current and by its look.
      await page.goto('/pricing');
      await page.getByRole('heading', { level: 1, name: t.pricing.title }).waitFor();
      expect(await current()).toEqual([t.nav.pricing]);
      const weight = (name: string) =>
        nav.getByRole('link', { name }).evaluate((el) => getComputedStyle(el).fontWeight);
      expect(Number(await weight(t.nav.pricing))).toBeGreaterThan(
        Number(await weight(t.nav.signIn)),
      );
      await nav.getByRole('link', { name: t.nav.signIn }).click();
      await page.waitForURL(appPath('/sign-in'));
      expect(await current()).toEqual([t.nav.signIn]);

      // Check your email, the confirmation link, the account.
      await page.goto('/sign-up');
      await submitSignUp(page, user, locale);
      await expect.poll(() => page.title()).toBe(pageTitle(locale, 'checkEmail'));
      await page.goto('/sign-in');
      await signIn(page, user, locale);
      await page.waitForURL(appPath('/account'));
      await expect.poll(() => page.title()).toBe(pageTitle(locale, 'account'));
      expect(await current()).toEqual([t.nav.account]);
      await page.getByText(t.billing.none).waitFor();
      await page.goto('/verify-email?token=not-a-real-one');
      await page.getByRole('heading', { name: t.verifyEmail.invalidTitle }).waitFor();
      await expect.poll(() => page.title()).toBe(pageTitle(locale, 'verifyEmail'));
    },
  );

  it('focus: on the problem after a form error, on the heading after a navigation', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 401, url: /\/trpc\/auth\.signIn\b/, because: 'a wrong password' },
      ],
    });
    const t = appText('en');
    const user = newUser('focus.keeper', 'Focus Keeper');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    await page.getByRole('button', { name: t.account.signOut }).click();
    await page.waitForURL(appPath('/sign-in'));

    // Nothing typed: both fields say what they need, focus on the first.
    const email = page.getByLabel(t.form.email, { exact: true });
    const password = page.getByLabel(t.form.password, { exact: true });
    const submit = page.getByRole('button', { name: t.signIn.submit, exact: true });
    await submit.click();
    await page.getByText(t.signInChecks.enterEmail).waitFor();
    await page.getByText(t.signInChecks.enterPassword).waitFor();
    expect(await page.getByText(t.errors.passwordLength).count()).toBe(0);
    expect(await focused(page)).toBe('input:email');

    // An address but no password: "enter your password", not the sign-up rule; focus there.
    await email.fill(user.email);
    await submit.click();
    await page.getByText(t.signInChecks.enterPassword).waitFor();
    expect(await page.getByText(t.signInChecks.enterEmail).count()).toBe(0);
    expect(await page.getByText(t.errors.passwordLength).count()).toBe(0);
    expect(await focused(page)).toBe('input:password');

    // A wrong password: focus on the message, which says so.
    await password.fill('not the password');
    await submit.click();
    await page.getByRole('alert').filter({ hasText: t.errors.invalidCredentials }).waitFor();
    expect(await focused(page)).toBe(`p:${t.errors.invalidCredentials}`);

    // The focus ring on a control reached by keyboard: 3 px, and 3:1 or more against the page.
    await password.focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`button:${t.signIn.submit}`);
    const ring = await submit.evaluate((el) => {
      const style = getComputedStyle(el);
      return { color: style.outlineColor, style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(ring.style).toBe('solid');
    expect(Number.parseFloat(ring.width)).toBeGreaterThanOrEqual(2);
    for (const background of ['rgb(255, 255, 255)', 'rgb(245, 247, 251)']) {
      expect(contrast(ring.color, background)).toBeGreaterThanOrEqual(3);
    }

    // Signed in: the account page, focus on its heading.
    await signIn(page, user, 'en');
    await page.waitForURL(appPath('/account'));
    await page.getByRole('heading', { level: 1, name: t.account.title }).waitFor();
    await expect.poll(() => focused(page)).toBe(`h1:${t.account.title}`);

    // A link in the navigation: focus on the new page's heading.
    await siteNav(page, 'en').getByRole('link', { name: t.nav.pricing }).click();
    await page.waitForURL(appPath('/pricing'));
    await expect.poll(() => focused(page)).toBe(`h1:${t.pricing.title}`);

    // A sign-up error from the server: focus on the field it is about.
    const other = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 400, url: /\/trpc\/auth\.signUp\b/, because: 'a malformed address' },
      ],
    });
    await other.page.goto('/sign-up');
    await other.page.getByLabel(t.form.email, { exact: true }).fill('not-an-address');
    await other.page.getByLabel(t.form.password, { exact: true }).fill(user.password);
    await other.page.getByRole('button', { name: t.signUp.submit, exact: true }).click();
    await other.page.getByText(t.errors.invalidEmail).waitFor();
    expect(await focused(other.page)).toBe('input:email');
  });
});
