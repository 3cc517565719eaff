// The signed-in devices of one user: listed for the account page, ended one by one or all but the
// current one. A session's id is its cookie's secret, so it never leaves the server: the list and
// the revoke call name a session by a hash of its id.
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { sessions } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { sha256 } from './email-verification';
import type { Auth } from './lucia';
import { type NamedVersion, parseUserAgent } from './user-agent';

export interface SessionView {
  /** Names the session to `revokeUserSession`; not the session id, which is the cookie's secret. */
  id: string;
  browser: NamedVersion | null;
  os: NamedVersion | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** The session of the request asking. */
  current: boolean;
}

export interface Device {
  ip: string | null;
  userAgent: string | null;
}

/** No session of the user has this id: unknown, ended already, or another user's. */
export class SessionNotFoundError extends Error {
  override name = 'SessionNotFoundError';
  constructor() {
    super('No such session');
  }
}

export function publicSessionId(sessionId: string): string {
  return sha256(`session:${sessionId}`).slice(0, 32);
}

/** The user's unexpired sessions, the current one first, then the most recently used. */
export async function listUserSessions(
  db: Db,
  user: { id: string; sessionId: string },
  now: number,
): Promise<SessionView[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, user.id), gt(sessions.expiresAt, new Date(now))))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
  return rows
    .map((row) => ({
      id: publicSessionId(row.id),
      ...parseUserAgent(row.userAgent),
      ip: row.ip,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      current: row.id === user.sessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Ends one of the user's sessions and records it, in one transaction. Another user's session
 * answers exactly as an unknown one. Returns whether it was the session making the request.
 */
export async function revokeUserSession(
  deps: { db: Db; auth: Auth },
  user: { id: string; sessionId: string },
  publicId: string,
  device: Device,
): Promise<{ current: boolean }> {
  return deps.db.transaction(async (tx) => {
    const owned = await tx
      .select({ id: sessions.id, userAgent: sessions.userAgent })
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    const target = owned.find((row) => publicSessionId(row.id) === publicId);
    if (!target || !(await deps.auth.endUserSession(user.id, target.id, { tx }))) {
      throw new SessionNotFoundError();
    }
    const { browser, os } = parseUserAgent(target.userAgent);
    await recordActivity(tx, {
      userId: user.id,
      kind: 'session_revoked',
      detail: {
        ...(browser ? { browser: browser.name } : {}),
        ...(os ? { os: os.name } : {}),
      },
      ...device,
    });
    return { current: target.id === user.sessionId };
  });
}

/** Ends every session of the user but the current one, and records it; returns how many ended. */
export async function revokeOtherSessions(
  deps: { db: Db; auth: Auth },
  user: { id: string; sessionId: string },
  device: Device,
): Promise<{ count: number }> {
  return deps.db.transaction(async (tx) => {
    const count = await deps.auth.invalidateUserSessions(user.id, { except: user.sessionId, tx });
    if (count > 0) {
      await recordActivity(tx, {
        userId: user.id,
        kind: 'other_sessions_revoked',
        detail: { count: String(count) },
        ...device,
      });
    }
    return { count };
  });
}
