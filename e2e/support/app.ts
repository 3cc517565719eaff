import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { en, zhTW } from '../../client/i18n/messages';
import { emulatorAdmin } from '../../emulator/admin-client';
import { strings as emulatorStrings } from '../../emulator/pages/i18n';
import { planCatalogue } from '../../server/billing/plan-catalogue';
import { signUpAttemptText, verificationText } from '../../server/mail/account-mails';
import { e2e } from './browser';

export type Locale = 'zh-TW' | 'en';

export const admin = emulatorAdmin(e2e.emulatorUrl, e2e.adminToken);

/** The app's own strings, so the tests follow the dictionary and check the right language. */
export const appText = (locale: Locale) => ({
  ...(locale === 'en' ? en : zhTW),
  /** The link texts of the account mails (server/mail/account-mails.ts). */
  mail: {
    verifyButton: verificationText[locale](24).button,
    signInButton: signUpAttemptText[locale]().button,
  },
});
/** The hosted (emulator) pages' strings. */
export const recurText = emulatorStrings;

export const TEST_CARD_SUCCESS = '4147 6310 0000 0001';
export const TEST_CARD_DECLINED = '4147 6310 0000 0002';
export const PASSWORD = 'correct-horse-battery';

export const starterPlan = planCatalogue[0];
export const proPlan = planCatalogue[1];

export interface TestUser {
  email: string;
  password: string;
  displayName: string;
}

/** A new user; unique per run also when E2E_DATABASE_URL keeps earlier runs' users. */
export function newUser(local: string, displayName: string): TestUser {
  const email = e2e.runTag ? `${local}+${e2e.runTag}@example.com` : `${local}@example.com`;
  return { email, password: PASSWORD, displayName };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const startsWith = (text: string) => new RegExp(`^${escapeRegExp(text)}`);
export const appPath = (path: string) => new RegExp(`^${escapeRegExp(e2e.appUrl + path)}$`);
export const emulatorPath = (pattern: string) =>
  new RegExp(`^${escapeRegExp(e2e.emulatorUrl)}${pattern}$`);

/**
 * A billing date as the account page writes it: Intl's long style in Taipei time, whatever the
 * browser's zone (Recur's portal shows the same day), with the zone named.
 */
export function billingDate(ms: number, locale: Locale): string {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Taipei' });
  return appText(locale).dates.inTaipei(date.format(new Date(ms)));
}

/** The browser tab's title of a page: "Pricing — Acme SaaS". */
export function pageTitle(locale: Locale, page: keyof Omit<typeof en.pageTitles, 'format'>) {
  const t = appText(locale);
  return t.pageTitles.format(t.pageTitles[page], t.appName);
}

/** The site navigation, found by its name in `locale` (so a wrong-language label fails). */
export const siteNav = (page: Page, locale: Locale) =>
  page.getByRole('navigation', { name: appText(locale).nav.label, exact: true });

export async function expectHtmlLang(page: Page, lang: string): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
}

/** Fills and submits the sign-up form (the page must be on /sign-up). */
export async function fillSignUp(page: Page, user: TestUser, locale: Locale): Promise<void> {
  const t = appText(locale);
  await page.getByRole('heading', { name: t.signUp.title }).waitFor();
  await page.getByLabel(t.form.email, { exact: true }).fill(user.email);
  await page.getByLabel(t.form.password, { exact: true }).fill(user.password);
  await page.getByLabel(t.form.displayName, { exact: true }).fill(user.displayName);
  await page.getByRole('button', { name: t.signUp.submit, exact: true }).click();
}

/** Submits the sign-up form; ends on "check your email". */
export async function submitSignUp(page: Page, user: TestUser, locale: Locale): Promise<void> {
  await fillSignUp(page, user, locale);
  await page.getByRole('heading', { name: appText(locale).checkEmail.title }).waitFor();
}

/**
 * Signs up as a person does: the form, then the verification mail in the dev mailbox, whose
 * link (opened in the same browser) confirms the address and signs in. Lands on /account.
 */
export async function signUp(page: Page, user: TestUser, locale: Locale): Promise<void> {
  const t = appText(locale);
  await submitSignUp(page, user, locale);
  await openMailLink(page, user.email, t.mail.verifyButton);
  await page.waitForURL(appPath('/verify-email'));
  await page.getByRole('heading', { name: t.verifyEmail.verifiedTitle }).waitFor();
  await page.getByRole('link', { name: t.verifyEmail.continue }).click();
  await page.waitForURL(appPath('/account'));
  await page.getByRole('heading', { name: t.account.title }).waitFor();
}

/** The dev mailbox's messages to `email` (newest first), once at least `count` have arrived. */
export async function mailTo(email: string, count = 1): Promise<string[]> {
  let hrefs: string[] = [];
  await expect
    .poll(
      async () => {
        const html = await (await fetch(`${e2e.appUrl}/dev/mailbox`)).text();
        hrefs = [
          ...html.matchAll(/<tr>\s*<td>.*?<\/td>\s*<td>([^<]*)<\/td>\s*<td><a href="([^"]+)"/gs),
        ]
          .filter((match) => match[1] === email.toLowerCase())
          .map((match) => match[2] ?? '');
        return hrefs.length;
      },
      { message: `mail to ${email} in the dev mailbox` },
    )
    .toBeGreaterThanOrEqual(count);
  return hrefs;
}

/**
 * Opens the newest mail to `email` in the dev mailbox page and clicks the link named `button` in
 * its HTML, as a person reading it would: the link opens in the same tab.
 */
export async function openMailLink(
  page: Page,
  email: string,
  button: string,
  options: { count?: number; which?: 'newest' | 'oldest' } = {},
): Promise<void> {
  const hrefs = await mailTo(email, options.count);
  const href = options.which === 'oldest' ? hrefs.at(-1) : hrefs[0];
  await followLinkInMail(page, href ?? '', button);
}

/** Opens a message of the dev mailbox and follows its link named `button`. */
export async function followLinkInMail(page: Page, messageUrl: string, button: string) {
  await page.goto(messageUrl);
  const link = page
    .frameLocator('iframe[title="HTML version of the message"]')
    .getByRole('link', { name: button, exact: true });
  const target = await link.getAttribute('href');
  if (!target?.startsWith(e2e.appUrl))
    throw new Error(`"${button}" links outside the app: ${target}`);
  // Followed as a person's click on it would be. A click inside the sandboxed frame is sometimes
  // lost while the frame is still loading on a busy machine, which made runs fail at random.
  await page.goto(target);
}

/** Fills and submits the sign-in form. */
export async function signIn(page: Page, user: TestUser, locale: Locale): Promise<void> {
  const t = appText(locale);
  await page.getByLabel(t.form.email, { exact: true }).fill(user.email);
  await page.getByLabel(t.form.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: t.signIn.submit, exact: true }).click();
}

/** From the signed-in pricing page: Subscribe to the Starter plan → Recur's checkout page. */
/**
 * Clicks Subscribe (the app in `locale`) and waits for Recur's checkout page, which is in
 * `checkoutLocale`: the app names no language for checkout (no public source documents one), so
 * the hosted page follows the browser's.
 */
export async function startCheckout(
  page: Page,
  locale: Locale,
  checkoutLocale: Locale = locale,
): Promise<void> {
  const t = appText(locale);
  await page
    .getByRole('button', { name: `${t.pricing.subscribe} — ${starterPlan.name[locale]}` })
    .click();
  await page.waitForURL(emulatorPath('/checkout/cs_[^/?]+'));
  await page.getByRole('heading', { name: recurText(checkoutLocale).checkoutTitle }).waitFor();
}

/**
 * Pays on Recur's checkout with a card that works: Recur sends the browser back to
 * /account?checkout=success, and the account page tidies the address to /account.
 */
export async function payAndReturn(page: Page, locale: Locale, name: string): Promise<void> {
  const success = `${e2e.appUrl}/account?checkout=success`;
  const returned = page.waitForRequest(
    (request) => request.isNavigationRequest() && request.url() === success,
  );
  await payOnCheckout(page, locale, TEST_CARD_SUCCESS, name);
  await returned;
  await page.waitForURL(appPath('/account'));
}

/** On Recur's checkout page: pays with `card`. */
export async function payOnCheckout(
  page: Page,
  locale: Locale,
  card: string,
  name: string,
): Promise<void> {
  const r = recurText(locale);
  await page.getByLabel(r.name, { exact: true }).fill(name);
  await page.getByLabel(r.cardNumber, { exact: true }).fill(card);
  await page.getByRole('button', { name: startsWith(r.subscribe) }).click();
}

/** The emulator's record of the customer with this email, and their subscriptions. */
export async function recurCustomer(email: string) {
  const state = await admin.state();
  const customer = state.customers.find((c) => c.email.toLowerCase() === email.toLowerCase());
  const subscriptions = customer
    ? state.subscriptions.filter((s) => s.customerId === customer.id)
    : [];
  return { customer, subscriptions, webhooks: state.webhookDeliveries };
}

/**
 * A screenshot for the README, in docs/screenshots/: the window (1200×900, or a phone's) from the
 * top of the page, or with `fullPage` the whole page at the window's width.
 */
export async function saveScreenshot(
  page: Page,
  file: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(e2e.screenshotDir, { recursive: true });
  const path = join(e2e.screenshotDir, file);
  // Focus rings and the text caret are not part of the picture.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur?.();
    window.scrollTo(0, 0);
  });
  await page.screenshot({
    path,
    animations: 'disabled',
    caret: 'hide',
    fullPage: options.fullPage ?? false,
  });
  const png = readFileSync(path);
  const size = page.viewportSize();
  expect(png.readUInt32BE(16), `${file} width`).toBe(size?.width);
  if (options.fullPage) {
    expect(png.readUInt32BE(20), `${file} height`).toBeGreaterThanOrEqual(size?.height ?? 0);
  } else {
    expect(png.readUInt32BE(20), `${file} height`).toBe(size?.height);
  }
}
