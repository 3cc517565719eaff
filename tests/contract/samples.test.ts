import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkoutSessionResponses,
  documentedRequests,
  entitlementsResponses,
  errorResponses,
  portalSessionResponses,
  subscriptionsListResponses,
} from './samples/api';
import { type SignatureSample, signatureSamples } from './samples/signatures';
import { sources } from './samples/sources';
import { SAMPLE_EVENT_TIME, webhookEventSamples } from './samples/webhook-events';

const groups: Record<string, { name: string; source: string }[]> = {
  webhookEventSamples,
  signatureSamples,
  portalSessionResponses,
  checkoutSessionResponses,
  subscriptionsListResponses,
  entitlementsResponses,
  errorResponses,
  documentedRequests,
};

const citations = new Set(Object.values(sources));

function sign(sample: SignatureSample, secret: string): string {
  return createHmac('sha256', secret).update(sample.rawBody, 'utf8').digest(sample.encoding);
}

function verifies(sample: SignatureSample, secret: string): boolean {
  const expected = Buffer.from(sign(sample, secret));
  const given = Buffer.from(sample.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('contract samples', () => {
  it('every source citation is distinct', () => {
    expect(citations.size).toBe(Object.keys(sources).length);
  });

  for (const [group, samples] of Object.entries(groups)) {
    it(`${group}: every sample names a listed source and a section`, () => {
      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) {
        const [citation, section] = sample.source.split(' § ');
        expect(citations.has(citation ?? ''), `${sample.name}: ${sample.source}`).toBe(true);
        expect(section?.trim(), sample.name).toBeTruthy();
      }
    });

    it(`${group}: names are unique`, () => {
      const names = samples.map((s) => s.name);
      expect(new Set(names).size).toBe(names.length);
    });
  }

  it('every source is in the README table', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const rows = new Map(
      readme
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .map((cells) => [cells[1], cells[2]] as const),
    );
    expect(Object.entries(sources).filter(([key, c]) => rows.get(key) !== c)).toEqual([]);
  });

  it('every signature verifies in its encoding and fails with another secret', () => {
    for (const sample of signatureSamples) {
      expect(verifies(sample, sample.secret), sample.name).toBe(true);
      expect(verifies(sample, `${sample.secret}x`), sample.name).toBe(false);
      const other: SignatureSample['encoding'] = sample.encoding === 'hex' ? 'base64' : 'hex';
      expect(sign({ ...sample, encoding: other }, sample.secret), sample.name).not.toBe(
        sample.signature,
      );
    }
  });

  it('signature samples cover hex and base64', () => {
    expect(new Set(signatureSamples.map((s) => s.encoding))).toEqual(new Set(['hex', 'base64']));
  });

  it('every event body has id, type, timestamp and data, at the sample time', () => {
    for (const { name, body } of webhookEventSamples) {
      expect(body.id, name).toMatch(/^evt_/);
      expect(typeof body.type, name).toBe('string');
      expect(body.type, name).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(typeof body.timestamp, name).toBe('string');
      expect(Date.parse(String(body.timestamp)), name).toBe(Date.parse(SAMPLE_EVENT_TIME));
      expect(body.data !== null && typeof body.data === 'object', name).toBe(true);
    }
  });

  it('event ids are unique (idempotency tests rely on it)', () => {
    const ids = webhookEventSamples.map((s) => s.body.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('no sample carries metadata', () => {
    const all = JSON.stringify([
      webhookEventSamples.map((s) => s.body),
      portalSessionResponses,
      checkoutSessionResponses,
      subscriptionsListResponses,
      entitlementsResponses,
    ]);
    expect(all).not.toContain('metadata');
  });

  it('subscription meanings name ids that appear in their body', () => {
    for (const { name, body, meaning } of webhookEventSamples) {
      if (meaning.kind === 'other') continue;
      const text = JSON.stringify(body.data);
      expect(text, name).toContain(meaning.customerId);
      if (meaning.kind === 'subscription') {
        expect(text, name).toContain(meaning.subscriptionId);
        if (meaning.productId) expect(text, name).toContain(meaning.productId);
        if (meaning.currentPeriodEnd) expect(text, name).toContain(meaning.currentPeriodEnd);
        if (meaning.accessUntil) expect(text, name).toContain(meaning.accessUntil);
      } else {
        if (meaning.email) expect(text, name).toContain(meaning.email);
        if (meaning.externalId) expect(text, name).toContain(meaning.externalId);
      }
    }
  });

  it('covers the documented status spellings and event forms', () => {
    const statuses = new Set(
      webhookEventSamples.map((s) => s.body.data.status).filter((v) => typeof v === 'string'),
    );
    for (const s of ['ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED', 'active']) {
      expect(statuses.has(s), s).toBe(true);
    }
    const types = new Set(webhookEventSamples.map((s) => s.body.type));
    for (const t of [
      'checkout.completed',
      'customer.created',
      'subscription.activated',
      'subscription.cancelled',
      'subscription.renewed',
      'subscription.past_due',
      'subscription.upgraded',
      'subscription.downgraded',
      'subscription.expired',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
    const cancelledWithoutStatus = webhookEventSamples.find(
      (s) => s.body.type === 'subscription.cancelled' && !('status' in s.body.data),
    );
    expect(cancelledWithoutStatus?.body.data).toHaveProperty('accessUntil');
  });

  it('every error sample has the { error: { code, message } } body, except the proxy page', () => {
    for (const sample of errorResponses) {
      expect(sample.status, sample.name).toBeGreaterThanOrEqual(400);
      if (typeof sample.body === 'string') continue;
      const error = (sample.body as { error?: { code?: unknown; message?: unknown } }).error;
      expect(typeof error?.code, sample.name).toBe('string');
      expect(typeof error?.message, sample.name).toBe('string');
    }
    expect(errorResponses.find((e) => e.status === 429)?.headers?.['Retry-After']).toBeTruthy();
  });
});
