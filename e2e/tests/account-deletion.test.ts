// Deleting the account in a real browser: a subscriber is sent to the billing portal first; a
// wrong password and a Recur outage say so and delete nothing; a deletion lands on the sign-in
// page with a notice, mails a confirmation, signs out every device and the password stops working.
import { afterEach, describe, expect, it } from 'vitest';
import { deletionText } from '../../server/mail/deletion-mail';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  admin,
  appPath,
  appText,
  emulatorPath,
  mailTo,
  newUser,
  payOnCheckout,
  recurText,
  signIn,
  signUp,
  siteNav,
  startCheckout,
  starterPlan,
  TEST_CARD_SUCCESS,
} from '../support/app';
import { setupBrowser } from '../support/browser';
import { expectNoSidewaysScroll } from '../support/layout';

const browser = setupBrowser();

afterEach(async () => {
  await admin.clearFaults();
});

const deleteCall = /\/trpc\/account\.delete\b/;

describe('deleting the account', () => {
  it('zh-TW: a subscriber is refused and sent to the billing portal', async () => {
    const { page } = await browser.open({
      locale: 'zh-TW',
      expectedFailures: [
        { status: 409, url: deleteCall, because: 'the subscription still gives access' },
      ],
    });
    const t = appText('zh-TW');
    const user = newUser('subscribed-leaver', '仍在訂閱的使用者');
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    await siteNav(page, 'zh-TW').getByRole('link', { name: t.nav.pricing }).click();
    await startCheckout(page, 'zh-TW');
    await payOnCheckout(page, 'zh-TW', TEST_CARD_SUCCESS, user.displayName);
    await page.waitForURL(appPath('/account?checkout=success'));
    await page
      .getByRole('region', { name: t.billing.title })
      .getByText(starterPlan.name['zh-TW'], { exact: true })
      .waitFor();

    const danger = page.getByRole('region', { name: t.danger.title });
    await danger.getByRole('button', { name: t.danger.start }).click();
    const password = danger.getByLabel(t.danger.password, { exact: true });
    expect(await password.evaluate((input) => input === document.activeElement)).toBe(true);
    await password.fill(user.password);
    await danger.getByRole('button', { name: t.danger.confirm }).click();
    await danger.getByRole('alert').filter({ hasText: t.danger.subscriptionActive }).waitFor();
    await expectKeyboardAccessible(page, 'danger zone, subscription active (zh-TW)');

    await danger.getByRole('button', { name: t.billing.manage }).click();
    await page.waitForURL(emulatorPath('/s/ps_[^/?]+'));
    await page.getByRole('heading', { name: recurText('zh-TW').portalTitle }).waitFor();
  });

  it('en: wrong password, Recur down, then deleted: notice, mail, signed out everywhere', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 403, url: deleteCall, because: 'a wrong password' },
        { status: 503, url: deleteCall, because: 'Recur answers 500' },
        { status: 401, url: /\/trpc\/auth\.signIn\b/, because: 'the account is gone' },
      ],
    });
    const t = appText('en');
    const user = newUser('leaver', 'Leaver');
    await page.goto('/sign-up');
    await signUp(page, user, 'en');
    const phone = await browser.open({ locale: 'en-US' });
    await phone.page.goto('/sign-in');
    await signIn(phone.page, user, 'en');
    await phone.page.waitForURL(appPath('/account'));

    const danger = page.getByRole('region', { name: t.danger.title });
    await danger.getByRole('button', { name: t.danger.start }).click();
    const password = danger.getByLabel(t.danger.password, { exact: true });
    const confirm = danger.getByRole('button', { name: t.danger.confirm });

    // A wrong password: said at the field.
    await password.fill('not my password');
    await confirm.click();
    await danger.getByText(t.danger.wrongPassword, { exact: true }).waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await expectKeyboardAccessible(page, 'danger zone, wrong password (en)');
    await expectNoSidewaysScroll(page, 375);

    // Recur cannot say whether a subscription is live: nothing is deleted.
    await admin.injectFault({ mode: 'server_error', path: '/v1/subscriptions', count: 1 });
    await password.fill(user.password);
    await confirm.click();
    await danger.getByRole('alert').filter({ hasText: t.danger.billingUnavailable }).waitFor();

    // Cancel puts the button back, with the focus on it.
    await danger.getByRole('button', { name: t.danger.cancel }).click();
    const start = danger.getByRole('button', { name: t.danger.start });
    expect(await start.evaluate((button) => button === document.activeElement)).toBe(true);

    // Deleted, by keyboard.
    await start.press('Enter');
    await password.fill(user.password);
    await password.press('Enter');
    await page.waitForURL(appPath('/sign-in?deleted=1'));
    await page.getByRole('status').filter({ hasText: t.danger.deleted }).waitFor();
    await page.getByRole('heading', { name: t.signIn.title }).waitFor();

    // The confirmation, newest in the mailbox.
    const [newest] = await mailTo(user.email, 2);
    await page.goto(newest ?? '');
    await page.getByRole('heading', { name: deletionText.en.subject }).waitFor();

    // The other device is signed out; the password no longer signs in.
    await phone.page.reload();
    await phone.page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await page.goto('/sign-in');
    await signIn(page, user, 'en');
    await page.getByRole('alert').filter({ hasText: t.errors.invalidCredentials }).waitFor();
  });

  it('zh-TW: deleted, with the notice and the mail in Chinese', async () => {
    const { page } = await browser.open({ locale: 'zh-TW' });
    const t = appText('zh-TW');
    const user = newUser('leaver-zh', '離開的使用者');
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    const danger = page.getByRole('region', { name: t.danger.title });
    await danger.getByRole('heading', { name: t.danger.heading }).waitFor();
    await danger.getByRole('button', { name: t.danger.start }).click();
    await danger.getByLabel(t.danger.password, { exact: true }).fill(user.password);
    await danger.getByRole('button', { name: t.danger.confirm }).click();
    await page.waitForURL(appPath('/sign-in?deleted=1'));
    await page.getByRole('status').filter({ hasText: t.danger.deleted }).waitFor();
    await expectKeyboardAccessible(page, 'sign-in after deletion (zh-TW)');
    const [newest] = await mailTo(user.email, 2);
    await page.goto(newest ?? '');
    await page.getByRole('heading', { name: deletionText['zh-TW'].subject }).waitFor();
  });
});
