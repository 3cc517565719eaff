import { invalidRequest } from './errors';
import {
  checkoutEventData,
  customerEventData,
  type EmitEvent,
  subscriptionEventData,
} from './events';
import type { Store } from './state';
import { addInterval } from './time';
import type {
  CheckoutSession,
  Customer,
  PaymentMethod,
  Subscription,
  SubscriptionStatus,
} from './types';

const RELEVANCE: Record<SubscriptionStatus, number> = {
  active: 0,
  trialing: 1,
  past_due: 2,
  canceled: 3,
  expired: 4,
};

const STATUS_EVENT: Record<SubscriptionStatus, string> = {
  active: 'subscription.activated',
  trialing: 'subscription.activated',
  past_due: 'subscription.payment_failed',
  canceled: 'subscription.cancelled',
  expired: 'subscription.expired',
};

export interface StatusChange {
  status: SubscriptionStatus;
  cancelAtPeriodEnd?: boolean | undefined;
  currentPeriodEnd?: number | undefined;
}

export class Billing {
  constructor(
    private readonly store: Store,
    private readonly emit: EmitEvent,
  ) {}

  private announce(type: string, subscription: Subscription): void {
    this.emit(type, subscriptionEventData(subscription, this.store.productOf(subscription)));
  }

  /** Applies what the passage of time does: cancelled subscriptions expire, others renew. */
  sweep(): void {
    const now = this.store.now();
    for (const sub of this.store.data.subscriptions) {
      if (sub.status === 'expired' || now < sub.currentPeriodEnd) continue;
      if (sub.status === 'canceled' || sub.cancelAtPeriodEnd) {
        sub.status = 'expired';
        this.store.touch();
        this.announce('subscription.expired', sub);
      } else if (sub.status === 'active' || sub.status === 'trialing') {
        const interval = this.store.productOf(sub).interval;
        while (sub.currentPeriodEnd <= now) {
          sub.currentPeriodEnd = addInterval(sub.currentPeriodEnd, interval);
        }
        const wasTrial = sub.status === 'trialing';
        sub.status = 'active';
        this.store.touch();
        if (wasTrial) this.announce('subscription.activated', sub);
      }
    }
  }

  /** Non-expired subscriptions, most relevant first. */
  current(customerId: string): Subscription[] {
    this.sweep();
    return this.store
      .subscriptionsOf(customerId)
      .filter((s) => s.status !== 'expired')
      .sort(
        (a, b) =>
          RELEVANCE[a.status] - RELEVANCE[b.status] ||
          b.currentPeriodEnd - a.currentPeriodEnd ||
          b.createdAt - a.createdAt,
      );
  }

  cancelAtPeriodEnd(sub: Subscription): void {
    if (sub.status === 'expired' || sub.status === 'canceled') {
      throw invalidRequest(
        'subscription_not_cancelable',
        `Subscription ${sub.id} is ${sub.status}`,
      );
    }
    sub.status = 'canceled';
    sub.cancelAtPeriodEnd = true;
    this.store.touch();
    this.announce('subscription.cancelled', sub);
  }

  resume(sub: Subscription): void {
    if (sub.status !== 'canceled') {
      throw invalidRequest('subscription_not_resumable', `Subscription ${sub.id} is ${sub.status}`);
    }
    sub.status = 'active';
    sub.cancelAtPeriodEnd = false;
    this.store.touch();
    this.announce('subscription.activated', sub);
  }

  setStatus(sub: Subscription, change: StatusChange): void {
    sub.status = change.status;
    sub.cancelAtPeriodEnd = change.cancelAtPeriodEnd ?? change.status === 'canceled';
    if (change.currentPeriodEnd !== undefined) sub.currentPeriodEnd = change.currentPeriodEnd;
    this.store.touch();
    this.announce(STATUS_EVENT[change.status], sub);
  }

  completeCheckout(
    session: CheckoutSession,
    payer: { email: string; name: string | null; paymentMethod: PaymentMethod },
  ): { customer: Customer; subscription: Subscription | null } {
    const { store } = this;
    const product = store.product(session.productId);
    if (!product) throw invalidRequest('product_not_found', `No product ${session.productId}`);
    let customer = store.customerByEmail(payer.email);
    if (!customer) {
      customer = store.createCustomer({
        email: payer.email,
        name: payer.name,
        externalId: session.customerExternalId,
        metadata: session.metadata,
      });
      this.emit('customer.created', customerEventData(customer));
    } else if (customer.externalId === null && session.customerExternalId !== null) {
      customer.externalId = session.customerExternalId;
    }
    store.setPaymentMethod(customer, payer.paymentMethod);
    const subscription =
      session.mode === 'SUBSCRIPTION' ? store.createSubscription(customer.id, product) : null;
    if (subscription) this.announce('subscription.activated', subscription);
    session.status = 'complete';
    session.customerId = customer.id;
    session.subscriptionId = subscription?.id ?? null;
    session.completedAt = store.now();
    store.touch();
    this.emit('checkout.completed', checkoutEventData(session, customer, product));
    return { customer, subscription };
  }
}
