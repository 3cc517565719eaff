import type { Auth, SessionDevice } from './lucia';

/**
 * Signs a browser in with a fresh session and ends the ones it presented, so a session id that
 * was known before sign-in (fixed by an attacker, or left by a previous user) is worthless after.
 * Returns the Set-Cookie value of the new session.
 */
export async function rotateSession(
  auth: Auth,
  presentedSessionIds: string[],
  userId: string,
  device: SessionDevice,
): Promise<string> {
  for (const sessionId of presentedSessionIds) await auth.invalidateSession(sessionId);
  return auth.createSession(userId, device);
}
