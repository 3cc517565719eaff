// Pressing Back on Recur's checkout or portal page. Real browsers restore the app's page from
// the back/forward cache exactly as it was left ("Going to checkout…", buttons disabled); it
// must be usable again.
import type { Page } from 'playwright-core';
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

const browser = setupBrowser({ backForwardCache: true });

/** Back to the previous page, which must come from the back/forward cache (not a reload). */
async function backFromCache(page: Page): Promise<void> {
  await page.goBack({ waitUntil: 'commit' });
  await expect
    .poll(
      () => page.evaluate(() => (window as unknown as { e2eRestored?: number }).e2eRestored ?? 0),
      { message: 'restored from the back/forward cache' },
    )
    .toBeGreaterThan(0);
}

describe('Back from Recur', () => {
  it('leaves pricing and the account page usable', async () => {
    const { context, page } = await browser.open({ locale: 'en-US' });
    await context.addInitScript(() => {
      window.addEventListener('pageshow', (event) => {
        const w = window as unknown as { e2eRestored?: number };
        if (event.persisted) w.e2eRestored = (w.e2eRestored ?? 0) + 1;
      });
    });
    const t = appText('en');
    const r = recurText('en');
    const user = newUser('back.button', 'Back Button');

    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    await siteNav(page, 'en').getByRole('link', { name: t.nav.pricing }).click();
    await startCheckout(page, 'en');

    // Back from the checkout: the Subscribe buttons work again.
    await backFromCache(page);
    expect(page.url()).toMatch(appPath('/pricing'));
    const starter = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: starterPlan.name.en }) })
      .getByRole('button');
    await expect.poll(() => starter.textContent()).toBe(`${t.pricing.subscribe} — Starter`);
    await expect.poll(() => starter.isEnabled()).toBe(true);
    await startCheckout(page, 'en');
    await payAndReturn(page, 'en', user.displayName);
    const subscription = page.getByRole('region', { name: t.billing.title });
    await subscription.getByText(starterPlan.name.en, { exact: true }).waitFor();

    // Back from the portal: "Manage billing" works again (and opens a fresh portal session).
    const manage = subscription.getByRole('button', { name: t.billing.manage });
    await manage.click();
    await page.waitForURL(emulatorPath('/s/ps_[^/?]+'));
    const firstPortal = page.url();
    await backFromCache(page);
    expect(page.url()).toMatch(appPath('/account'));
    const button = subscription.getByRole('button');
    await expect.poll(() => button.textContent()).toBe(t.billing.manage);
    await expect.poll(() => button.isEnabled()).toBe(true);
    await manage.click();
    await page.waitForURL(emulatorPath('/s/ps_[^/?]+'));
    expect(page.url()).not.toBe(firstPortal);
    await page.getByRole('heading', { name: r.portalTitle }).waitFor();
  });
});
