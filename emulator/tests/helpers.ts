import { Recur } from 'recur-tw/server';
import { STARTER_PRODUCT_ID } from '../fixture';
import type { RunningEmulator } from '../index';

export const sdk = (emulator: RunningEmulator) =>
  new Recur(emulator.secretKey, { baseUrl: emulator.url });

export function api(
  emulator: RunningEmulator,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${emulator.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      Authorization: `Bearer ${emulator.secretKey}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export function admin(
  emulator: RunningEmulator,
  path: string,
  init: { method?: string; body?: unknown } = {},
) {
  return fetch(`${emulator.url}/_emulator${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'X-Emulator-Admin-Token': emulator.adminToken, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export function postForm(url: string, fields: Record<string, string>, cookie?: string) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** "name=value" from the Set-Cookie header, ready to send back. */
export function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
}

export function hiddenToken(page: string): string {
  const match = /name="token" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('no token field in the page');
  return match[1];
}

export async function createCheckout(
  emulator: RunningEmulator,
  body: Record<string, unknown> = {},
) {
  const response = await api(emulator, '/v1/checkout/sessions', {
    body: {
      productId: STARTER_PRODUCT_ID,
      mode: 'SUBSCRIPTION',
      successUrl: 'https://app.example.com/billing/success?session={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://app.example.com/pricing',
      ...body,
    },
  });
  if (response.status !== 201) throw new Error(`checkout create failed: ${response.status}`);
  return (await response.json()) as { id: string; url: string; expiresAt: string };
}

/** Every path in a JSON value whose key is one of `names` (to prove a field is never sent). */
export function keysNamed(value: unknown, names: string[], path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysNamed(v, names, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(names.includes(key) ? [`${path}.${key}`] : []),
    ...keysNamed(v, names, `${path}.${key}`),
  ]);
}

/** Fields no public Recur source shows in any answer or event. */
export const NEVER_SENT = ['metadata', 'cancel_at_period_end', 'cancelAtPeriodEnd'];
