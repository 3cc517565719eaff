import type { StatusChange } from './billing';
import type { RecurErrorResponse } from './errors';
import type { Fault, FaultMode } from './faults';
import type { EmulatorData, Fixture, SubscriptionStatus, WebhookDelivery } from './types';

export interface AdminSubscription {
  id: string;
  object: 'subscription';
  customerId: string;
  productId: string;
  status: SubscriptionStatus;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  canceledAt: string | null;
  createdAt: string;
}

export class EmulatorAdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as Partial<RecurErrorResponse> | null)?.error;
    super(error ? `${error.code}: ${error.message}` : `Emulator admin call failed (${status})`);
    this.name = 'EmulatorAdminError';
  }
}

/** A typed client for the emulator's /_emulator admin endpoints. */
export function emulatorAdmin(baseUrl: string, adminToken: string) {
  const root = baseUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${root}/_emulator${path}`, {
      method,
      headers: {
        'X-Emulator-Admin-Token': adminToken,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data: unknown = await response.json();
    if (!response.ok) throw new EmulatorAdminError(response.status, data);
    return data as T;
  }
  return {
    reset: () => call<{ ok: true }>('POST', '/reset'),
    seed: (fixture: Fixture) => call<{ ok: true }>('POST', '/seed', fixture),
    state: () => call<EmulatorData>('GET', '/state'),
    injectFault: (fault: { mode: FaultMode; count?: number; path?: string; delayMs?: number }) =>
      call<{ fault: Fault; faults: Fault[] }>('POST', '/faults', fault),
    clearFaults: () => call<{ faults: Fault[] }>('DELETE', '/faults'),
    setSubscriptionStatus: (
      id: string,
      change: Omit<StatusChange, 'currentPeriodEnd'> & { currentPeriodEnd?: string | number },
    ) => call<AdminSubscription>('POST', `/subscriptions/${encodeURIComponent(id)}/status`, change),
    webhooks: () =>
      call<{ deliveries: (WebhookDelivery & { payload: unknown })[] }>('GET', '/webhooks'),
  };
}

export type EmulatorAdmin = ReturnType<typeof emulatorAdmin>;
