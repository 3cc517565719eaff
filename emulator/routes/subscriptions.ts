import type { App, Route } from '../context';
import { invalidRequest, resourceNotFound } from '../errors';
import { json } from '../http';
import { ACTIVE_STATUSES, parseStatus, upperStatus } from '../status';
import { iso, isoOrNull } from '../time';
import type { Subscription, SubscriptionStatus } from '../types';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/** One subscription as the Subscriptions API page shows it (snake_case, upper-case status). */
function subscriptionItem(app: App, sub: Subscription) {
  const product = app.store.productOf(sub);
  return {
    id: sub.id,
    object: 'subscription',
    customer_id: sub.customerId,
    status: upperStatus(sub.status),
    product_id: product.id,
    product_slug: product.slug,
    product_name: product.name,
    amount: product.price,
    interval: product.interval,
    interval_count: 1,
    current_period_start: iso(sub.currentPeriodStart),
    current_period_end: iso(sub.currentPeriodEnd),
    canceled_at: isoOrNull(sub.canceledAt),
    started_at: iso(sub.createdAt),
  };
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw invalidRequest('invalid_parameter', 'limit must be a positive integer');
  }
  return Math.min(limit, MAX_LIMIT);
}

function parseActive(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidRequest('invalid_parameter', 'active must be true or false');
}

function parseStatusFilter(value: string | undefined): SubscriptionStatus | undefined {
  if (value === undefined) return undefined;
  const status = parseStatus(value);
  if (!status) throw invalidRequest('invalid_parameter', `Unknown status ${value}`);
  return status;
}

export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/subscriptions',
    kind: 'api',
    handler({ app, url }) {
      const param = (name: string) => url.searchParams.get(name)?.trim() || undefined;
      const customerQuery = {
        id: param('customer_id'),
        externalId: param('external_id'),
        email: param('email'),
      };
      const customer =
        customerQuery.id || customerQuery.externalId || customerQuery.email
          ? app.store.resolveCustomer(customerQuery)
          : undefined;
      const productId = param('product_id');
      const productSlug = param('product_slug');
      const active = parseActive(param('active'));
      const status = parseStatusFilter(param('status'));
      const limit = parseLimit(param('limit'));
      const startingAfter = param('starting_after');

      app.billing.sweep();
      // Newest first; equal creation times keep the newest-inserted first.
      const ofCustomer = app.store.data.subscriptions
        .map((sub, index) => ({ sub, index }))
        .filter(({ sub }) => !customer || sub.customerId === customer.id)
        .filter(({ sub }) => {
          const product = app.store.productOf(sub);
          return (
            (!productId || product.id === productId) &&
            (!productSlug || product.slug === productSlug)
          );
        })
        .sort((a, b) => b.sub.createdAt - a.sub.createdAt || b.index - a.index)
        .map(({ sub }) => sub);
      const hasActive = ofCustomer.some((s) => ACTIVE_STATUSES.includes(s.status));
      const matching = ofCustomer.filter(
        (s) => (!active || ACTIVE_STATUSES.includes(s.status)) && (!status || s.status === status),
      );
      let from = 0;
      if (startingAfter !== undefined) {
        const at = matching.findIndex((s) => s.id === startingAfter);
        if (at < 0) throw resourceNotFound(`No subscription ${startingAfter} in this list`);
        from = at + 1;
      }
      const page = matching.slice(from, from + limit);
      return json(200, {
        object: 'list',
        has_active_subscription: hasActive,
        subscriptions: page.map((sub) => subscriptionItem(app, sub)),
        has_more: from + limit < matching.length,
      });
    },
  },
];
