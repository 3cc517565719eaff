import { invalidRequest, resourceNotFound } from './errors';
import type { EventPublisher, SubscriptionEventType } from './events';
import type { Store } from './state';
import { addInterval } from './time';
import type {
  CheckoutSession,
  Customer,
  PaymentMethod,
  Product,
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

const STATUS_EVENT: Record<SubscriptionStatus, SubscriptionEventType> = {
  active: 'subscription.activated',
  trialing: 'subscription.activated',
  past_due: 'subscription.past_due',
  canceled: 'subscription.cancelled',
  expired: 'subscription.expired',
};

export interface StatusChange {
  status: SubscriptionStatus;
  currentPeriodEnd?: number | undefined;
  /** For `past_due`: the camelCase event's `failureReason` (default `card_declined`). */
  failureReason?: string | undefined;
}

/** A monthly figure, so a yearly plan compares fairly with a monthly one. */
const monthlyPrice = (product: Product) =>
  product.interval === 'year' ? product.price / 12 : product.price;

export class Billing {
  constructor(
    private readonly store: Store,
    private readonly publish: EventPublisher,
  ) {}

  private announce(
    type: SubscriptionEventType,
    subscription: Subscription,
    failureReason?: string,
  ) {
    const product = this.store.productOf(subscription);
    this.publish({ type, subscription, product, ...(failureReason ? { failureReason } : {}) });
  }

  /** Applies what the passage of time does: cancelled subscriptions expire, others renew. */
  sweep(): void {
    const now = this.store.now();
    for (const sub of this.store.data.subscriptions) {
      if (sub.status === 'expired' || now < sub.currentPeriodEnd) continue;
      if (sub.status === 'canceled') {
        sub.status = 'expired';
        this.store.touch();
        this.announce('subscription.expired', sub);
      } else if (sub.status === 'active' || sub.status === 'trialing') {
        const interval = this.store.productOf(sub).interval;
        // A trial that ends converts (activated); a paid period that ends renews, once per period.
        let type: SubscriptionEventType =
          sub.status === 'trialing' ? 'subscription.activated' : 'subscription.renewed';
        sub.status = 'active';
        while (sub.currentPeriodEnd <= now) {
          sub.currentPeriodStart = sub.currentPeriodEnd;
          sub.currentPeriodEnd = addInterval(sub.currentPeriodEnd, interval);
          this.store.touch();
          this.announce(type, sub);
          type = 'subscription.renewed';
        }
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

  /** The portal's cancel: access lasts until the period ends, then the subscription expires. */
  cancel(sub: Subscription): void {
    if (sub.status === 'expired' || sub.status === 'canceled') {
      throw invalidRequest(
        'subscription_not_cancelable',
        `Subscription ${sub.id} is ${sub.status}`,
      );
    }
    sub.status = 'canceled';
    sub.canceledAt = this.store.now();
    this.store.touch();
    this.announce('subscription.cancelled', sub);
  }

  resume(sub: Subscription): void {
    if (sub.status !== 'canceled') {
      throw invalidRequest('subscription_not_resumable', `Subscription ${sub.id} is ${sub.status}`);
    }
    sub.status = 'active';
    sub.canceledAt = null;
    this.store.touch();
    this.announce('subscription.activated', sub);
  }

  /** The portal's plan change: takes effect now, keeps the period; no proration. */
  changePlan(sub: Subscription, product: Product): void {
    if (sub.status !== 'active' && sub.status !== 'trialing') {
      throw invalidRequest(
        'subscription_not_changeable',
        `Subscription ${sub.id} is ${sub.status}`,
      );
    }
    const from = this.store.productOf(sub);
    if (from.id === product.id) {
      throw invalidRequest('same_product', `Subscription ${sub.id} is already on ${product.slug}`);
    }
    sub.productId = product.id;
    this.store.touch();
    const up = monthlyPrice(product) > monthlyPrice(from);
    this.announce(up ? 'subscription.upgraded' : 'subscription.downgraded', sub);
  }

  setStatus(sub: Subscription, change: StatusChange): void {
    sub.status = change.status;
    if (change.status === 'canceled') sub.canceledAt ??= this.store.now();
    else if (change.status !== 'expired') sub.canceledAt = null;
    if (change.currentPeriodEnd !== undefined) sub.currentPeriodEnd = change.currentPeriodEnd;
    this.store.touch();
    this.announce(STATUS_EVENT[change.status], sub, change.failureReason);
  }

  /**
   * A paid checkout. A customer with the payer's email gets the subscription (Recur's documented
   * behaviour, even when the checkout named another `externalCustomerId`); its external id is set
   * only if it had none. Otherwise a new customer is created with that external id.
   */
  completeCheckout(
    session: CheckoutSession,
    payer: { email: string; name: string | null; paymentMethod: PaymentMethod },
  ): { customer: Customer; subscription: Subscription | null } {
    const { store } = this;
    const product = store.productById(session.productId);
    if (!product) throw resourceNotFound(`No product ${session.productId}`);
    let customer = store.customerByEmail(payer.email);
    if (!customer) {
      customer = store.createCustomer({
        email: payer.email,
        name: payer.name,
        externalId: session.externalCustomerId,
      });
      this.publish({ type: 'customer.created', customer });
    } else if (customer.externalId === null && session.externalCustomerId !== null) {
      customer.externalId = session.externalCustomerId;
      store.touch();
      this.publish({ type: 'customer.updated', customer });
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
    this.publish({ type: 'checkout.completed', session, customer, product });
    return { customer, subscription };
  }
}
