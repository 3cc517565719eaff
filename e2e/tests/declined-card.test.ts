// A declined test card: Recur's checkout page says so, and the account gets no subscription.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  appPath,
  appText,
  emulatorPath,
  newUser,
  payOnCheckout,
  recurCustomer,
  recurText,
  signUp,
  siteNav,
  startCheckout,
  TEST_CARD_DECLINED,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('checkout with a declined card', () => {
  it('shows the decline on the checkout page and the account still has no subscription', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 402, url: /\/checkout\/cs_[^/?]+$/, because: "Recur's card-declined page" },
      ],
    });
    const t = appText('en');
    const r = recurText('en');
    const user = newUser('declined', 'Declined Card');

    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    await siteNav(page, 'en').getByRole('link', { name: t.nav.pricing }).click();
    await page.waitForURL(appPath('/pricing'));
    await startCheckout(page, 'en');

    const answer = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && /\/checkout\/cs_/.test(response.url()),
    );
    await payOnCheckout(page, 'en', TEST_CARD_DECLINED, user.displayName);
    expect((await answer).status()).toBe(402);
    await page.getByRole('alert').filter({ hasText: r.cardDeclined }).waitFor();
    expect(page.url()).toMatch(emulatorPath('/checkout/cs_[^/?]+'));
    expect(await recurCustomer(user.email)).toMatchObject({
      customer: undefined,
      subscriptions: [],
    });

    // Giving up: the checkout's cancel link → pricing says nothing was charged.
    await page.getByRole('link', { name: r.cancelCheckout }).click();
    await page.waitForURL(appPath('/pricing?checkout=canceled'));
    await page.getByRole('status').filter({ hasText: t.pricing.checkoutCanceled }).waitFor();

    // The account: still no subscription, and no billing portal to open.
    await siteNav(page, 'en').getByRole('link', { name: t.nav.account }).click();
    await page.waitForURL(appPath('/account'));
    const subscription = page.getByRole('region', { name: t.billing.title });
    await subscription.getByText(t.billing.none).waitFor();
    await subscription.getByRole('link', { name: t.billing.seePlans }).waitFor();
    expect(await page.getByRole('button', { name: t.billing.manage }).count()).toBe(0);
    await expectKeyboardAccessible(page, 'account, no subscription (en)');
  });
});
