import type { Route } from '../context';
import { json } from '../http';
import { iso } from '../time';

export const entitlementRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/customers/entitlements',
    kind: 'api',
    handler({ app, url }) {
      const param = (name: string) => url.searchParams.get(name)?.trim() || undefined;
      const customer = app.store.resolveCustomer({
        id: param('customer_id') ?? param('customerId'),
        externalId: param('external_id') ?? param('externalId'),
        email: param('email'),
      });
      const current = app.billing.current(customer.id);
      const entitlements = current.map((sub) => {
        const product = app.store.productOf(sub);
        return {
          product: product.slug,
          product_id: product.id,
          status: sub.status,
          subscription_id: sub.id,
        };
      });
      // The customer block as the client SDK's EntitlementCustomer reads it (snake_case on the wire).
      const about = {
        id: customer.id,
        email: customer.email,
        name: customer.name,
        external_id: customer.externalId,
      };
      const top = current[0];
      if (!top) return json(200, { customer: about, entitlements });
      const product = app.store.productOf(top);
      return json(200, {
        customer: about,
        entitlements,
        subscription: {
          id: top.id,
          status: top.status,
          product: { id: product.id, slug: product.slug, name: product.name },
          current_period_end: iso(top.currentPeriodEnd),
        },
      });
    },
  },
];
