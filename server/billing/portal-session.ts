import type { Locale } from '../../db/schema';
import type { LinkResult } from './customer-link';
import type { PortalAdmission } from './portal-attempt';
import type { PortalAudit, PortalAuditCompletion } from './portal-audit';
import type { RecurClient } from './recur-client';
import { normalizeRecurError } from './recur-error';
import { recurCustomerOf } from './subscription';

export class NoBillingAccountError extends Error {
  override name = 'NoBillingAccountError';
  constructor() {
    super('Recur knows no customer for this user');
  }
}

/** Recur named a customer this app cannot give the user; support must settle it. */
export class CustomerLinkConflictError extends Error {
  override name = 'CustomerLinkConflictError';
  constructor(readonly result: LinkResult) {
    super(`The Recur customer cannot be linked: ${result}`);
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
  audit: Pick<PortalAudit, 'complete'>;
  /** Stores the customer Recur answered with on the user (see customer-link.ts). */
  linkCustomer: (link: {
    userId: string;
    customerId: string;
    source: string;
  }) => Promise<LinkResult>;
  log: (line: string) => void;
  /** Where the request came from, for the account's activity list. */
  clientIp: string | null;
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
 * Opens a Recur portal session for the signed-in user. The customer comes only from the user's
 * own row, or, when no webhook has linked one yet, from Recur's answer to our own user id (the
 * `externalCustomerId` the app sent at checkout), which is then stored. Never from the request,
 * so nobody can open another customer's portal. `admission` comes from the attempt's first
 * statement (portal-attempt.ts), which recorded it in the audit trail; its outcome, successful,
 * refused or failed, completes that row once the answer has gone.
 */
export async function createPortalSession(
  deps: PortalSessionDeps,
  user: PortalSessionUser,
  admission: PortalAdmission,
  locale: Locale = user.locale,
): Promise<{ url: string; expiresAt: string }> {
  if (!admission.allowed) throw new PortalAttemptsThrottledError(admission.retryAfterSeconds);
  let customerId = user.recurCustomerId;
  const complete = (
    outcome: PortalAuditCompletion['outcome'],
    portalSessionId: string | null = null,
  ) => {
    deps.audit.complete({
      auditId: admission.auditId,
      userId: user.id,
      recurCustomerId: customerId,
      portalSessionId,
      outcome,
      ip: deps.clientIp,
    });
  };

  let session: Awaited<ReturnType<RecurClient['createPortalSession']>>;
  try {
    session = await deps.recur.createPortalSession({
      customer: recurCustomerOf(user),
      returnUrl: deps.returnUrl,
      configurationId: deps.configurationId,
      locale,
    });
  } catch (error) {
    const failure = normalizeRecurError(error, { customerLookup: true });
    if (failure.kind === 'customer_not_found' && !user.recurCustomerId) {
      complete('no_customer');
      throw new NoBillingAccountError();
    }
    complete(failure.kind);
    throw failure;
  }

  if (!user.recurCustomerId && session.customerId) {
    customerId = session.customerId;
    let link: LinkResult;
    try {
      link = await deps.linkCustomer({
        userId: user.id,
        customerId: session.customerId,
        source: 'lookup:portal',
      });
    } catch (error) {
      // The database failed: every admitted attempt still gets an outcome.
      complete('unavailable');
      throw error;
    }
    if (link !== 'linked_customer' && link !== 'already_linked') {
      deps.log(`billing: Recur customer for user ${user.id} not linked: ${link}`);
      complete('link_conflict');
      throw new CustomerLinkConflictError(link);
    }
  }
  complete('created', session.id);
  return { url: session.url, expiresAt: session.expiresAt };
}
