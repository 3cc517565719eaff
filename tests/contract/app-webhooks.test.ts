// The app reads every documented webhook form: each sample of Recur's public material goes
// through the envelope schema, the normaliser, and the running route.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../server/app';
import { normalizeRecurEvent } from '../../server/webhooks/normalize-event';
import { recurEventSchema } from '../../server/webhooks/recur-event';
import { isValidRecurSignature } from '../../server/webhooks/signature';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { signatureSamples } from './samples/signatures';
import { webhookEventSamples } from './samples/webhook-events';

/** What an event without a status says about it, read from its documented type. */
const STATUS_OF_TYPE: Record<string, string> = {
  'subscription.activated': 'active',
  'subscription.renewed': 'active',
  'subscription.cancelled': 'canceled',
  'subscription.expired': 'expired',
  'subscription.past_due': 'past_due',
};

describe.each(webhookEventSamples)('webhook sample: $name', (sample) => {
  it('fits the envelope schema', () => {
    expect(recurEventSchema.safeParse(sample.body).success).toBe(true);
  });

  it('normalises to what the source says it means', () => {
    const normalized = normalizeRecurEvent(sample.body);
    const meaning = sample.meaning;
    if (meaning.kind === 'customer') {
      expect(normalized).toMatchObject({
        kind: 'customer',
        customerId: meaning.customerId,
        externalId: meaning.externalId,
      });
    } else if (meaning.kind === 'subscription') {
      expect(normalized).toMatchObject({
        kind: 'subscription',
        subscriptionId: meaning.subscriptionId,
        customerId: meaning.customerId,
        status: meaning.status ?? STATUS_OF_TYPE[sample.body.type] ?? null,
      });
    } else {
      expect(normalized.kind).toBe('ignored');
    }
  });
});

describe.each(signatureSamples)('signature sample: $name', (sample) => {
  it('verifies with its secret and not with another', () => {
    const body = Buffer.from(sample.rawBody);
    expect(isValidRecurSignature(body, sample.signature, sample.secret)).toBe(true);
    expect(isValidRecurSignature(body, sample.signature, `${sample.secret}x`)).toBe(false);
  });
});

describe('every documented event, delivered to the running app', () => {
  const SECRET = 'whsec_contract_samples';
  let database: TestDatabase;
  let app: RunningApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp(database, { env: { RECUR_WEBHOOK_SECRET: SECRET } });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it.each(['hex', 'base64'] as const)(
    'is answered 2xx, never 400 (%s signatures)',
    async (encoding) => {
      for (const sample of webhookEventSamples) {
        // A fresh event id per delivery: each must be processed, not skipped as a duplicate.
        const body = JSON.stringify({ ...sample.body, id: `${sample.body.id}_${encoding}` });
        const response = await fetch(new URL('/api/webhooks/recur', app.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-recur-signature': createHmac('sha256', SECRET).update(body).digest(encoding),
            'x-recur-event-id': sample.body.id,
            'x-recur-event-type': sample.body.type,
            'x-recur-timestamp': String(Date.now()),
          },
          body,
        });
        // 503 is the documented "retry later" for a subscription whose customer is not linked
        // yet; everything else is accepted.
        expect([200, 503], sample.name).toContain(response.status);
        if (sample.meaning.kind !== 'subscription') expect(response.status, sample.name).toBe(200);
      }
    },
  );
});
