import type { BillingEvent } from './events';
import { upperStatus } from './status';
import { iso, isoOrNull } from './time';

/**
 * The docs' event reference: snake_case objects, upper-case statuses ("consistent with the API").
 * Only fields a public source shows; never metadata.
 */
export function snakeEventData(event: BillingEvent): Record<string, unknown> {
  switch (event.type) {
    case 'customer.created':
    case 'customer.updated': {
      const { customer } = event;
      return {
        id: customer.id,
        email: customer.email,
        name: customer.name,
        external_id: customer.externalId,
      };
    }
    case 'checkout.completed': {
      const { session, customer, product } = event;
      return {
        customer_id: customer.id,
        customer_email: customer.email,
        subscription_id: session.subscriptionId,
        product_id: product.id,
        amount: product.price,
        currency: product.currency,
      };
    }
    default: {
      const { subscription: sub } = event;
      return {
        id: sub.id,
        customer_id: sub.customerId,
        product_id: sub.productId,
        status: upperStatus(sub.status),
        current_period_end: iso(sub.currentPeriodEnd),
        canceled_at: isoOrNull(sub.canceledAt),
      };
    }
  }
}
