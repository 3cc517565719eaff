import type { Db } from '../../db/create-db';
import type { Auth, SessionUser } from '../auth/lucia';
import type { PortalAudit } from '../billing/portal-audit';
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
  portalAudit: PortalAudit;
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
    session = await deps.auth.validateCookie(
      sessionCookieOnly(request.cookieHeader, deps.auth.cookieName),
    );
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
    throw error;
  }
  if (session?.renewedCookie) request.setCookie(session.renewedCookie);
  if (!session && hasCookie(request.cookieHeader, deps.auth.cookieName)) {
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

/**
 * `name=<id>` when the Cookie header holds a well-formed session id (Lucia's ids are lower-case
 * base32), else undefined. Lucia's own parser throws on any cookie with broken percent-encoding,
 * even another app's, and an id with a NUL byte makes the database lookup throw: both were 500s
 * for every request carrying such a cookie. A malformed id is now simply no session.
 */
function sessionCookieOnly(header: string | undefined, name: string): string | undefined {
  let id: string | undefined;
  for (const item of header?.split(';') ?? []) {
    const eq = item.indexOf('=');
    if (eq !== -1 && item.slice(0, eq).trim() === name) id = item.slice(eq + 1).trim();
  }
  return id !== undefined && /^[a-z0-9]{1,128}$/.test(id) ? `${name}=${id}` : undefined;
}

function hasCookie(header: string | undefined, name: string): boolean {
  return header?.split(';').some((item) => item.trim().startsWith(`${name}=`)) ?? false;
}
