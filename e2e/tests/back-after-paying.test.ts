// Back after paying: Recur's checkout page is spent, and its "cancel" link leads to pricing with
// ?checkout=canceled. The person has a subscription, so pricing says that, not "canceled".
import { describe, expect, it } from 'vitest';
import {
  appPath,
  appText,
  emulatorPath,
  newUser,
  payAndReturn,
  recurText,
  signUp,
  siteNav,
  startCheckout,
  starterPlan,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('Back after paying', () => {
  it('leads to pricing, which shows the subscription and no "checkout canceled"', async () => {
    const { page } = await browser.open({
      locale: 'zh-TW',
      expectedFailures: [
        { status: 410, url: /\/checkout\/cs_[^/?]+$/, because: "Recur's spent checkout page" },
      ],
    });
    const t = appText('zh-TW');
    const r = recurText('zh-TW');
    const user = newUser('back.after.paying', '付款後返回');
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    await siteNav(page, 'zh-TW').getByRole('link', { name: t.nav.pricing }).click();
    await startCheckout(page, 'zh-TW');
    await payAndReturn(page, 'zh-TW', user.displayName);
    const subscription = page.getByRole('region', { name: t.billing.title });
    await subscription.getByText(starterPlan.name['zh-TW'], { exact: true }).waitFor();

    await page.goBack();
    await page.waitForURL(emulatorPath('/checkout/cs_[^/?]+'));
    await page.getByRole('link', { name: r.cancelCheckout }).click();
    await page.waitForURL(appPath('/pricing?checkout=canceled'));
    await page.getByRole('status').filter({ hasText: t.pricing.subscribedNote }).waitFor();
    expect(await page.getByText(t.pricing.checkoutCanceled).count()).toBe(0);
    expect(
      await page.getByRole('button', { name: new RegExp(`^${t.pricing.subscribe}`) }).count(),
    ).toBe(0);
    await page.getByText(t.pricing.currentPlan).waitFor();
  });
});
