import type { Locale } from './i18n/locale';

export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));
}

/** "NT$990" in both languages (Intl writes a bare "$" for TWD in zh-TW). */
export function formatTwd(amount: number, locale: Locale): string {
  return `NT$${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount)}`;
}
