import type { Locale } from './i18n/locale';
import { en, zhTW } from './i18n/messages';

/** A date in the browser's own time zone (for things that happened here, like a sign-in). */
export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));
}

/**
 * Recur bills on Taiwan's calendar and its portal shows dates in Taiwan time: a renewal at
 * 00:30 in Taipei is still the previous day in Europe or America. Billing dates are written in
 * that one zone, and say so, so the app and the portal always name the same day.
 */
export const BILLING_TIME_ZONE = 'Asia/Taipei';

/** "December 1, 2026 (Taipei time)" / "2026年12月1日（台北時間）". */
export function formatBillingDate(iso: string, locale: Locale): string {
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeZone: BILLING_TIME_ZONE,
  }).format(new Date(iso));
  return (locale === 'en' ? en : zhTW).dates.inTaipei(date);
}

/** "NT$990" in both languages (Intl writes a bare "$" for TWD in zh-TW). */
export function formatTwd(amount: number, locale: Locale): string {
  return `NT$${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount)}`;
}

/** Date and time in the browser's own time zone, e.g. "Nov 27, 2026, 4:05 PM". */
export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** The browser's time zone, e.g. "Asia/Taipei": the zone `formatDateTime` writes in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
