// Every call into Lucia lives in this file. Lucia v3 is deprecated by its author in favour of
// owning a small session module (see docs/decisions/0003-sessions-with-lucia.md); replacing it
// means rewriting this one file behind the same `Auth` interface.
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { and, eq, ne, sql } from 'drizzle-orm';
import { Lucia, TimeSpan } from 'lucia';
import type { Db, Tx } from '../../db/create-db';
import { rowsOf } from '../../db/rows';
import type { Locale } from '../../db/schema';
import { sessions, users } from '../../db/schema';
import {
  liveSessions,
  SESSION_LIFETIME_MS,
  type SessionRow,
  sessionColumns,
  sessionRowOf,
  sessionUpkeep,
} from './session-statement';
import { USER_AGENT_MAX_LENGTH } from './user-agent';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  /** Whether the user has proved they receive mail at `email`. */
  emailVerified: boolean;
  recurCustomerId: string | null;
}

export interface ValidatedSession {
  user: SessionUser;
  sessionId: string;
  /** A Set-Cookie value to send when the session was renewed, else null. */
  renewedCookie: string | null;
}

/** The browser a session is created for, as the request that signs in describes it. */
export interface SessionDevice {
  /** The User-Agent header; stored cut to 512 characters. */
  userAgent: string | null;
  ip: string | null;
}

export interface Auth {
  cookieName: string;
  /** Creates a session row for the device and returns the Set-Cookie value for it. */
  createSession(userId: string, device: SessionDevice): Promise<string>;
  /**
   * Validates session ids (a request may present several) in one statement: expired ones are
   * deleted, live ones renewed past half their life and touched (server/auth/session-statement.ts).
   */
  validateSessions(ids: string[]): Promise<ValidatedSession[]>;
  /** The sessions a statement built on session-statement.ts found, with their renewed cookies. */
  validated(rows: SessionRow[]): ValidatedSession[];
  /** Reads the session id from a Cookie header and validates it. */
  validateCookie(cookieHeader: string | undefined): Promise<ValidatedSession | null>;
  /** Deletes the session row and returns a Set-Cookie value that clears the cookie. */
  invalidateSession(sessionId: string): Promise<string>;
  /** A Set-Cookie value that clears the cookie (for a stale or forged one). */
  blankCookie(): string;
  /** Deletes the rows of sessions that have expired. */
  deleteExpiredSessions(): Promise<void>;
  /**
   * Ends every session of the user, or every one but `except` (the session making the change);
   * returns how many ended. `tx`: the transaction of the change that ends them.
   */
  invalidateUserSessions(
    userId: string,
    options?: { except?: string | null; tx?: Tx },
  ): Promise<number>;
  /** Ends one session if it is the user's; false when the user has no session of that id. */
  endUserSession(userId: string, sessionId: string, options?: { tx?: Tx }): Promise<boolean>;
}

export function createAuth(
  db: Db,
  options: {
    secureCookies: boolean;
    /** The clock for `created_at` and `last_seen_at` (ms since the epoch); tests pass their own. */
    now?: () => number;
  },
): Auth {
  const now = options.now ?? Date.now;
  // Lucia creates sessions and cookies; validation is the statement of session-statement.ts,
  // with Lucia's rules, so that it can share a round trip with a procedure's first write.
  const lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(SESSION_LIFETIME_MS / 1000, 's'),
    sessionCookie: {
      // Over HTTPS the `__Host-` prefix makes browsers accept the cookie only from this exact
      // origin (Secure, Path=/, no Domain): a sibling subdomain cannot plant a session of its own.
      name: options.secureCookies ? '__Host-session' : 'session',
      // HttpOnly, SameSite=Lax and Path=/ are Lucia's defaults; Secure follows the app's scheme.
      attributes: { secure: options.secureCookies, sameSite: 'lax' },
    },
  });

  const validated = (rows: SessionRow[]): ValidatedSession[] =>
    rows.map(({ sessionId, renewed, user }) => ({
      sessionId,
      user,
      renewedCookie: renewed ? lucia.createSessionCookie(sessionId).serialize() : null,
    }));

  const validateSessions = async (ids: string[]): Promise<ValidatedSession[]> => {
    if (ids.length === 0) return [];
    const at = now();
    const result = await db.execute(
      sql`WITH ${sessionUpkeep(ids, at)} SELECT ${sessionColumns(at)} ${liveSessions(ids, at)}`,
    );
    return validated(rowsOf(result).map(sessionRowOf));
  };

  return {
    cookieName: lucia.sessionCookieName,
    async createSession(userId, device) {
      const at = new Date(now());
      const session = await lucia.createSession(userId, {
        userAgent: device.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
        ip: device.ip?.slice(0, 64) || null,
        createdAt: at,
        lastSeenAt: at,
      });
      return lucia.createSessionCookie(session.id).serialize();
    },
    validateSessions,
    validated,
    async validateCookie(cookieHeader) {
      const sessionId = lucia.readSessionCookie(cookieHeader ?? '');
      if (!sessionId || !/^[a-z0-9]{1,128}$/.test(sessionId)) return null;
      const [session] = await validateSessions([sessionId]);
      return session ?? null;
    },
    async invalidateSession(sessionId) {
      await lucia.invalidateSession(sessionId);
      return lucia.createBlankSessionCookie().serialize();
    },
    blankCookie: () => lucia.createBlankSessionCookie().serialize(),
    deleteExpiredSessions: () => lucia.deleteExpiredSessions(),
    async invalidateUserSessions(userId, options = {}) {
      const except = options.except;
      const ended = await (options.tx ?? db)
        .delete(sessions)
        .where(
          except
            ? and(eq(sessions.userId, userId), ne(sessions.id, except))
            : eq(sessions.userId, userId),
        )
        .returning({ id: sessions.id });
      return ended.length;
    },
    async endUserSession(userId, sessionId, options = {}) {
      const ended = await (options.tx ?? db)
        .delete(sessions)
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
        .returning({ id: sessions.id });
      return ended.length === 1;
    },
  };
}

interface DatabaseSessionAttributes {
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

// The adapter writes the session attributes as Drizzle names them (camelCase keys).
declare module 'lucia' {
  interface Register {
    Lucia: Lucia;
    DatabaseSessionAttributes: DatabaseSessionAttributes;
  }
}
