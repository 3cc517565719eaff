import type { Db } from '../../db/create-db';
import type { Mailer } from '../mail/mailer';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import type { Auth } from './lucia';

/** What the password and address changes need (a subset of AppDeps, so tests can pass their own). */
export interface AccountChangeDeps {
  db: Db;
  auth: Auth;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  /** Links in mails are built from it, never from the request. */
  appUrl: string;
  now: () => number;
}

/** Where a change came from, for the account's activity. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}
