import type { Locale, PortalSessionOutcome } from '../../db/schema';
import type { PortalAudit } from './portal-audit';
import type { RecurClient } from './recur-client';
import { normalizeRecurError } from './recur-error';

export class NoBillingAccountError extends Error {
  override name = 'NoBillingAccountError';
  constructor() {
    super('The user has no Recur customer id');
  }
}

export interface PortalSessionDeps {
  audit: PortalAudit;
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
 * Every attempt, successful or not, leaves one audit row.
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
    await audit(failure.kind);
    throw failure;
  }
  await audit('created', session.id);
  return { url: session.url, expiresAt: session.expiresAt };
}
