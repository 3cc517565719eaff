// The session ends in another tab: the next answer that says so (a query or a mutation, any
// page) signs this tab out too, and sign-in brings the person back to where they were.
import { describe, expect, it } from 'vitest';
import { appPath, appText, newUser, pageTitle, signIn, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('a session ended elsewhere', () => {
  it('sends every tab to sign-in with `next`, forgetting the user', async () => {
    const { context, page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 401, url: /\/trpc\/profile\.update\b/, because: 'saving after sign-out' },
        {
          status: 401,
          url: /\/trpc\/billing\.subscription\b/,
          because: 'the plan refetched after sign-out',
        },
        {
          status: 401,
          url: /\/trpc\/billing\.createCheckoutSession\b/,
          because: 'Subscribe after sign-out',
        },
      ],
    });
    const t = appText('en');
    const user = newUser('two.tabs', 'Two Tabs');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    const profile = page.getByRole('region', { name: t.account.profile });

    async function signOutInAnotherTab() {
      const other = await context.newPage();
      await other.goto('/account');
      await other.getByRole('button', { name: t.account.signOut }).click();
      await other.waitForURL(appPath('/sign-in'));
      await other.close();
    }

    // A mutation: saving the profile after the other tab signed out.
    await signOutInAnotherTab();
    await profile.getByLabel(t.profile.displayName, { exact: true }).fill('Nobody Saved This');
    await profile.getByRole('button', { name: t.profile.save }).click();
    await page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await page.getByRole('heading', { name: t.signIn.title }).waitFor();
    await expect.poll(() => page.title()).toBe(pageTitle('en', 'signIn'));
    // Signed out here too: the old account's address is gone, the header offers sign-in.
    expect(await page.getByText(user.email).count()).toBe(0);
    await page.getByRole('navigation').getByRole('link', { name: t.nav.signIn }).waitFor();
    // Sign in: back to the account, focus on its heading; nothing was saved.
    await signIn(page, user, 'en');
    await page.waitForURL(appPath('/account'));
    const heading = page.getByRole('heading', { level: 1, name: t.account.title });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await profile.getByLabel(t.profile.displayName, { exact: true }).inputValue()).toBe(
      user.displayName,
    );

    // A query: the plan, refetched when the tab is looked at again.
    await signOutInAnotherTab();
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await page.getByRole('heading', { name: t.signIn.title }).waitFor();
    expect(await page.getByText(user.email).count()).toBe(0);

    // Any page: Subscribe on pricing.
    await signIn(page, user, 'en');
    await page.waitForURL(appPath('/account'));
    await page.getByRole('region', { name: t.billing.title }).getByText(t.billing.none).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: t.nav.pricing }).click();
    await page.waitForURL(appPath('/pricing'));
    const subscribe = page.getByRole('button', { name: new RegExp(`^${t.pricing.subscribe}`) });
    await expect.poll(() => subscribe.first().isEnabled()).toBe(true);
    await signOutInAnotherTab();
    await subscribe.first().click();
    await page.waitForURL(appPath('/sign-in?next=%2Fpricing'));
    await page.getByRole('heading', { name: t.signIn.title }).waitFor();
    expect(await page.getByText(user.email).count()).toBe(0);
    await signIn(page, user, 'en');
    await page.waitForURL(appPath('/pricing'));
    await page.getByRole('heading', { level: 1, name: t.pricing.title }).waitFor();
  });
});
