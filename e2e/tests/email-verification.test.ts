// Email verification in a real browser, mail read in the app's dev mailbox: a weak password is
// refused with its reason; the unverified user sees the notice and resends (until the limit says
// how long to wait); only the newest link works, once; a sign-up with a registered address reads
// exactly like a new one and mails the owner instead.
import { describe, expect, it } from 'vitest';
import { passwordFeedbackMessages } from '../../client/i18n/password-feedback';
import { expectKeyboardAccessible } from '../support/a11y';
import {
  appPath,
  appText,
  fillSignUp,
  mailTo,
  newUser,
  openMailLink,
  signIn,
  signUp,
  submitSignUp,
} from '../support/app';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

describe('email verification', () => {
  it('en: weak password refused, notice and resend, newest link verifies once', async () => {
    const { page } = await browser.open({
      locale: 'en-US',
      expectedFailures: [
        { status: 400, url: /\/trpc\/auth\.signUp\b/, because: 'a weak password' },
        { status: 429, url: /\/trpc\/auth\.resendVerification\b/, because: 'the sixth resend' },
      ],
    });
    const t = appText('en');
    const user = newUser('unverified', 'Unverified User');

    // A weak password: refused, with zxcvbn's reason in the page's language.
    await page.goto('/sign-up');
    await fillSignUp(page, { ...user, password: 'password123' }, 'en');
    const reason = [
      t.passwordStrength.tooWeak,
      passwordFeedbackMessages.en.warnings.common,
      passwordFeedbackMessages.en.suggestions.anotherWord,
    ].join(t.passwordStrength.separator);
    await page.getByText(reason, { exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: t.checkEmail.title }).count()).toBe(0);

    // A strong one: "check your email", which works without reading it too.
    await submitSignUp(page, user, 'en');
    await page.getByText(t.checkEmail.sent(user.email)).waitFor();
    await expectKeyboardAccessible(page, 'check your email (en)');
    await page
      .getByRole('region', { name: t.checkEmail.title })
      .getByRole('link', { name: t.checkEmail.signIn })
      .click();
    await page.waitForURL(appPath('/sign-in'));
    await signIn(page, user, 'en');
    await page.waitForURL(appPath('/account'));

    // Signed in, unverified: the notice, and "send again" five times, then the wait.
    const notice = page.getByRole('region', { name: t.emailBanner.label });
    await notice.getByText(t.emailBanner.text(user.email)).waitFor();
    await expectKeyboardAccessible(page, 'account, unverified (en)');
    const resend = notice.getByRole('button', { name: t.emailBanner.resend });
    for (let i = 0; i < 5; i++) {
      const answered = page.waitForResponse(/\/trpc\/auth\.resendVerification/);
      await resend.click();
      expect((await answered).status()).toBe(200);
      await notice.getByRole('status').filter({ hasText: t.emailBanner.sent }).waitFor();
    }
    await resend.click();
    await notice
      .getByRole('status')
      .filter({ hasText: /You can send it again in \d+ seconds\./ })
      .waitFor();

    // Six mails now; the first link was replaced by the later ones.
    await openMailLink(page, user.email, t.mail.verifyButton, { count: 6, which: 'oldest' });
    await page.getByRole('heading', { name: t.verifyEmail.invalidTitle }).waitFor();
    await page.getByText(t.verifyEmail.invalid).waitFor();

    // The newest verifies: the notice is gone.
    await openMailLink(page, user.email, t.mail.verifyButton, { count: 6 });
    await page.getByRole('heading', { name: t.verifyEmail.verifiedTitle }).waitFor();
    await expectKeyboardAccessible(page, 'email verified (en)');
    await page.getByRole('link', { name: t.verifyEmail.continue }).click();
    await page.waitForURL(appPath('/account'));
    await page.getByRole('heading', { name: t.account.title }).waitFor();
    expect(await page.getByRole('region', { name: t.emailBanner.label }).count()).toBe(0);

    // Once only.
    await openMailLink(page, user.email, t.mail.verifyButton, { count: 6 });
    await page.getByRole('heading', { name: t.verifyEmail.usedTitle }).waitFor();
  });

  it('zh-TW: a registered address reads exactly like a new one, and its owner is mailed', async () => {
    const t = appText('zh-TW');
    const owner = newUser('owner', '帳戶擁有者');
    const first = await browser.open({ locale: 'zh-TW' });
    await first.page.goto('/sign-up');
    await signUp(first.page, owner, 'zh-TW');

    // Someone else, another browser, the same address and another password.
    const { page } = await browser.open({ locale: 'zh-TW' });
    await page.goto('/sign-up');
    await submitSignUp(page, { ...owner, password: 'a different long password' }, 'zh-TW');
    const screen = page.getByRole('region', { name: t.checkEmail.title });
    // Word for word what a new address gets (the first test shows that screen).
    expect(await screen.textContent()).toBe(
      [
        t.checkEmail.title,
        t.checkEmail.sent(owner.email),
        t.checkEmail.notArrived,
        t.checkEmail.signIn,
      ].join(''),
    );

    // The owner's mailbox: the verification mail, then the notice, whose button goes to sign-in.
    expect(await mailTo(owner.email, 2)).toHaveLength(2);
    await openMailLink(first.page, owner.email, t.mail.signInButton, { count: 2 });
    await first.page.waitForURL(appPath('/account')); // already signed in: sign-in forwards
    await page.goto('/sign-in');
    await signIn(page, owner, 'zh-TW');
    await page.waitForURL(appPath('/account'));
    expect(await page.getByLabel(t.profile.displayName, { exact: true }).inputValue()).toBe(
      owner.displayName,
    );
    expect(await page.getByRole('region', { name: t.emailBanner.label }).count()).toBe(0);
  });
});
