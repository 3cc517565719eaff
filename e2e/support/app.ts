import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { en, type Messages, zhTW } from '../../client/i18n/messages';
import { emulatorAdmin } from '../../emulator/admin-client';
import { strings as emulatorStrings } from '../../emulator/pages/i18n';
import { planCatalogue } from '../../server/billing/plan-catalogue';
import { e2e } from './browser';

export type Locale = 'zh-TW' | 'en';

export const admin = emulatorAdmin(e2e.emulatorUrl, e2e.adminToken);

/** The app's own strings, so the tests follow the dictionary and check the right language. */
export const appText = (locale: Locale): Messages => (locale === 'en' ? en : zhTW);
/** The hosted (emulator) pages' strings. */
export const recurText = emulatorStrings;

export const TEST_CARD_SUCCESS = '4147 6310 0000 0001';
export const TEST_CARD_DECLINED = '4000 0000 0000 0002';
export const PASSWORD = 'correct-horse-battery';

export const starterPlan = planCatalogue[0];

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

/** The date as the account page writes it (Intl, long style, in the browser's time zone). */
export function longDate(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: e2e.timezone }).format(
    new Date(ms),
  );
}

/** The site navigation, found by its name in `locale` (so a wrong-language label fails). */
export const siteNav = (page: Page, locale: Locale) =>
  page.getByRole('navigation', { name: appText(locale).nav.label, exact: true });

export async function expectHtmlLang(page: Page, lang: string): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
}

/** Fills and submits the sign-up form (the page must be on /sign-up); lands on /account. */
export async function signUp(page: Page, user: TestUser, locale: Locale): Promise<void> {
  const t = appText(locale);
  await page.getByRole('heading', { name: t.signUp.title }).waitFor();
  await page.getByLabel(t.form.email, { exact: true }).fill(user.email);
  await page.getByLabel(t.form.password, { exact: true }).fill(user.password);
  await page.getByLabel(t.form.displayName, { exact: true }).fill(user.displayName);
  await page.getByRole('button', { name: t.signUp.submit, exact: true }).click();
  await page.waitForURL(appPath('/account'));
  await page.getByRole('heading', { name: t.account.title }).waitFor();
}

/** Fills and submits the sign-in form. */
export async function signIn(page: Page, user: TestUser, locale: Locale): Promise<void> {
  const t = appText(locale);
  await page.getByLabel(t.form.email, { exact: true }).fill(user.email);
  await page.getByLabel(t.form.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: t.signIn.submit, exact: true }).click();
}

/** From the signed-in pricing page: Subscribe to the Starter plan → Recur's checkout page. */
export async function startCheckout(page: Page, locale: Locale): Promise<void> {
  const t = appText(locale);
  await page
    .getByRole('button', { name: `${t.pricing.subscribe} — ${starterPlan.name[locale]}` })
    .click();
  await page.waitForURL(emulatorPath('/checkout/cs_[^/?]+'));
  await page.getByRole('heading', { name: recurText(locale).checkoutTitle }).waitFor();
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

/** A 1200×900 screenshot for the README, in docs/screenshots/. */
export async function saveScreenshot(page: Page, file: string): Promise<void> {
  mkdirSync(e2e.screenshotDir, { recursive: true });
  const path = join(e2e.screenshotDir, file);
  // Focus rings and the text caret are not part of the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  const png = readFileSync(path);
  expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${file} size`).toEqual([1200, 900]);
}
