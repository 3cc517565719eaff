// Every call into Lucia lives in this file. Lucia v3 is deprecated by its author in favour of
// owning a small session module (see docs/decisions/0003-sessions-with-lucia.md); replacing it
// means rewriting this one file behind the same `Auth` interface.
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { and, eq, lt, ne } from 'drizzle-orm';
import { type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from 'lucia';
import type { Db, Tx } from '../../db/create-db';
import type { Locale } from '../../db/schema';
import { sessions, users } from '../../db/schema';

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

/** A session's `last_seen_at` is written at most once per this many milliseconds. */
export const LAST_SEEN_INTERVAL_MS = 60_000;

export interface Auth {
  cookieName: string;
  /** Creates a session row for the device and returns the Set-Cookie value for it. */
  createSession(userId: string, device: SessionDevice): Promise<string>;
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
  const lucia = new Lucia(new SessionTouchingAdapter(db, now), {
    // CUSTOMIZE: session lifetime. Sessions slide: Lucia renews one past half its life.
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: {
      // Over HTTPS the `__Host-` prefix makes browsers accept the cookie only from this exact
      // origin (Secure, Path=/, no Domain): a sibling subdomain cannot plant a session of its own.
      name: options.secureCookies ? '__Host-session' : 'session',
      // HttpOnly, SameSite=Lax and Path=/ are Lucia's defaults; Secure follows the app's scheme.
      attributes: { secure: options.secureCookies, sameSite: 'lax' },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      displayName: attributes.displayName,
      locale: attributes.locale,
      emailVerified: attributes.emailVerifiedAt !== null,
      recurCustomerId: attributes.recurCustomerId,
    }),
  });

  return {
    cookieName: lucia.sessionCookieName,
    async createSession(userId, device) {
      const at = new Date(now());
      const session = await lucia.createSession(userId, {
        userAgent: device.userAgent?.slice(0, 512) || null,
        ip: device.ip?.slice(0, 64) || null,
        createdAt: at,
        lastSeenAt: at,
      });
      return lucia.createSessionCookie(session.id).serialize();
    },
    async validateCookie(cookieHeader) {
      const sessionId = lucia.readSessionCookie(cookieHeader ?? '');
      if (!sessionId || sessionId.length > 128) return null;
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user) return null;
      return {
        sessionId: session.id,
        user: {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          locale: user.locale,
          emailVerified: user.emailVerified,
          recurCustomerId: user.recurCustomerId,
        },
        renewedCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null,
      };
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

/**
 * Lucia's Drizzle adapter, whose session lookup also keeps `last_seen_at` current: one statement
 * reads the session and, when the stored time is more than a minute old, writes the new one
 * (a data-modifying WITH). No extra round trip per request, no write more than once a minute per
 * session, and nothing left in flight when the response goes out.
 */
class SessionTouchingAdapter extends DrizzlePostgreSQLAdapter {
  constructor(
    private readonly database: Db,
    private readonly now: () => number,
  ) {
    super(database, sessions, users);
  }

  override async getSessionAndUser(
    sessionId: string,
  ): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const at = this.now();
    const touch = this.database.$with('touch').as(
      this.database
        .update(sessions)
        .set({ lastSeenAt: new Date(at) })
        .where(
          and(
            eq(sessions.id, sessionId),
            lt(sessions.lastSeenAt, new Date(at - LAST_SEEN_INTERVAL_MS)),
          ),
        )
        .returning({ id: sessions.id }),
    );
    const [row] = await this.database
      .with(touch)
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sessionId));
    if (!row) return [null, null];
    const { session, user } = row;
    return [
      { id: session.id, userId: session.userId, expiresAt: session.expiresAt, attributes: session },
      { id: user.id, attributes: user },
    ];
  }
}

type UserAttributes = Omit<SessionUser, 'id'>;
type DatabaseUserAttributes = Omit<SessionUser, 'id' | 'emailVerified'> & {
  emailVerifiedAt: Date | null;
};

interface DatabaseSessionAttributes {
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

// The adapter hands over the rows as Drizzle selects them (camelCase keys).
declare module 'lucia' {
  interface Register {
    Lucia: Lucia<Record<never, never>, UserAttributes>;
    DatabaseUserAttributes: DatabaseUserAttributes;
    DatabaseSessionAttributes: DatabaseSessionAttributes;
  }
}
