import { isRecurId } from '../billing/recur-ids';
import {
  normalizeSubscriptionStatus,
  type SubscriptionStatus,
} from '../billing/subscription-status';
import type { RecurEvent } from './recur-event';

/**
 * A Recur event reduced to what the app acts on. Recur documents the same events in two forms
 * (its skills page: camelCase `{ subscriptionId, customerId, … }`; its event reference:
 * snake_case subscription objects `{ id, customer_id, status: 'ACTIVE', … }`); both are read
 * here, once, so nothing after this point knows which form arrived.
 */
export type NormalizedEvent =
  | {
      kind: 'customer';
      customerId: string;
      /** Our user id, as sent in `externalCustomerId` at checkout. */
      externalId: string | null;
      /** The user id of our own checkout metadata, if Recur ever sends it back (none documents it). */
      metadataUserId: string | null;
    }
  | {
      kind: 'subscription';
      subscriptionId: string;
      customerId: string;
      /** null when the event says nothing about the status (e.g. an upgrade without one). */
      status: SubscriptionStatus | null;
    }
  /** A known type whose data lacks what the app needs: stored and answered 2xx, never applied. */
  | { kind: 'unusable'; reason: string }
  | { kind: 'ignored' };

const CUSTOMER_EVENTS = new Set(['checkout.completed', 'customer.created', 'customer.updated']);

/** The status an event implies when its data carries none (`subscription.cancelled` has none). */
const STATUS_OF_TYPE: Record<string, SubscriptionStatus> = {
  'subscription.activated': 'active',
  'subscription.renewed': 'active',
  'subscription.cancelled': 'canceled',
  'subscription.expired': 'expired',
  'subscription.past_due': 'past_due',
};

const SUBSCRIPTION_EVENTS = new Set([
  'subscription.created',
  'subscription.activated',
  'subscription.cancelled',
  'subscription.expired',
  'subscription.trial_ending',
  'subscription.upgraded',
  'subscription.downgraded',
  'subscription.renewed',
  'subscription.past_due',
]);

export function normalizeRecurEvent(event: Pick<RecurEvent, 'type' | 'data'>): NormalizedEvent {
  const data = event.data;
  if (CUSTOMER_EVENTS.has(event.type)) {
    const isCustomer = event.type.startsWith('customer.');
    const customerId = isCustomer
      ? id(data, 'id', 'customerId', 'customer_id')
      : id(data, 'customerId', 'customer_id');
    if (!customerId) return { kind: 'unusable', reason: 'no customer id' };
    // Only a customer's own external id names its owner. A checkout describes who paid, and
    // Recur attaches a checkout to an existing customer with the same email, so the payer need
    // not be the owner: checkout.completed names no one. Our own checkout metadata is the
    // payer's too, trusted only on a customer that checkout just created.
    return {
      kind: 'customer',
      customerId,
      externalId: isCustomer ? id(data, 'externalId', 'external_id') : null,
      metadataUserId:
        event.type === 'customer.created' ? id(record(data.metadata), 'userId') : null,
    };
  }
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const subscriptionId = id(data, 'subscriptionId', 'subscription_id', 'id');
    const customerId = id(data, 'customerId', 'customer_id');
    if (!subscriptionId || !customerId) {
      return { kind: 'unusable', reason: 'no subscription or customer id' };
    }
    const given = data.status;
    const status =
      given === undefined || given === null
        ? (STATUS_OF_TYPE[event.type] ?? null)
        : normalizeSubscriptionStatus(given);
    if (status === null && given !== undefined && given !== null) {
      return { kind: 'unusable', reason: 'unknown status' };
    }
    return { kind: 'subscription', subscriptionId, customerId, status };
  }
  return { kind: 'ignored' };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The first of `keys` that holds a well-formed id; a malformed one counts as absent. */
function id(source: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    if (isRecurId(source[key])) return source[key] as string;
  }
  return null;
}
