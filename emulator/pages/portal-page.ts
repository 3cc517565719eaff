import { TEST_CARD_DECLINED, TEST_CARD_SUCCESS } from '../fixture';
import type { Customer, PortalSession, Product, Subscription } from '../types';
import { type Strings, strings } from './i18n';
import { displayCard, escapeHtml, formatDate, formatPrice, layout } from './layout';

export interface PortalView {
  session: PortalSession;
  customer: Customer;
  subscriptions: { subscription: Subscription; product: Product }[];
  /** Every product, for the plan change form. */
  products: Product[];
  token: string;
  notice?: string | undefined;
  error?: string | undefined;
}

function actionForm(
  view: PortalView,
  action: string,
  subscriptionId: string,
  label: string,
  cls = '',
) {
  return `<form method="post" action="/s/${escapeHtml(view.session.id)}/${action}">
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="subscription" value="${escapeHtml(subscriptionId)}">
<button type="submit"${cls ? ` class="${cls}"` : ''}>${escapeHtml(label)}</button>
</form>`;
}

function changePlanForm(view: PortalView, t: Strings, sub: Subscription): string {
  const others = view.products.filter((p) => p.id !== sub.productId);
  if (others.length === 0 || (sub.status !== 'active' && sub.status !== 'trialing')) return '';
  const options = others
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} · ${escapeHtml(formatPrice(p, t))}</option>`,
    )
    .join('');
  return `<form method="post" action="/s/${escapeHtml(view.session.id)}/change-plan">
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="subscription" value="${escapeHtml(sub.id)}">
<label for="product-${escapeHtml(sub.id)}">${escapeHtml(t.changePlan)}</label>
<select id="product-${escapeHtml(sub.id)}" name="product">${options}</select>
<button type="submit">${escapeHtml(t.changePlan)}</button>
</form>`;
}

function subscriptionCard(
  view: PortalView,
  t: Strings,
  { subscription: sub, product }: PortalView['subscriptions'][number],
): string {
  const end = formatDate(sub.currentPeriodEnd, view.session.locale);
  const action =
    sub.status === 'canceled'
      ? `<p class="warn">${escapeHtml(t.willEndOn(end))}</p>${actionForm(view, 'resume', sub.id, t.resume)}`
      : actionForm(view, 'cancel', sub.id, t.cancelAtPeriodEnd, 'secondary');
  const pastDue =
    sub.status === 'past_due' ? `<p class="warn">${escapeHtml(t.pastDueNotice)}</p>` : '';
  return `<div class="card" data-subscription="${escapeHtml(sub.id)}">
<dl>
<dt>${escapeHtml(t.plan)}</dt><dd><strong>${escapeHtml(product.name)}</strong></dd>
<dt>${escapeHtml(t.price)}</dt><dd>${escapeHtml(formatPrice(product, t))}</dd>
<dt>${escapeHtml(t.status)}</dt><dd data-status="${escapeHtml(sub.status)}">${escapeHtml(t.statuses[sub.status])}</dd>
<dt>${escapeHtml(t.periodEnd)}</dt><dd>${escapeHtml(end)}</dd>
</dl>
${pastDue}${action}
${changePlanForm(view, t, sub)}
</div>`;
}

export function renderPortalPage(view: PortalView): string {
  const t = strings(view.session.locale);
  const { customer } = view;
  const pm = customer.paymentMethod;
  const subs =
    view.subscriptions.length > 0
      ? view.subscriptions.map((s) => subscriptionCard(view, t, s)).join('\n')
      : `<div class="card"><p>${escapeHtml(t.noSubscriptions)}</p></div>`;
  const body = `<h1>${escapeHtml(t.portalTitle)}</h1>
${view.notice ? `<div class="notice" role="status">${escapeHtml(view.notice)}</div>` : ''}
${view.error ? `<div class="error" role="alert">${escapeHtml(view.error)}</div>` : ''}
<div class="card">
<h2>${escapeHtml(t.customer)}</h2>
<dl>
${customer.name ? `<dt>${escapeHtml(t.customerName)}</dt><dd>${escapeHtml(customer.name)}</dd>` : ''}
<dt>${escapeHtml(t.email)}</dt><dd>${escapeHtml(customer.email)}</dd>
</dl>
</div>
<h2>${escapeHtml(t.subscriptions)}</h2>
${subs}
<div class="card">
<h2>${escapeHtml(t.paymentMethod)}</h2>
<p data-payment-method>${pm ? `${escapeHtml(pm.brand)} •••• ${escapeHtml(pm.last4)}` : escapeHtml(t.noPaymentMethod)}</p>
<form method="post" action="/s/${escapeHtml(view.session.id)}/payment-method">
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<label for="card">${escapeHtml(t.cardNumber)}</label>
<input type="text" id="card" name="card" inputmode="numeric" autocomplete="off" placeholder="4147 6310 0000 0001">
<button type="submit">${escapeHtml(t.updatePaymentMethod)}</button>
<p class="hint">${escapeHtml(t.testCardHint(displayCard(TEST_CARD_SUCCESS), displayCard(TEST_CARD_DECLINED)))}</p>
</form>
</div>
<a class="back" href="${escapeHtml(view.session.returnUrl)}">← ${escapeHtml(t.back)}</a>`;
  return layout(view.session.locale, t.portalTitle, body);
}
