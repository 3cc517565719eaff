import type { Locale, Product } from '../types';
import { type Strings, strings } from './i18n';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

export function formatPrice(product: Product, t: Strings): string {
  const amount = new Intl.NumberFormat('en-US').format(product.price);
  return `NT$${amount} / ${product.interval === 'year' ? t.perYear : t.perMonth}`;
}

export const displayCard = (digits: string): string => digits.replace(/(\d{4})(?=\d)/g, '$1-');

export function formatDate(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'zh-TW', {
    dateStyle: 'long',
    timeZone: 'Asia/Taipei',
  }).format(ms);
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2933;font:15px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans TC","PingFang TC",sans-serif}
main{max-width:560px;margin:40px auto;padding:0 16px}
.badge{display:inline-block;background:#fff4d6;color:#8a5a00;border:1px solid #f3d58a;border-radius:999px;padding:2px 10px;font-size:12px;margin-bottom:12px}
h1{font-size:22px;margin:0 0 16px}
h2{font-size:15px;margin:0 0 10px;color:#52606d;text-transform:uppercase;letter-spacing:.04em}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:10px;padding:18px 20px;margin-bottom:16px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 16px;margin:0}
dt{color:#7b8794}dd{margin:0}
.notice{background:#e3f9e5;border:1px solid #a3d9a5;color:#1f5f28;border-radius:8px;padding:10px 14px;margin-bottom:16px}
.error{background:#ffe3e3;border:1px solid #f5a3a3;color:#8a1c1c;border-radius:8px;padding:10px 14px;margin-bottom:16px}
.warn{color:#8a5a00;margin:10px 0 0}
form{margin:12px 0 0}
label{display:block;font-size:13px;color:#52606d;margin:10px 0 4px}
input[type=text],input[type=email],select{width:100%;padding:9px 11px;border:1px solid #cbd2d9;border-radius:6px;font:inherit}
button{background:#2f54eb;color:#fff;border:0;border-radius:6px;padding:9px 16px;font:inherit;cursor:pointer;margin-top:12px}
button.secondary{background:#fff;color:#c81e1e;border:1px solid #f5a3a3}
.hint{font-size:12px;color:#7b8794;margin:8px 0 0}
.price{font-size:28px;font-weight:600;margin:4px 0}
a.back{display:inline-block;margin-top:8px;color:#2f54eb;text-decoration:none}
a.back:hover{text-decoration:underline}
`;

export function layout(locale: Locale, title: string, body: string): string {
  const t = strings(locale);
  return `<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<span class="badge">${escapeHtml(t.testMode)}</span>
${body}
</main>
</body>
</html>`;
}

export function messagePage(
  locale: Locale,
  title: string,
  message: string,
  link?: { href: string; label: string },
): string {
  const back = link
    ? `<a class="back" href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`
    : '';
  return layout(
    locale,
    title,
    `<h1>${escapeHtml(title)}</h1><div class="card"><p>${escapeHtml(message)}</p>${back}</div>`,
  );
}
