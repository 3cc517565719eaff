import type { RequestContext } from '../context';
import { html, type Reply } from '../http';
import { strings } from '../pages/i18n';
import { messagePage } from '../pages/layout';
import type { Locale } from '../types';

export async function readForm(ctx: RequestContext): Promise<URLSearchParams> {
  return new URLSearchParams((await ctx.body()).toString('utf8'));
}

export function notFoundPage(locale: Locale = 'zh-TW'): Reply {
  const t = strings(locale);
  return html(404, messagePage(locale, t.notFoundTitle, t.notFoundBody));
}

export function gonePage(
  locale: Locale,
  message: string,
  link?: { href: string; label: string },
): Reply {
  return html(410, messagePage(locale, strings(locale).goneTitle, message, link));
}

export function forbiddenPage(locale: Locale): Reply {
  const t = strings(locale);
  return html(403, messagePage(locale, t.forbiddenTitle, t.forbiddenBody));
}
