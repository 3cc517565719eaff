import { classifyCard } from '../cards';
import type { RequestContext, Route } from '../context';
import { html, type Reply, redirect } from '../http';
import { renderCheckoutPage } from '../pages/checkout-page';
import { strings } from '../pages/i18n';
import type { CheckoutSession, Locale, Product } from '../types';
import { gonePage, notFoundPage, readForm } from './page-helpers';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The session as its page shows it: in the language the API named, else the browser's. */
function openSession(
  ctx: RequestContext,
):
  | { session: CheckoutSession & { locale: Locale }; stored: CheckoutSession; product: Product }
  | Reply {
  const stored = ctx.app.store.data.checkoutSessions.find((s) => s.id === ctx.params.id);
  if (!stored) return notFoundPage();
  const session = { ...stored, locale: stored.locale ?? browserLocale(ctx.req) };
  const product = ctx.app.store.productById(session.productId);
  if (!product) return notFoundPage(session.locale);
  if (session.status === 'complete' || ctx.app.config.now() >= session.expiresAt) {
    const t = strings(session.locale);
    return gonePage(session.locale, t.checkoutGoneBody, {
      href: session.cancelUrl,
      label: t.cancelCheckout,
    });
  }
  return { session, stored, product };
}

function browserLocale(req: RequestContext['req']): Locale {
  const header = req.headers['accept-language'] ?? '';
  return /^\s*en\b/i.test(header) ? 'en' : 'zh-TW';
}

export const checkoutPageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/checkout/:id',
    kind: 'page',
    handler(ctx) {
      const open = openSession(ctx);
      return 'status' in open ? open : html(200, renderCheckoutPage(open));
    },
  },
  {
    method: 'POST',
    path: '/checkout/:id',
    kind: 'page',
    async handler(ctx) {
      const open = openSession(ctx);
      if ('status' in open) return open;
      const { session, stored } = open;
      const t = strings(session.locale);
      const form = await readForm(ctx);
      const email = (session.customerEmail ?? form.get('email') ?? '').trim();
      const name = (form.get('name') ?? session.customerName ?? '').trim();
      const again = (status: number, error: string) =>
        html(status, renderCheckoutPage({ ...open, email, name, error }));
      if (!EMAIL.test(email)) return again(400, t.invalidEmail);
      const card = classifyCard(form.get('card'));
      if (card.kind === 'declined') return again(402, t.cardDeclined);
      if (card.kind === 'not_a_test_card') return again(400, t.notTestCard);
      ctx.app.billing.completeCheckout(stored, {
        email,
        name: name || null,
        paymentMethod: card.paymentMethod,
      });
      return redirect(session.successUrl.replaceAll('{CHECKOUT_SESSION_ID}', session.id));
    },
  },
];
