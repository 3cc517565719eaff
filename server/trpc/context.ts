import type { Db } from '../../db/create-db';
import type { Auth, SessionUser } from '../auth/lucia';
import type { RecurClient } from '../billing/recur-client';
import type { Config } from '../config';
import { isDatabaseUnavailable } from '../database-errors';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { databaseUnavailableError } from './errors';

/** Everything a procedure may use, built once at start-up and shared by every request. */
export interface AppDeps {
  config: Config;
  db: Db;
  auth: Auth;
  recur: RecurClient;
  rateLimiter: RateLimiter;
  /** Verifies Recur webhooks; unset when RECUR_WEBHOOK_SECRET is not configured. */
  webhookSecret: string | undefined;
  log: (line: string) => void;
}

export interface Context {
  deps: AppDeps;
  user: SessionUser | null;
  sessionId: string | null;
  /** The client's IP address, for per-IP rate limits. */
  clientIp: string;
  /** Adds a Set-Cookie header to the response. */
  setCookie: (value: string) => void;
}

/** Validates the session cookie of one request; renews or clears the cookie as needed. */
export async function createContext(
  deps: AppDeps,
  request: {
    cookieHeader: string | undefined;
    clientIp: string;
    setCookie: (value: string) => void;
  },
): Promise<Context> {
  let session: Awaited<ReturnType<AppDeps['auth']['validateCookie']>>;
  try {
    session = await deps.auth.validateCookie(request.cookieHeader);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
    throw error;
  }
  if (session?.renewedCookie) request.setCookie(session.renewedCookie);
  if (!session && request.cookieHeader?.includes(`${deps.auth.cookieName}=`)) {
    request.setCookie(deps.auth.blankCookie());
  }
  return {
    deps,
    user: session?.user ?? null,
    sessionId: session?.sessionId ?? null,
    clientIp: request.clientIp,
    setCookie: request.setCookie,
  };
}
