// Changing the address in a real browser, mail read in the dev mailbox: nothing changes until the
// link sent to the new address is followed; the old address is told and "this was not me" signs
// every browser out and gives the address back; a registered address gets the same answer.
import { describe, expect, it } from 'vitest';
import { emailInUseText } from '../../server/mail/security-mails';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, newUser, signIn, signUp } from '../support/app';
import { e2e, setupBrowser } from '../support/browser';
import { followMailLink, mailsWithSubject, securityMail } from '../support/security';

const browser = setupBrowser();
const NEW_PASSWORD = 'lantern over the quiet harbour';

describe('changing the address', () => {
  it('en: the new address takes effect with its link; "this was not me" undoes it', async () => {
    const t = appText('en');
    const mail = securityMail('en');
    const user = newUser('mover', 'Mover');
    const newEmail = newUser('mover-new', '').email;
    const { page } = await browser.open({ locale: 'en-US' });
    await page.goto('/sign-up');
    await signUp(page, user, 'en');

    const section = page.getByRole('region', { name: t.security.email, exact: true });
    await section.getByText(t.security.currentEmail(user.email)).waitFor();
    await section.getByLabel(t.security.newEmail, { exact: true }).fill(newEmail);
    await section.getByLabel(t.security.currentPassword, { exact: true }).fill(user.password);
    await section.getByRole('button', { name: t.security.changeEmail }).click();
    await section
      .getByRole('status')
      .filter({ hasText: t.security.emailChangeSent(newEmail, user.email) })
      .waitFor();
    await page.reload();
    await section.getByText(t.security.currentEmail(user.email)).waitFor();

    // The link in the mail to the new address, opened in another, signed-out browser.
    const other = await browser.open({ locale: 'en-US' });
    await followMailLink(other.page, newEmail, mail.confirmAddress);
    await other.page.getByRole('heading', { name: t.emailChange.changedTitle }).waitFor();
    await other.page.getByText(t.emailChange.changed(newEmail)).waitFor();
    expect(other.page.url()).toBe(`${e2e.appUrl}/confirm-email-change`);
    await page.reload();
    await section.getByText(t.security.currentEmail(newEmail)).waitFor();

    // The old address is told, and its owner says it was not them.
    const owner = await browser.open({ locale: 'en-US' });
    await followMailLink(owner.page, user.email, mail.addressChanged);
    await owner.page.getByRole('heading', { name: t.emailChange.reportTitle }).waitFor();
    expect(owner.page.url()).toBe(`${e2e.appUrl}/report-email-change`);
    await expectKeyboardAccessible(owner.page, 'this was not me (en)');
    await owner.page.getByRole('button', { name: t.emailChange.reportButton }).click();
    await owner.page.getByRole('heading', { name: t.emailChange.reportedTitle }).waitFor();
    await owner.page.getByText(t.emailChange.reported).waitFor();

    // Every browser is signed out.
    await page.goto('/account');
    await page.waitForURL(appPath('/sign-in?next=%2Faccount'));

    // A new password, by a reset link to the address the account has again.
    await owner.page.getByRole('link', { name: t.emailChange.choosePassword }).click();
    await owner.page.waitForURL(appPath('/forgot-password'));
    await owner.page.getByLabel(t.form.email, { exact: true }).fill(user.email);
    await owner.page.getByRole('button', { name: t.passwordReset.submit, exact: true }).click();
    await owner.page.getByRole('heading', { name: t.passwordReset.sentTitle }).waitFor();
    await followMailLink(owner.page, user.email, mail.reset);
    await owner.page.getByLabel(t.passwordReset.newPassword, { exact: true }).fill(NEW_PASSWORD);
    await owner.page.getByRole('button', { name: t.passwordReset.save }).click();
    await owner.page.getByRole('heading', { name: t.passwordReset.doneTitle }).waitFor();
    await owner.page
      .getByRole('region', { name: t.passwordReset.doneTitle })
      .getByRole('link', { name: t.passwordReset.signIn })
      .click();
    await signIn(owner.page, { ...user, password: NEW_PASSWORD }, 'en');
    await owner.page.waitForURL(appPath('/account'));
    await owner.page.getByText(t.security.currentEmail(user.email)).waitFor();
  });

  it('zh-TW: an address with an account gets the same answer; its owner a note and no link', async () => {
    const t = appText('zh-TW');
    const owner = newUser('address-owner', '地址擁有者');
    const first = await browser.open({ locale: 'zh-TW' });
    await first.page.goto('/sign-up');
    await signUp(first.page, owner, 'zh-TW');

    const user = newUser('address-seeker', '想換地址的人');
    const { page } = await browser.open({ locale: 'zh-TW' });
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');
    const section = page.getByRole('region', { name: t.security.email, exact: true });
    await section.getByLabel(t.security.newEmail, { exact: true }).fill(owner.email);
    await section.getByLabel(t.security.currentPassword, { exact: true }).fill(user.password);
    await section.getByRole('button', { name: t.security.changeEmail }).click();
    await section
      .getByRole('status')
      .filter({ hasText: t.security.emailChangeSent(owner.email, user.email) })
      .waitFor();

    await mailsWithSubject(owner.email, emailInUseText['zh-TW']().subject);
    const confirmations = await fetch(`${e2e.appUrl}/dev/mailbox`).then((r) => r.text());
    expect(confirmations).not.toContain(securityMail('zh-TW').confirmAddress.subject);
    await page.reload();
    await section.getByText(t.security.currentEmail(user.email)).waitFor();
  });
});
