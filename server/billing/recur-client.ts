import { Recur } from 'recur-tw/server';
import type { Locale } from '../../db/schema';
import { RecurError, withRecurTimeout } from './recur-error';

/** The part of the published SDK the app calls; tests may hand in another implementation. */
export type RecurSdk = Pick<Recur, 'portal' | 'entitlements'>;

export interface PortalSessionRequest {
  customerId: string;
  returnUrl: string;
  configurationId: string | undefined;
  locale: Locale;
}

export interface PortalSessionCreated {
  id: string;
  url: string;
  expiresAt: string;
}

/** Recur, as the app uses it: every call has a timeout and fails with a RecurError. */
export interface RecurClient {
  createPortalSession(request: PortalSessionRequest): Promise<PortalSessionCreated>;
}

export interface RecurClientOptions {
  secretKey: string;
  apiUrl: string;
  timeoutMs: number;
  /** Replaces the SDK built from secretKey and apiUrl. */
  sdk?: RecurSdk;
}

export function createRecurClient(options: RecurClientOptions): RecurClient {
  const sdk = options.sdk ?? new Recur(options.secretKey, { baseUrl: options.apiUrl });
  const call = <T>(fn: () => Promise<T>) => withRecurTimeout(options.timeoutMs, fn);

  return {
    async createPortalSession(request) {
      const session = await call(() =>
        sdk.portal.sessions.create({
          customer: request.customerId,
          returnUrl: request.returnUrl,
          ...(request.configurationId ? { configuration: request.configurationId } : {}),
          locale: request.locale,
        }),
      );
      if (typeof session.url !== 'string' || !/^https?:\/\//.test(session.url)) {
        throw new RecurError('unavailable', 'portal session response had no usable url');
      }
      return { id: session.id, url: session.url, expiresAt: session.expiresAt };
    },
  };
}
