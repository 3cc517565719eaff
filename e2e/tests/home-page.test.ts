// The public home page at `/`: what the product is, the plans from billing.plans, the way in;
// a signed-in visitor gets a link to their account.
import { describe, expect, it } from 'vitest';
import { formatTwd } from '../../client/format';
import { planCatalogue } from '../../server/billing/plan-catalogue';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  appPath,
  appText,
  expectHtmlLang,
  type Locale,
  newUser,
  pageTitle,
  saveScreenshot,
  signUp,
  siteNav,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

const cases: { locale: Locale; browserLocale: string }[] = [
  { locale: 'en', browserLocale: 'en-US' },
  { locale: 'zh-TW', browserLocale: 'zh-TW' },
];

describe('home page', () => {
  it.each(cases)(
    '$locale: says what the product is, shows the plans, leads in',
    async ({ locale, browserLocale }) => {
      const { page } = await browser.open({ locale: browserLocale });
      const t = appText(locale);

      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: t.home.headline }).waitFor();
      expect(page.url()).toMatch(appPath('/'));
      await expectHtmlLang(page, locale);
      await expect.poll(() => page.title()).toBe(pageTitle(locale, 'home'));
      await page.getByText(t.home.lead).waitFor();

      // Every plan of the catalogue, by the name Recur knows it by, with its price.
      const plans = page.getByRole('region', { name: t.home.plansTitle });
      for (const plan of planCatalogue) {
        const card = plans
          .getByRole('listitem')
          .filter({ has: page.getByRole('heading', { name: plan.name[locale], exact: true }) });
        await card.getByText(formatTwd(plan.priceTwd, locale)).waitFor();
        for (const feature of plan.features[locale]) await card.getByText(feature).waitFor();
      }
      // The brand link is this page.
      expect(await page.getByRole('link', { name: t.appName }).getAttribute('aria-current')).toBe(
        'page',
      );
      await expectKeyboardAccessible(page, `home (${locale})`);
      await saveScreenshot(page, `home.${locale}.png`);

      // The way in.
      const main = page.getByRole('main');
      await main.getByRole('link', { name: t.home.getStarted }).click();
      await page.waitForURL(appPath('/sign-up'));
      await page.getByRole('heading', { name: t.signUp.title }).waitFor();
      await page.goBack();
      await main.getByRole('link', { name: t.home.signIn, exact: true }).click();
      await page.waitForURL(appPath('/sign-in'));
      await page.goBack();
      await main.getByRole('link', { name: t.home.comparePlans }).click();
      await page.waitForURL(appPath('/pricing'));
    },
  );

  it('signed in: the home page stays, with a link to the account', async () => {
    const { page } = await browser.open({ locale: 'en-US' });
    const t = appText('en');
    const user = newUser('home.visitor', 'Home Visitor');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');

    await page.getByRole('link', { name: t.appName }).click();
    await page.waitForURL(appPath('/'));
    await page.getByText(t.home.signedInAs(user.displayName)).waitFor();
    expect(
      await page.getByRole('main').getByRole('link', { name: t.home.getStarted }).count(),
    ).toBe(0);
    await expectKeyboardAccessible(page, 'home, signed in (en)');
    await page.getByRole('link', { name: t.home.goToAccount }).click();
    await page.waitForURL(appPath('/account'));
    await page.getByRole('heading', { name: t.account.title }).waitFor();
    expect(
      await siteNav(page, 'en')
        .getByRole('link', { name: t.nav.account })
        .getAttribute('aria-current'),
    ).toBe('page');
  });
});
