import { camelEventData } from './event-data-camel';
import { snakeEventData } from './event-data-snake';
import type { CheckoutSession, Customer, EventForm, Product, Subscription } from './types';

export type EmitEvent = (type: string, data: Record<string, unknown>) => void;

/** Subscription events from Recur's documented list that the emulator sends. */
export type SubscriptionEventType =
  | 'subscription.activated'
  | 'subscription.cancelled'
  | 'subscription.expired'
  | 'subscription.renewed'
  | 'subscription.past_due'
  | 'subscription.upgraded'
  | 'subscription.downgraded';

export type CustomerEventType = 'customer.created' | 'customer.updated';

/** What happened, before it is put in one documented form or the other. */
export type BillingEvent =
  | {
      type: SubscriptionEventType;
      subscription: Subscription;
      product: Product;
      /** Only for `subscription.past_due`. */
      failureReason?: string;
    }
  | { type: CustomerEventType; customer: Customer }
  | { type: 'checkout.completed'; session: CheckoutSession; customer: Customer; product: Product };

export type EventPublisher = (event: BillingEvent) => void;

export function eventPublisher(form: EventForm, emit: EmitEvent): EventPublisher {
  const shape = form === 'camel' ? camelEventData : snakeEventData;
  return (event) => emit(event.type, shape(event));
}
