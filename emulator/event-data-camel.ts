import { snakeEventData } from './event-data-snake';
import type { BillingEvent } from './events';
import { upperStatus } from './status';
import { iso } from './time';

/**
 * The recur-webhooks skill page's camelCase forms. Events that page does not show (expired,
 * upgraded, downgraded) take the `subscription.activated` form; customer events, which no source
 * shows in camelCase, keep the docs' snake_case form. Never metadata.
 */
export function camelEventData(event: BillingEvent): Record<string, unknown> {
  switch (event.type) {
    case 'customer.created':
    case 'customer.updated':
      return snakeEventData(event);
    case 'checkout.completed': {
      const { session, customer, product } = event;
      return {
        customerId: customer.id,
        customerEmail: customer.email,
        ...(session.subscriptionId ? { subscriptionId: session.subscriptionId } : {}),
        productId: product.id,
        amount: product.price,
        currency: product.currency,
      };
    }
    case 'subscription.cancelled': {
      const { subscription: sub } = event;
      return {
        subscriptionId: sub.id,
        customerId: sub.customerId,
        cancelledAt: iso(sub.canceledAt ?? sub.currentPeriodStart),
        accessUntil: iso(sub.currentPeriodEnd),
      };
    }
    case 'subscription.renewed': {
      const { subscription: sub, product } = event;
      return {
        subscriptionId: sub.id,
        customerId: sub.customerId,
        amount: product.price,
        nextBillingDate: iso(sub.currentPeriodEnd),
      };
    }
    case 'subscription.past_due': {
      const { subscription: sub } = event;
      return {
        subscriptionId: sub.id,
        customerId: sub.customerId,
        failureReason: event.failureReason ?? 'card_declined',
      };
    }
    default: {
      const { subscription: sub } = event;
      return {
        subscriptionId: sub.id,
        customerId: sub.customerId,
        productId: sub.productId,
        status: upperStatus(sub.status),
      };
    }
  }
}
