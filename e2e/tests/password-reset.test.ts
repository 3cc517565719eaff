// "Forgot password?" in a real browser, mail read in the dev mailbox: an unknown address gets the
// same screen and no mail; the link leaves the address bar, refuses a weak password, sets the new
// one once and signs out every browser; only the newest link works.
import { describe, expect, it } from 'vitest';
import { passwordFeedbackMessages } from '../../client/i18n/password-feedback';
import { expectKeyboardAccessible } from '../support/a11y';
import { appPath, appText, type Locale, newUser, signIn, signUp, siteNav } from '../support/app';
import { e2e, setupBrowser } from '../support/browser';
import { followMailLink, mailCount, mailsWithSubject, securityMail } from '../support/security';

const browser = setupBrowser();
const NEW_PASSWORD = 'marble staircase in the rain';

async function askForLink(page: import('playwright-core').Page, email: string, locale: Locale) {
  const t = appText(locale);
  await page.getByRole('heading', { name: t.passwordReset.title }).waitFor();
  await page.getByLabel(t.form.email, { exact: true }).fill(email);
  await page.getByRole('button', { name: t.passwordReset.submit, exact: true }).click();
  const screen = page.getByRole('region', { name: t.passwordReset.sentTitle });
  await screen.getByText(t.passwordReset.sent(email)).waitFor();
  return (await screen.textContent()) ?? '';
}

describe('forgot password', () => {
  it('en: the same screen for an unknown address; the link resets once and signs out every browser', async () => {
    const t = appText('en');
    const mail = securityMail('en');
    const user = newUser('forgetful', 'Forgetful User');
    const laptop = await browser.open({ locale: 'en-US' });
    await laptop.page.goto('/sign-up');
    await signUp(laptop.page, user, 'en');

    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 400, url: /\/trpc\/security\.resetPassword\b/, because: 'a weak password' },
        { status: 401, url: /\/trpc\/auth\.signIn\b/, because: 'the old password' },
      ],
    });
    await page.goto('/sign-in');
    await page.getByRole('link', { name: t.passwordReset.forgotLink }).click();
    await page.waitForURL(appPath('/forgot-password'));
    await expectKeyboardAccessible(page, 'forgot password (en)');

    // An unknown address and a registered one: word for word the same screen.
    const unknown = newUser('nobody-registered', '').email;
    const unknownScreen = await askForLink(page, unknown, 'en');
    await page.goto('/forgot-password');
    const knownScreen = await askForLink(page, user.email, 'en');
    expect(knownScreen).toBe(unknownScreen.replace(unknown, user.email));

    // The link: its token leaves the address bar at once.
    await followMailLink(page, user.email, mail.reset);
    await page.getByRole('heading', { name: t.passwordReset.newTitle }).waitFor();
    expect(page.url()).toBe(`${e2e.appUrl}/reset-password`);
    await expectKeyboardAccessible(page, 'reset password (en)');
    expect(await mailCount(unknown)).toBe(0);

    // A weak password is refused with its reason; a strong one is saved.
    const newPassword = page.getByLabel(t.passwordReset.newPassword, { exact: true });
    await newPassword.fill('password123');
    await page.getByRole('button', { name: t.passwordReset.save }).click();
    const reason = [
      t.passwordStrength.tooWeak,
      passwordFeedbackMessages.en.warnings.common,
      passwordFeedbackMessages.en.suggestions.anotherWord,
    ].join(t.passwordStrength.separator);
    await page.getByText(reason, { exact: true }).waitFor();
    await newPassword.fill(NEW_PASSWORD);
    await page.getByRole('button', { name: t.passwordReset.save }).click();
    await page.getByRole('heading', { name: t.passwordReset.doneTitle }).waitFor();
    await mailsWithSubject(user.email, mail.resetDone.subject);

    // The browser that was signed in is signed out.
    await laptop.page.goto('/account');
    await laptop.page.waitForURL(appPath('/sign-in?next=%2Faccount'));

    // The new password signs in; the old one does not.
    await page
      .getByRole('region', { name: t.passwordReset.doneTitle })
      .getByRole('link', { name: t.passwordReset.signIn })
      .click();
    await page.waitForURL(appPath('/sign-in'));
    await signIn(page, user, 'en');
    await page.getByText(t.errors.invalidCredentials).waitFor();
    await signIn(page, { ...user, password: NEW_PASSWORD }, 'en');
    await page.waitForURL(appPath('/account'));

    // The link worked once.
    await followMailLink(page, user.email, mail.reset);
    await page.getByRole('heading', { name: t.passwordReset.usedTitle }).waitFor();
    expect(page.url()).toBe(`${e2e.appUrl}/reset-password`);
  });

  it('zh-TW: only the newest link works, and it signs out the browser it is used in too', async () => {
    const t = appText('zh-TW');
    const mail = securityMail('zh-TW');
    const user = newUser('forgetful-tw', '健忘的使用者');
    const { page } = await browser.open({ locale: 'zh-TW' });
    await page.goto('/sign-up');
    await signUp(page, user, 'zh-TW');

    for (let i = 0; i < 2; i++) {
      await page.goto('/forgot-password');
      await askForLink(page, user.email, 'zh-TW');
    }
    await followMailLink(page, user.email, mail.reset, { count: 2, which: 'oldest' });
    await page.getByRole('heading', { name: t.passwordReset.invalidTitle }).waitFor();
    await page.getByText(t.passwordReset.invalid).waitFor();
    await page.getByRole('link', { name: t.passwordReset.askAgain }).waitFor();

    await followMailLink(page, user.email, mail.reset, { count: 2 });
    await page.getByRole('heading', { name: t.passwordReset.newTitle }).waitFor();
    await page.getByText(t.passwordReset.signsOutEverywhere).waitFor();
    await page.getByLabel(t.passwordReset.newPassword, { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: t.passwordReset.save }).click();
    await page.getByRole('heading', { name: t.passwordReset.doneTitle }).waitFor();
    await expectKeyboardAccessible(page, 'password reset (zh-TW)');
    await siteNav(page, 'zh-TW').getByRole('link', { name: t.nav.signIn }).waitFor();

    await page.goto('/account');
    await page.waitForURL(appPath('/sign-in?next=%2Faccount'));
    await signIn(page, { ...user, password: NEW_PASSWORD }, 'zh-TW');
    await page.waitForURL(appPath('/account'));
    await mailsWithSubject(user.email, mail.resetDone.subject);
  });
});
