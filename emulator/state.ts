import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { customerNotFound, EmulatorError, invalidRequest } from './errors';
import { parseFixture } from './fixture-schema';
import { newId } from './ids';
import { addInterval } from './time';
import type {
  CheckoutSession,
  Customer,
  EmulatorData,
  Fixture,
  PaymentMethod,
  Product,
  Subscription,
} from './types';

export interface CustomerQuery {
  id?: string | undefined;
  externalId?: string | undefined;
  email?: string | undefined;
}

function fixtureTime(id: string, field: string, value: string | number): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw invalidRequest('invalid_fixture', `Subscription ${id}: bad ${field}`);
  return ms;
}

export function fixtureToData(input: Fixture, now: number): EmulatorData {
  const fixture = parseFixture(input);
  const products: Product[] = fixture.products.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    price: p.price,
    currency: 'TWD',
    interval: p.interval ?? 'month',
  }));
  const customers: Customer[] = fixture.customers.map((c) => ({
    id: c.id,
    email: c.email,
    name: c.name ?? null,
    externalId: c.externalId ?? null,
    paymentMethod: null,
    createdAt: now,
  }));
  const subscriptions: Subscription[] = fixture.subscriptions.map((s) => {
    const product = products.find((p) => p.id === s.product || p.slug === s.product);
    if (!product)
      throw invalidRequest('invalid_fixture', `Subscription ${s.id}: no product ${s.product}`);
    if (!customers.some((c) => c.id === s.customerId)) {
      throw invalidRequest('invalid_fixture', `Subscription ${s.id}: no customer ${s.customerId}`);
    }
    const status = s.status ?? 'active';
    const currentPeriodEnd =
      s.currentPeriodEnd === undefined
        ? addInterval(now, product.interval)
        : fixtureTime(s.id, 'currentPeriodEnd', s.currentPeriodEnd);
    const canceledAt =
      s.canceledAt === undefined || s.canceledAt === null
        ? status === 'canceled'
          ? now
          : null
        : fixtureTime(s.id, 'canceledAt', s.canceledAt);
    return {
      id: s.id,
      customerId: s.customerId,
      productId: product.id,
      status,
      currentPeriodStart: addInterval(currentPeriodEnd, product.interval, -1),
      currentPeriodEnd,
      canceledAt,
      createdAt: now,
    };
  });
  return {
    products,
    customers,
    subscriptions,
    portalSessions: [],
    checkoutSessions: [],
    webhookDeliveries: [],
  };
}

type Legacy<T> = Partial<T> & { metadata?: unknown; cancelAtPeriodEnd?: unknown };

/** A state file from an older emulator: fills the fields it lacks, drops the retired ones. */
function upgradeLoaded(data: EmulatorData): void {
  for (const sub of data.subscriptions as Legacy<Subscription>[]) {
    const interval = data.products.find((p) => p.id === sub.productId)?.interval ?? 'month';
    sub.currentPeriodStart ??= addInterval(sub.currentPeriodEnd ?? 0, interval, -1);
    sub.canceledAt ??= sub.status === 'canceled' ? (sub.createdAt ?? null) : null;
    delete sub.cancelAtPeriodEnd;
  }
  for (const customer of data.customers as Legacy<Customer>[]) delete customer.metadata;
  for (const session of data.checkoutSessions as Legacy<CheckoutSession>[]) {
    const old = session as { customerExternalId?: string | null };
    session.externalCustomerId ??= old.customerExternalId ?? null;
    session.customerName ??= null;
    delete old.customerExternalId;
    delete session.metadata;
  }
}

export class Store {
  data: EmulatorData;
  private dirty = false;

  constructor(
    private readonly fixture: Fixture,
    readonly now: () => number,
    private readonly statePath?: string,
  ) {
    this.data = this.load();
  }

  private load(): EmulatorData {
    if (this.statePath && existsSync(this.statePath)) {
      let parsed: Partial<EmulatorData>;
      try {
        parsed = JSON.parse(readFileSync(this.statePath, 'utf8')) as Partial<EmulatorData>;
      } catch (error) {
        throw new Error(`Recur emulator: cannot read state file ${this.statePath}: ${error}`);
      }
      const fresh = fixtureToData(this.fixture, this.now());
      const data = { ...fresh, ...parsed };
      upgradeLoaded(data);
      return data;
    }
    this.dirty = true;
    return fixtureToData(this.fixture, this.now());
  }

  /** Replaces all state with the startup fixture, or with the given one for this run only. */
  reset(fixture?: Fixture): void {
    this.data = fixtureToData(fixture ?? this.fixture, this.now());
    this.touch();
  }

  touch(): void {
    this.dirty = true;
  }

  flush(): void {
    if (!this.statePath || !this.dirty) return;
    this.dirty = false;
    mkdirSync(dirname(this.statePath), { recursive: true });
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.statePath);
  }

  productById(id: string): Product | undefined {
    return this.data.products.find((p) => p.id === id);
  }

  productBySlug(slug: string): Product | undefined {
    return this.data.products.find((p) => p.slug === slug);
  }

  productOf(subscription: Subscription): Product {
    const product = this.productById(subscription.productId);
    if (!product) throw new EmulatorError(500, 'api_error', 'internal_error', 'Dangling product');
    return product;
  }

  customer(id: string): Customer | undefined {
    return this.data.customers.find((c) => c.id === id);
  }

  customerByEmail(email: string): Customer | undefined {
    const wanted = email.trim().toLowerCase();
    return this.data.customers.find((c) => c.email.toLowerCase() === wanted);
  }

  /** Highest-priority identifier wins: id, then external id, then email. */
  resolveCustomer(query: CustomerQuery): Customer {
    let found: Customer | undefined;
    let described: string;
    if (query.id) {
      found = this.customer(query.id);
      described = `id ${query.id}`;
    } else if (query.externalId) {
      found = this.data.customers.find((c) => c.externalId === query.externalId);
      described = `external id ${query.externalId}`;
    } else if (query.email) {
      found = this.customerByEmail(query.email);
      described = `email ${query.email}`;
    } else {
      throw invalidRequest(
        'missing_customer_identifier',
        'At least one of customer id, external id or email is required',
      );
    }
    if (!found) throw customerNotFound(`No customer with ${described}`);
    return found;
  }

  subscription(id: string): Subscription | undefined {
    return this.data.subscriptions.find((s) => s.id === id);
  }

  subscriptionsOf(customerId: string): Subscription[] {
    return this.data.subscriptions.filter((s) => s.customerId === customerId);
  }

  createCustomer(input: {
    email: string;
    name: string | null;
    externalId: string | null;
  }): Customer {
    const customer: Customer = {
      id: newId('cus'),
      ...input,
      paymentMethod: null,
      createdAt: this.now(),
    };
    this.data.customers.push(customer);
    this.touch();
    return customer;
  }

  setPaymentMethod(customer: Customer, paymentMethod: PaymentMethod): void {
    customer.paymentMethod = paymentMethod;
    this.touch();
  }

  createSubscription(customerId: string, product: Product): Subscription {
    const now = this.now();
    const subscription: Subscription = {
      id: newId('sub'),
      customerId,
      productId: product.id,
      status: 'active',
      currentPeriodStart: now,
      currentPeriodEnd: addInterval(now, product.interval),
      canceledAt: null,
      createdAt: now,
    };
    this.data.subscriptions.push(subscription);
    this.touch();
    return subscription;
  }
}
