import { sameSecret } from '../auth';
import { classifyCard } from '../cards';
import type { App, RequestContext, Route } from '../context';
import { EmulatorError } from '../errors';
import { html, type Reply, redirect } from '../http';
import { newToken } from '../ids';
import { strings } from '../pages/i18n';
import { renderPortalPage } from '../pages/portal-page';
import type { PortalSession } from '../types';
import { forbiddenPage, gonePage, notFoundPage, readForm } from './page-helpers';

const COOKIE = 'recur_portal';
const NOTICES = ['cancelled', 'resumed', 'plan_changed', 'payment_method'] as const;
type Notice = (typeof NOTICES)[number];

function render(
  app: App,
  session: PortalSession,
  status: number,
  extra: { notice?: Notice | undefined; error?: string; headers?: Record<string, string> } = {},
): Reply {
  const customer = app.store.customer(session.customerId);
  if (!customer) return notFoundPage(session.locale);
  const t = strings(session.locale);
  const notice =
    extra.notice &&
    {
      cancelled: t.noticeCancelled,
      resumed: t.noticeResumed,
      plan_changed: t.noticePlanChanged,
      payment_method: t.noticePaymentMethod,
    }[extra.notice];
  const subscriptions = app.billing
    .current(customer.id)
    .map((subscription) => ({ subscription, product: app.store.productOf(subscription) }));
  return html(
    status,
    renderPortalPage({
      session,
      customer,
      subscriptions,
      products: app.store.data.products,
      token: session.browserToken ?? '',
      notice,
      error: extra.error,
    }),
    extra.headers,
  );
}

/** The session if this browser may use it, otherwise the page to show instead. */
function authorize(
  ctx: RequestContext,
  presented: string | undefined,
): { session: PortalSession } | { reply: Reply } {
  const session = ctx.app.store.data.portalSessions.find((s) => s.id === ctx.params.id);
  if (!session) return { reply: notFoundPage() };
  const t = strings(session.locale);
  if (ctx.app.config.now() >= session.expiresAt) {
    return {
      reply: gonePage(session.locale, t.goneBody, { href: session.returnUrl, label: t.back }),
    };
  }
  if (!presented || !session.browserToken || !sameSecret(presented, session.browserToken)) {
    return { reply: forbiddenPage(session.locale) };
  }
  return { session };
}

type Action = (ctx: RequestContext, session: PortalSession, form: URLSearchParams) => Reply;

function subscriptionAction(kind: 'cancel' | 'resume' | 'change-plan'): Action {
  return (ctx, session, form) => {
    const { app } = ctx;
    const sub = app.store.subscription(form.get('subscription') ?? '');
    if (!sub || sub.customerId !== session.customerId) return notFoundPage(session.locale);
    const product =
      kind === 'change-plan' ? app.store.productById(form.get('product') ?? '') : undefined;
    if (kind === 'change-plan' && !product) return notFoundPage(session.locale);
    try {
      if (kind === 'cancel') app.billing.cancel(sub);
      else if (kind === 'resume') app.billing.resume(sub);
      else if (product) app.billing.changePlan(sub, product);
    } catch (error) {
      if (error instanceof EmulatorError)
        return render(app, session, 409, { error: error.message });
      throw error;
    }
    const notices: Record<typeof kind, Notice> = {
      cancel: 'cancelled',
      resume: 'resumed',
      'change-plan': 'plan_changed',
    };
    return redirect(`/s/${session.id}/manage?notice=${notices[kind]}`);
  };
}

const updatePaymentMethod: Action = (ctx, session, form) => {
  const t = strings(session.locale);
  const card = classifyCard(form.get('card'));
  if (card.kind === 'declined') return render(ctx.app, session, 402, { error: t.cardDeclined });
  if (card.kind === 'not_a_test_card')
    return render(ctx.app, session, 400, { error: t.notTestCard });
  const customer = ctx.app.store.customer(session.customerId);
  if (!customer) return notFoundPage(session.locale);
  ctx.app.store.setPaymentMethod(customer, card.paymentMethod);
  return redirect(`/s/${session.id}/manage?notice=payment_method`);
};

function actionRoute(name: string, action: Action): Route {
  return {
    method: 'POST',
    path: `/s/:id/${name}`,
    kind: 'page',
    async handler(ctx) {
      const form = await readForm(ctx);
      // The form's hidden token, never the cookie alone: the app and the emulator are on the same
      // site (localhost), so SameSite=Lax would not stop a form posted from elsewhere.
      const gate = authorize(ctx, form.get('token') ?? undefined);
      return 'reply' in gate ? gate.reply : action(ctx, gate.session, form);
    },
  };
}

export const portalPageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/s/:id',
    kind: 'page',
    handler({ app, params }) {
      const session = app.store.data.portalSessions.find((s) => s.id === params.id);
      if (!session) return notFoundPage();
      const now = app.config.now();
      if (session.accessedAt !== null || now >= session.expiresAt) {
        const t = strings(session.locale);
        return gonePage(session.locale, t.goneBody, { href: session.returnUrl, label: t.back });
      }
      session.accessedAt = now;
      session.browserToken = newToken();
      app.store.touch();
      const maxAge = Math.max(1, Math.ceil((session.expiresAt - now) / 1000));
      return render(app, session, 200, {
        headers: {
          'Set-Cookie': `${COOKIE}=${session.browserToken}; Path=/s/${session.id}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`,
        },
      });
    },
  },
  {
    method: 'GET',
    path: '/s/:id/manage',
    kind: 'page',
    handler(ctx) {
      const gate = authorize(ctx, ctx.cookies[COOKIE]);
      if ('reply' in gate) return gate.reply;
      const notice = ctx.url.searchParams.get('notice');
      return render(ctx.app, gate.session, 200, {
        notice: NOTICES.find((n) => n === notice),
      });
    },
  },
  actionRoute('cancel', subscriptionAction('cancel')),
  actionRoute('resume', subscriptionAction('resume')),
  actionRoute('change-plan', subscriptionAction('change-plan')),
  actionRoute('payment-method', updatePaymentMethod),
];
