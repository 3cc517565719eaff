import type { Db } from '../../db/create-db';
import type { Auth, SessionUser, ValidatedSession } from '../auth/lucia';
import type { PortalAudit } from '../billing/portal-audit';
import type { RecurClient } from '../billing/recur-client';
import type { Config } from '../config';
import { isDatabaseUnavailable } from '../database-errors';
import type { Logger } from '../logging/logger';
import type { Mailer } from '../mail/mailer';
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
  /** The structured logger (pino): levels, fields, redaction, the request id; `log` is its info. */
  logger: Logger;
  log: (line: string) => void;
  /** Account mail (verification, notices): SMTP_URL or the dev mailbox. */
  mailer: Mailer;
  /** The clock (ms since the epoch) for tokens and webhooks; tests pass their own. */
  now: () => number;
}

/** Who the request is from, once its session cookies are validated. */
export interface SessionState {
  user: SessionUser | null;
  sessionId: string | null;
  /** Every valid session the request presented (a browser may hold duplicates): sign-in ends them. */
  presentedSessionIds: string[];
}

export interface Context {
  deps: AppDeps;
  /** The well-formed session ids the request's cookies hold, not yet validated. */
  sessionIds: string[];
  /**
   * Validates the request's sessions, once however often it is called (publicProcedure does, see
   * init.ts), and renews or clears the cookie as needed.
   */
  session(): Promise<SessionState>;
  /**
   * Takes the sessions a procedure validated in a statement of its own (one round trip with its
   * first write, as billing.createPortalSession does) in place of `session()`'s.
   */
  adoptSessions(validated: ValidatedSession[]): SessionState;
  /** The raw Cookie header, for cookies other than the session's. */
  cookieHeader: string | undefined;
  /** The client's IP address, for per-IP rate limits. */
  clientIp: string;
  /** The User-Agent header, for the session and activity lists; null when absent. */
  userAgent: string | null;
  /** Adds a Set-Cookie header to the response. */
  setCookie: (value: string) => void;
}

/**
 * The context of one request. Nothing is read from the database here: the session is validated
 * when a procedure first asks (`session()`), or by the procedure's own first statement.
 *
 * A browser can send the session cookie twice (`session=a; session=b`: one set for another path,
 * or planted by a sibling subdomain on plain HTTP). Any valid one authenticates, and a cookie is
 * never cleared while a valid one is present, since clearing it would clear the valid one too.
 * Valid sessions of two different users authenticate neither: the app does not guess which
 * account the person meant (a planted session must not sign them in to someone else's account).
 */
export function createContext(
  deps: AppDeps,
  request: {
    cookieHeader: string | undefined;
    clientIp: string;
    userAgent?: string | undefined;
    setCookie: (value: string) => void;
  },
): Context {
  const name = deps.auth.cookieName;
  const { ids: sessionIds, tooMany } = sessionIdCandidates(request.cookieHeader, name);
  let state: Promise<SessionState> | undefined;
  // Calls batched in one request share this context: each cookie is sent once.
  const sent = new Set<string>();
  const setCookie = (value: string) => {
    if (sent.has(value)) return;
    sent.add(value);
    request.setCookie(value);
  };

  const settle = (valid: ValidatedSession[]): SessionState => {
    const users = new Set(valid.map((session) => session.user.id));
    const session = users.size === 1 ? valid[0] : undefined;
    if (session?.renewedCookie) setCookie(session.renewedCookie);
    if (valid.length === 0 && !tooMany && hasCookie(request.cookieHeader, name)) {
      setCookie(deps.auth.blankCookie());
    }
    return {
      user: session?.user ?? null,
      sessionId: session?.sessionId ?? null,
      presentedSessionIds: valid.map((s) => s.sessionId),
    };
  };

  return {
    deps,
    sessionIds,
    session() {
      state ??= deps.auth.validateSessions(sessionIds).then(settle, (error: unknown) => {
        if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
        throw error;
      });
      return state;
    },
    adoptSessions(validated) {
      const adopted = settle(validated);
      state ??= Promise.resolve(adopted);
      return adopted;
    },
    cookieHeader: request.cookieHeader,
    clientIp: request.clientIp,
    userAgent: request.userAgent || null,
    setCookie,
  };
}

/** The device a request comes from, as sessions and the activity list record it. */
export function deviceOf(ctx: Pick<Context, 'clientIp' | 'userAgent'>) {
  return { ip: ctx.clientIp, userAgent: ctx.userAgent };
}

/** More session cookies than a browser holds by accident: the request is judged by none. */
const MAX_SESSION_COOKIES = 16;

/**
 * The well-formed session ids in the Cookie header (Lucia's ids are lower-case base32). Lucia's own
 * parser throws on any cookie with broken percent-encoding, even another app's, and an id with a
 * NUL byte makes the database lookup throw: both were 500s for every request carrying such a
 * cookie. A malformed id is simply no session. Past MAX_SESSION_COOKIES (`tooMany`) no id counts:
 * reading only the first few would let cookies planted ahead of the user's own decide who they
 * are, or have their session cleared.
 */
function sessionIdCandidates(
  header: string | undefined,
  name: string,
): { ids: string[]; tooMany: boolean } {
  const ids: string[] = [];
  for (const item of header?.split(';') ?? []) {
    const eq = item.indexOf('=');
    if (eq === -1 || item.slice(0, eq).trim() !== name) continue;
    const id = item.slice(eq + 1).trim();
    if (/^[a-z0-9]{1,128}$/.test(id) && !ids.includes(id)) ids.push(id);
  }
  const tooMany = ids.length > MAX_SESSION_COOKIES;
  return { ids: tooMany ? [] : ids, tooMany };
}

function hasCookie(header: string | undefined, name: string): boolean {
  return header?.split(';').some((item) => item.trim().startsWith(`${name}=`)) ?? false;
}
