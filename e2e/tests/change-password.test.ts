// Changing the password on the account page in a real browser: a wrong current password is
// refused under its field; the change keeps this browser signed in, signs out the other one and
// mails a notice.
import { describe, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, newUser, signIn, signUp } from '../support/app';
import { setupBrowser } from '../support/browser';
import { mailsWithSubject, securityMail } from '../support/security';

const browser = setupBrowser();
const NEW_PASSWORD = 'copper kettle whistling softly';

describe('changing the password', () => {
  it('zh-TW: wrong current password refused; this browser stays signed in, the other is signed out', async () => {
    const t = appText('zh-TW');
    const user = newUser('changer', '換密碼的人');
    const { page } = await browser.open({
      locale: 'zh-TW',
      expectedFailures: [
        {
          status: 403,
          url: /\/trpc\/security\.changePassword\b/,
          because: 'a wrong current password',
        },
      ],
    });
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    const phone = await browser.open({ locale: 'zh-TW' });
    await phone.page.goto('/sign-in');
    await signIn(phone.page, user, 'zh-TW');
    await phone.page.waitForURL(appPath('/account'));

    const section = page.getByRole('region', { name: t.security.password, exact: true });
    await section.getByRole('heading', { name: t.security.password }).waitFor();
    await expectKeyboardAccessible(page, 'account with the security forms (zh-TW)');
    const current = section.getByLabel(t.security.currentPassword, { exact: true });
    const next = section.getByLabel(t.security.newPassword, { exact: true });
    await current.fill('not my password at all');
    await next.fill(NEW_PASSWORD);
    await section.getByRole('button', { name: t.security.changePassword }).click();
    await section.getByText(t.security.wrongPassword).waitFor();

    await current.fill(user.password);
    await next.fill(NEW_PASSWORD);
    await section.getByRole('button', { name: t.security.changePassword }).click();
    await section.getByRole('status').filter({ hasText: t.security.passwordChanged }).waitFor();

    // This browser keeps its session.
    await page.reload();
    await page.getByRole('heading', { name: t.account.title }).waitFor();
    // The other one lost its session; the new password signs it in again.
    await phone.page.goto('/account');
    await phone.page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await signIn(phone.page, { ...user, password: NEW_PASSWORD }, 'zh-TW');
    await phone.page.waitForURL(appPath('/account'));

    await mailsWithSubject(user.email, securityMail('zh-TW').changed.subject);
  });
});
