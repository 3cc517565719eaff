// Recur is down when the user clicks "Manage billing": the page explains, stays usable, and
// "Try again" gets to the portal once Recur is back.
import { afterEach, describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  admin,
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

afterEach(async () => {
  await admin.clearFaults();
});

describe('Recur outage during Manage billing', () => {
  it('shows "temporarily unavailable" with a retry, and the retry reaches the portal once Recur is back', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        {
          status: 503,
          url: /\/trpc\/billing\.createPortalSession\b/,
          because: 'billing_unavailable while Recur answers 500',
        },
      ],
    });
    const t = appText('en');
    const r = recurText('en');
    const user = newUser('outage', 'Outage Tester');

    // A subscriber.
    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    await siteNav(page, 'en').getByRole('link', { name: t.nav.pricing }).click();
    await startCheckout(page, 'en');
    await payAndReturn(page, 'en', user.displayName);
    const subscription = page.getByRole('region', { name: t.billing.title });
    await subscription.getByText(starterPlan.name.en, { exact: true }).waitFor();

    // Recur's portal endpoint fails (every call, until cleared).
    await admin.injectFault({ mode: 'server_error', path: '/v1/portal/sessions', count: 1000 });
    const manage = subscription.getByRole('button', { name: t.billing.manage });
    await manage.click();
    const problem = subscription
      .getByRole('alert')
      .filter({ hasText: t.billing.errors.unavailable });
    await problem.waitFor();
    const retry = problem.getByRole('button', { name: t.billing.retry });
    await expectKeyboardAccessible(page, 'account, billing unavailable (en)');

    // Still usable: the plan is still shown, the button is back, and a retry that fails again
    // says so again (no crash, no stuck "Opening…").
    expect(await subscription.getByText(starterPlan.name.en, { exact: true }).count()).toBe(1);
    expect(await manage.isEnabled()).toBe(true);
    const failedAgain = page.waitForResponse(
      (response) =>
        /billing\.createPortalSession/.test(response.url()) && response.status() === 503,
    );
    await retry.focus();
    await page.keyboard.press('Enter');
    await failedAgain;
    await problem.waitFor();
    await manage.waitFor();
    expect(await manage.isEnabled()).toBe(true);

    // Recur is back: "Try again" opens the portal.
    await admin.clearFaults();
    await retry.click();
    await page.waitForURL(emulatorPath('/s/ps_[^/?]+'));
    await page.getByRole('heading', { name: r.portalTitle }).waitFor();
    await page.getByRole('link', { name: r.back }).click();
    await page.waitForURL(appPath('/account'));
    await subscription.getByText(starterPlan.name.en, { exact: true }).waitFor();
  });
});
