// The whole life of a subscription, in a real browser, in both languages: sign up → pricing →
// Recur checkout (test card) → webhook links the customer → account shows the plan → Manage
// billing → Recur portal → cancel at period end → back to the account, which says until when.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  appPath,
  appText,
  billingDate,
  emulatorPath,
  expectHtmlLang,
  type Locale,
  newUser,
  pageTitle,
  payAndReturn,
  recurCustomer,
  recurText,
  saveScreenshot,
  signUp,
  siteNav,
  startCheckout,
  starterPlan,
} from '../support/app';
import { e2e, setupBrowser } from '../support/browser';
import { PHONE, sidewaysOverflow } from '../support/phone';

const browser = setupBrowser();
const DESKTOP = { width: 1200, height: 900 };

const cases: {
  locale: Locale;
  how: string;
  browserLocale: string;
  switchTo?: Locale;
  user: ReturnType<typeof newUser>;
}[] = [
  {
    locale: 'zh-TW',
    how: 'the browser language',
    browserLocale: 'zh-TW',
    user: newUser('mei.lin', '林美玲'),
  },
  {
    locale: 'en',
    how: 'the language switch',
    // A Chinese browser: the first page is in Chinese until the user switches.
    browserLocale: 'zh-TW',
    switchTo: 'en',
    user: newUser('alex.chen', 'Alex Chen'),
  },
];

describe('subscription lifecycle', () => {
  it.each(cases)(
    '$locale (chosen by $how): subscribe, manage billing, cancel at period end',
    async ({ locale, browserLocale, switchTo, user }) => {
      const { page } = await browser.open({ locale: browserLocale });
      const t = appText(locale);
      const r = recurText(locale);

      // Sign in page, in the browser's language first.
      await page.goto('/account');
      await page.waitForURL(appPath('/sign-in?next=%2Faccount'));
      await page.getByRole('heading', { name: appText('zh-TW').signIn.title }).waitFor();
      await expectHtmlLang(page, 'zh-TW');
      if (switchTo) {
        await page
          .getByRole('combobox', { name: appText('zh-TW').language.label })
          .selectOption(switchTo);
      }
      await expectHtmlLang(page, locale);
      await page.getByRole('heading', { name: t.signIn.title }).waitFor();
      await expectKeyboardAccessible(page, `sign-in (${locale})`);

      // Sign up: a new account, in that language.
      await siteNav(page, locale).getByRole('link', { name: t.nav.signUp }).click();
      await page.waitForURL(appPath('/sign-up'));
      await page.getByRole('heading', { name: t.signUp.title }).waitFor();
      await expectKeyboardAccessible(page, `sign-up (${locale})`);
      await signUp(page, user, locale);
      await page.getByText(t.billing.none).waitFor();
      await expect.poll(() => page.title()).toBe(pageTitle(locale, 'account'));

      // Pricing: the catalogue in this language.
      await siteNav(page, locale).getByRole('link', { name: t.nav.pricing }).click();
      await page.waitForURL(appPath('/pricing'));
      await page.getByRole('heading', { name: t.pricing.title }).waitFor();
      await page.getByRole('heading', { name: starterPlan.name[locale] }).waitFor();
      await expectKeyboardAccessible(page, `pricing (${locale})`);
      await saveScreenshot(page, `pricing.${locale}.png`);
      await page.setViewportSize(PHONE);
      expect(await sidewaysOverflow(page)).toBe(0);
      await saveScreenshot(page, `pricing.${locale}.375.png`);
      await page.setViewportSize(DESKTOP);

      // Recur's hosted checkout, in the browser's language (the app names none: no public source
      // documents a checkout locale), with the account's email locked in.
      const checkoutLocale = browserLocale as Locale;
      const rc = recurText(checkoutLocale);
      await startCheckout(page, locale, checkoutLocale);
      await expectHtmlLang(page, rc.htmlLang);
      const email = page.getByLabel(rc.email, { exact: true });
      expect(await email.inputValue()).toBe(user.email);
      expect(await email.getAttribute('readonly')).not.toBeNull();
      await payAndReturn(page, checkoutLocale, user.displayName);

      // Back on the account: welcome notice, then (once the webhook has linked the customer)
      // the plan and its status; "it can take a few seconds" only until the plan is there.
      await expectHtmlLang(page, locale);
      const welcome = page.getByRole('status').filter({ hasText: t.billing.welcome });
      await welcome.waitFor();
      const subscription = page.getByRole('region', { name: t.billing.title });
      await subscription.getByText(starterPlan.name[locale], { exact: true }).waitFor();
      await expect.poll(() => welcome.textContent()).toBe(t.billing.welcome);
      // The welcome is for the return from checkout only: not after a reload.
      expect(page.url()).toMatch(appPath('/account'));
      await page.reload();
      await subscription.getByText(starterPlan.name[locale], { exact: true }).waitFor();
      expect(await page.getByText(t.billing.welcome).count()).toBe(0);
      await expect
        .poll(() => subscription.locator('.badge').textContent())
        .toBe(t.billing.statuses.active);
      const recur = await recurCustomer(user.email);
      expect(recur.subscriptions).toHaveLength(1);
      const [sub] = recur.subscriptions;
      if (!sub) throw new Error('no subscription in the emulator');
      expect(sub).toMatchObject({ status: 'active', canceledAt: null });
      await subscription
        .getByText(t.billing.renewsOn(billingDate(sub.currentPeriodEnd, locale)))
        .waitFor();
      await expectKeyboardAccessible(page, `account, subscribed (${locale})`);
      // Recur's checkout.completed webhook reached the app, which accepted it.
      await expect
        .poll(async () => {
          const { webhooks } = await recurCustomer(user.email);
          return webhooks
            .filter((w) => w.type === 'checkout.completed' && w.url?.startsWith(e2e.appUrl))
            .filter((w) => JSON.parse(w.body).data.customer_email === user.email)
            .map((w) => w.status);
        })
        .toEqual(['delivered']);

      // Manage billing → Recur's portal (same language) → cancel at period end.
      await subscription.getByRole('button', { name: t.billing.manage }).click();
      await page.waitForURL(emulatorPath('/s/ps_[^/?]+'));
      await expectHtmlLang(page, r.htmlLang);
      await page.getByRole('heading', { name: r.portalTitle }).waitFor();
      await page.getByRole('button', { name: r.cancelAtPeriodEnd }).click();
      await page.waitForURL(emulatorPath('/s/ps_[^/?]+/manage\\?notice=.*'));
      await page.getByRole('status').filter({ hasText: r.noticeCancelled }).waitFor();
      await page.getByRole('button', { name: r.resume }).waitFor();

      // The portal's return link → the account, which now tells until when access lasts.
      await page.getByRole('link', { name: r.back }).click();
      await page.waitForURL(appPath('/account'));
      await expectHtmlLang(page, locale);
      const until = billingDate(sub.currentPeriodEnd, locale);
      await page
        .getByRole('status')
        .filter({ hasText: t.billing.canceledUntil(until) })
        .waitFor();
      expect(await subscription.locator('.badge').textContent()).toBe(t.billing.statuses.canceled);
      expect(await subscription.getByText(starterPlan.name[locale], { exact: true }).count()).toBe(
        1,
      );
      expect(await page.getByText(t.billing.welcome).count()).toBe(0);
      expect((await recurCustomer(user.email)).subscriptions[0]?.canceledAt).toEqual(
        expect.any(Number),
      );
      await expectKeyboardAccessible(page, `account, canceled (${locale})`);
      await saveScreenshot(page, `account.${locale}.png`, { fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await sidewaysOverflow(page)).toBe(0);
      await saveScreenshot(page, `account.${locale}.375.png`, { fullPage: true });
    },
  );
});
