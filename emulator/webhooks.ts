import { createHmac } from 'node:crypto';
import type { EmitEvent } from './events';
import { newId } from './ids';
import type { Store } from './state';
import { iso } from './time';
import type { SignatureEncoding, WebhookAttempt, WebhookDelivery, WebhookOptions } from './types';

const ATTEMPT_TIMEOUT_MS = 10_000;

/** HMAC-SHA256 of the raw body, keyed with the whole `whsec_…` string. */
export function signWebhookPayload(
  rawBody: string,
  secret: string,
  encoding: SignatureEncoding = 'base64',
): string {
  return createHmac('sha256', secret).update(rawBody).digest(encoding);
}

export class WebhookDispatcher {
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly aborter = new AbortController();
  private closed = false;

  constructor(
    private readonly store: Store,
    private options: WebhookOptions | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /** Points later deliveries at another endpoint (or none). */
  configure(options: WebhookOptions | undefined): void {
    this.options = options;
  }

  readonly emit: EmitEvent = (type, data) => {
    const now = this.store.now();
    const id = newId('evt');
    // The envelope's timestamp is ISO-8601 (the docs); X-Recur-Timestamp is Unix ms per attempt.
    const body = JSON.stringify({ id, type, timestamp: iso(now), data });
    const delivery: WebhookDelivery = {
      id,
      type,
      url: this.options?.url ?? null,
      body,
      status: this.options ? 'pending' : 'skipped',
      attempts: [],
      createdAt: now,
    };
    this.store.data.webhookDeliveries.push(delivery);
    this.store.touch();
    if (!this.options || this.closed) return;
    const run = this.deliver(delivery, this.options).finally(() => this.pending.delete(run));
    this.pending.add(run);
  };

  /** Resolves once every queued delivery has succeeded or used up its attempts. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    this.aborter.abort();
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private async deliver(delivery: WebhookDelivery, options: WebhookOptions): Promise<void> {
    const maxAttempts = options.maxAttempts ?? 5;
    const baseDelayMs = options.baseDelayMs ?? 1000;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.closed) return;
      const result = await this.attempt(delivery, options);
      if (this.closed) return;
      delivery.attempts.push(result);
      this.store.touch();
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      this.log(
        `webhook ${delivery.type} ${delivery.id} attempt ${attempt}: ${result.status ?? result.error}`,
      );
      if (ok) {
        delivery.status = 'delivered';
        this.store.flush();
        return;
      }
      if (attempt < maxAttempts) await this.sleep(baseDelayMs * 2 ** (attempt - 1));
    }
    if (this.closed) return;
    delivery.status = 'failed';
    this.store.flush();
  }

  private async attempt(
    delivery: WebhookDelivery,
    options: WebhookOptions,
  ): Promise<WebhookAttempt> {
    const at = this.store.now();
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'recur-emulator',
          'X-Recur-Signature': signWebhookPayload(
            delivery.body,
            options.secret,
            options.signatureEncoding,
          ),
          'X-Recur-Event-Id': delivery.id,
          'X-Recur-Event-Type': delivery.type,
          // When this attempt was sent; the body keeps the event's own time.
          'X-Recur-Timestamp': String(at),
        },
        body: delivery.body,
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { at, status: response.status, error: null };
    } catch (error) {
      return { at, status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}
