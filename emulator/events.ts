import { iso } from './time';
import type { CheckoutSession, Customer, Product, Subscription } from './types';

export type EmitEvent = (type: string, data: Record<string, unknown>) => void;

export function subscriptionEventData(subscription: Subscription, product: Product) {
  return {
    object: 'subscription',
    id: subscription.id,
    customerId: subscription.customerId,
    productId: product.id,
    productSlug: product.slug,
    status: subscription.status,
    currentPeriodEnd: iso(subscription.currentPeriodEnd),
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
  };
}

export function customerEventData(customer: Customer) {
  return {
    object: 'customer',
    id: customer.id,
    email: customer.email,
    name: customer.name,
    externalId: customer.externalId,
    metadata: customer.metadata,
  };
}

export function checkoutEventData(session: CheckoutSession, customer: Customer, product: Product) {
  return {
    object: 'checkout.session',
    id: session.id,
    customerId: customer.id,
    customerEmail: customer.email,
    productId: product.id,
    productSlug: product.slug,
    subscriptionId: session.subscriptionId,
    metadata: session.metadata,
  };
}
