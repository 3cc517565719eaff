// "Subscribe" while Recur is down or asks to slow down: the page says why, keeps working, and
// gets to the checkout once Recur answers again; a rate limit counts down Recur's own wait.
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  admin,
  appPath,
  appText,
  emulatorPath,
  newUser,
  proPlan,
  recurText,
  signUp,
  siteNav,
  starterPlan,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

/** Recur's hosted checkout (in whichever language Recur chose: this test is about the app). */
async function onRecurCheckout(page: Page): Promise<void> {
  await page.waitForURL(emulatorPath('/checkout/cs_[^/?]+'));
  const titles = [recurText('en').checkoutTitle, recurText('zh-TW').checkoutTitle];
  await page.getByRole('heading', { name: new RegExp(`^(${titles.join('|')})$`) }).waitFor();
}

afterEach(async () => {
  await admin.clearFaults();
});

describe('Recur trouble during Subscribe', () => {
  it('explains, retries, and counts down a rate limit before allowing the retry', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        {
          status: 503,
          url: /\/trpc\/billing\.createCheckoutSession\b/,
          because: 'billing_unavailable while Recur answers 500',
        },
        {
          status: 429,
          url: /\/trpc\/billing\.createCheckoutSession\b/,
          because: 'Recur answers 429 with Retry-After: 1',
        },
      ],
    });
    const t = appText('en');
    const user = newUser('checkout.outage', 'Checkout Outage');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    await siteNav(page, 'en').getByRole('link', { name: t.nav.pricing }).click();
    await page.waitForURL(appPath('/pricing'));
    const subscribe = page.getByRole('button', {
      name: `${t.pricing.subscribe} — ${starterPlan.name.en}`,
    });

    // Recur is down: the reason, a retry, and a page that still works.
    await admin.injectFault({ mode: 'server_error', path: '/v1/checkout/sessions', count: 1000 });
    await subscribe.click();
    const down = page.getByRole('alert').filter({ hasText: t.billing.errors.unavailable });
    await down.waitFor();
    const retry = down.getByRole('button', { name: t.billing.retry });
    await expectKeyboardAccessible(page, 'pricing, billing unavailable (en)');
    expect(await subscribe.isEnabled()).toBe(true);
    const failedAgain = page.waitForResponse(
      (response) =>
        /billing\.createCheckoutSession/.test(response.url()) && response.status() === 503,
    );
    await retry.focus();
    await page.keyboard.press('Enter');
    await failedAgain;
    await down.waitFor();

    // Back: the retry reaches Recur's checkout.
    await admin.clearFaults();
    await retry.click();
    await onRecurCheckout(page);
    await page.goBack();
    await page.waitForURL(appPath('/pricing'));
    await expect.poll(() => subscribe.isEnabled()).toBe(true);

    // Recur asks to wait one second: the page says one second (not a minute), counts down,
    // then offers the retry, which reaches the checkout. (Pro: the Starter checkout just opened
    // is offered again without asking Recur.)
    const subscribePro = page.getByRole('button', {
      name: `${t.pricing.subscribe} — ${proPlan.name.en}`,
    });
    await admin.injectFault({ mode: 'rate_limit', path: '/v1/checkout/sessions', count: 1 });
    await subscribePro.click();
    const limited = page.getByRole('alert').filter({ hasText: t.errors.rateLimited(1) });
    await limited.waitFor();
    expect(await subscribePro.isDisabled()).toBe(true);
    expect(await limited.getByRole('button').count()).toBe(0);
    const ready = page.getByRole('alert').filter({ hasText: t.rateLimit.ready });
    await ready.waitFor();
    expect(await limited.count()).toBe(0);
    expect(await subscribePro.isEnabled()).toBe(true);
    await expectKeyboardAccessible(page, 'pricing, after a rate limit (en)');
    await ready.getByRole('button', { name: t.billing.retry }).click();
    await onRecurCheckout(page);
  });
});
