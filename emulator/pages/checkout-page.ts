import { TEST_CARD_DECLINED, TEST_CARD_SUCCESS } from '../fixture';
import type { CheckoutSession, Locale, Product } from '../types';
import { strings } from './i18n';
import { displayCard, escapeHtml, formatPrice, layout } from './layout';

export interface CheckoutView {
  session: CheckoutSession & { locale: Locale };
  product: Product;
  email?: string | undefined;
  name?: string | undefined;
  error?: string | undefined;
}

export function renderCheckoutPage(view: CheckoutView): string {
  const { session, product } = view;
  const t = strings(session.locale);
  const email = view.email ?? session.customerEmail ?? '';
  const locked = session.customerEmail !== null;
  const cta = session.mode === 'SUBSCRIPTION' ? t.subscribe : t.pay;
  const body = `<h1>${escapeHtml(t.checkoutTitle)}</h1>
${view.error ? `<div class="error" role="alert">${escapeHtml(view.error)}</div>` : ''}
<div class="card">
<h2>${escapeHtml(t.plan)}</h2>
<div><strong>${escapeHtml(product.name)}</strong></div>
<div class="price">${escapeHtml(formatPrice(product, t))}</div>
</div>
<div class="card">
<form method="post" action="/checkout/${escapeHtml(session.id)}">
<label for="email">${escapeHtml(t.email)}</label>
<input type="email" id="email" name="email" required value="${escapeHtml(email)}"${locked ? ' readonly' : ''}>
<label for="name">${escapeHtml(t.name)}</label>
<input type="text" id="name" name="name" value="${escapeHtml(view.name ?? session.customerName ?? '')}">
<label for="card">${escapeHtml(t.cardNumber)}</label>
<input type="text" id="card" name="card" inputmode="numeric" autocomplete="off" required placeholder="4147 6310 0000 0001">
<button type="submit">${escapeHtml(cta)} ${escapeHtml(formatPrice(product, t))}</button>
<p class="hint">${escapeHtml(t.testCardHint(displayCard(TEST_CARD_SUCCESS), displayCard(TEST_CARD_DECLINED)))}</p>
</form>
</div>
<a class="back" href="${escapeHtml(session.cancelUrl)}">← ${escapeHtml(t.cancelCheckout)}</a>`;
  return layout(session.locale, t.checkoutTitle, body);
}
