import { z } from 'zod';
import type { Route } from '../context';
import { invalidRequest, notFound } from '../errors';
import { parseFixture, subscriptionStatusSchema } from '../fixture-schema';
import { json, parseJsonObject } from '../http';
import { iso, isoOrNull } from '../time';
import type { Subscription, WebhookDelivery } from '../types';

const statusChangeSchema = z.object({
  status: subscriptionStatusSchema,
  currentPeriodEnd: z.union([z.string(), z.number()]).optional(),
  failureReason: z.string().min(1).optional(),
});

export function subscriptionJson(sub: Subscription) {
  return {
    id: sub.id,
    object: 'subscription',
    customerId: sub.customerId,
    productId: sub.productId,
    status: sub.status,
    currentPeriodStart: iso(sub.currentPeriodStart),
    currentPeriodEnd: iso(sub.currentPeriodEnd),
    canceledAt: isoOrNull(sub.canceledAt),
    createdAt: iso(sub.createdAt),
  };
}

export function deliveryJson(delivery: WebhookDelivery) {
  return { ...delivery, payload: JSON.parse(delivery.body) as unknown };
}

export const adminRoutes: Route[] = [
  {
    method: 'GET',
    path: '/_emulator/health',
    kind: 'public',
    handler: () => json(200, { ok: true }),
  },
  {
    method: 'POST',
    path: '/_emulator/reset',
    kind: 'admin',
    handler({ app }) {
      app.store.reset();
      app.faults.clear();
      return json(200, { ok: true });
    },
  },
  {
    method: 'POST',
    path: '/_emulator/seed',
    kind: 'admin',
    async handler({ app, body }) {
      app.store.reset(parseFixture(parseJsonObject(await body())));
      app.faults.clear();
      return json(200, { ok: true });
    },
  },
  {
    method: 'GET',
    path: '/_emulator/state',
    kind: 'admin',
    handler({ app }) {
      app.billing.sweep();
      return json(200, app.store.data);
    },
  },
  {
    method: 'POST',
    path: '/_emulator/subscriptions/:id/status',
    kind: 'admin',
    async handler({ app, body, params }) {
      const sub = app.store.subscription(params.id ?? '');
      if (!sub) throw notFound('subscription_not_found', `No subscription ${params.id}`);
      const parsed = statusChangeSchema.safeParse(parseJsonObject(await body()));
      if (!parsed.success) {
        throw invalidRequest(
          'invalid_status',
          'Send { status: active|trialing|past_due|canceled|expired, currentPeriodEnd?, failureReason? }',
        );
      }
      const { status, currentPeriodEnd, failureReason } = parsed.data;
      const end =
        typeof currentPeriodEnd === 'string' ? Date.parse(currentPeriodEnd) : currentPeriodEnd;
      if (end !== undefined && Number.isNaN(end)) {
        throw invalidRequest('invalid_status', 'currentPeriodEnd is not a date');
      }
      app.billing.setStatus(sub, { status, currentPeriodEnd: end, failureReason });
      return json(200, subscriptionJson(sub));
    },
  },
  {
    method: 'GET',
    path: '/_emulator/webhooks',
    kind: 'admin',
    handler({ app }) {
      return json(200, { deliveries: app.store.data.webhookDeliveries.map(deliveryJson) });
    },
  },
  {
    method: 'GET',
    path: '/_emulator/faults',
    kind: 'admin',
    handler: ({ app }) => json(200, { faults: app.faults.list() }),
  },
  {
    method: 'POST',
    path: '/_emulator/faults',
    kind: 'admin',
    async handler({ app, body }) {
      const fault = app.faults.add(parseJsonObject(await body()));
      return json(201, { fault, faults: app.faults.list() });
    },
  },
  {
    method: 'DELETE',
    path: '/_emulator/faults',
    kind: 'admin',
    handler({ app }) {
      app.faults.clear();
      return json(200, { faults: [] });
    },
  },
];
