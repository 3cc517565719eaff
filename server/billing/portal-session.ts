import type { Locale, PortalSessionOutcome } from '../../db/schema';
import { describeCause } from '../log-safe-cause';
import type { RateDecision } from '../rate-limit/rate-limiter';
import type { PortalAudit } from './portal-audit';
import type { RecurClient } from './recur-client';
import { normalizeRecurError } from './recur-error';

export class NoBillingAccountError extends Error {
  override name = 'NoBillingAccountError';
  constructor() {
    super('The user has no Recur customer id');
  }
}

/** The user asked for more portal sessions than the rate limit allows. */
export class PortalAttemptsThrottledError extends Error {
  override name = 'PortalAttemptsThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many portal sessions');
  }
}

export interface PortalSessionDeps {
  audit: PortalAudit;
  /** Counts this attempt against the user's rate limit. */
  countAttempt: (userId: string) => Promise<RateDecision>;
  log: (line: string) => void;
  recur: RecurClient;
  /** Where the portal's "return" link leads: APP_URL + /account. */
  returnUrl: string;
  configurationId: string | undefined;
}

export interface PortalSessionUser {
  id: string;
  recurCustomerId: string | null;
  locale: Locale;
}

/**
 * Opens a Recur portal session for the signed-in user. The customer id comes only from the
 * user's own row, never from the request, so nobody can open another customer's portal.
 * Every attempt, successful, refused or failed, leaves one audit row.
 */
export async function createPortalSession(
  deps: PortalSessionDeps,
  user: PortalSessionUser,
  locale: Locale = user.locale,
): Promise<{ url: string; expiresAt: string }> {
  const audit = (outcome: PortalSessionOutcome, portalSessionId: string | null = null) =>
    deps.audit.record({
      userId: user.id,
      recurCustomerId: user.recurCustomerId,
      portalSessionId,
      outcome,
    });

  const decision = await deps.countAttempt(user.id);
  if (!decision.allowed) {
    await audit('throttled');
    throw new PortalAttemptsThrottledError(decision.retryAfterSeconds);
  }
  if (!user.recurCustomerId) {
    await audit('no_customer');
    throw new NoBillingAccountError();
  }

  let session: Awaited<ReturnType<RecurClient['createPortalSession']>>;
  try {
    session = await deps.recur.createPortalSession({
      customerId: user.recurCustomerId,
      returnUrl: deps.returnUrl,
      configurationId: deps.configurationId,
      locale,
    });
  } catch (error) {
    const failure = normalizeRecurError(error);
    // The Recur failure is what the user must hear about, even if its audit row cannot be written.
    await audit(failure.kind).catch((auditError: unknown) =>
      deps.log(`billing: audit row for user ${user.id} not written: ${describeCause(auditError)}`),
    );
    throw failure;
  }
  await audit('created', session.id);
  return { url: session.url, expiresAt: session.expiresAt };
}
