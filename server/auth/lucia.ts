// Every call into Lucia lives in this file. Lucia v3 is deprecated by its author in favour of
// owning a small session module (see docs/decisions/0003-sessions-with-lucia.md); replacing it
// means rewriting this one file behind the same `Auth` interface.
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';
import type { Db } from '../../db/create-db';
import type { Locale } from '../../db/schema';
import { sessions, users } from '../../db/schema';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  recurCustomerId: string | null;
}

export interface ValidatedSession {
  user: SessionUser;
  sessionId: string;
  /** A Set-Cookie value to send when the session was renewed, else null. */
  renewedCookie: string | null;
}

export interface Auth {
  cookieName: string;
  /** Creates a session row and returns the Set-Cookie value for it. */
  createSession(userId: string): Promise<string>;
  /** Reads the session id from a Cookie header and validates it. */
  validateCookie(cookieHeader: string | undefined): Promise<ValidatedSession | null>;
  /** Deletes the session row and returns a Set-Cookie value that clears the cookie. */
  invalidateSession(sessionId: string): Promise<string>;
  /** A Set-Cookie value that clears the cookie (for a stale or forged one). */
  blankCookie(): string;
  /** Deletes the rows of sessions that have expired. */
  deleteExpiredSessions(): Promise<void>;
}

export function createAuth(db: Db, options: { secureCookies: boolean }): Auth {
  const lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    // CUSTOMIZE: session lifetime. Sessions slide: Lucia renews one past half its life.
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: {
      name: 'session',
      // HttpOnly, SameSite=Lax and Path=/ are Lucia's defaults; Secure follows the app's scheme.
      attributes: { secure: options.secureCookies, sameSite: 'lax' },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      displayName: attributes.displayName,
      locale: attributes.locale,
      recurCustomerId: attributes.recurCustomerId,
    }),
  });

  return {
    cookieName: lucia.sessionCookieName,
    async createSession(userId) {
      const session = await lucia.createSession(userId, {});
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
  };
}

type UserAttributes = Omit<SessionUser, 'id'>;

// The adapter hands over the users row as Drizzle selects it (camelCase keys).
declare module 'lucia' {
  interface Register {
    Lucia: Lucia<Record<never, never>, UserAttributes>;
    DatabaseUserAttributes: UserAttributes;
  }
}
