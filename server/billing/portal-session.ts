import type { Locale, PortalSessionOutcome } from '../../db/schema';
import { describeCause } from '../log-safe-cause';
import type { RateDecision } from '../rate-limit/rate-limiter';
import type { LinkResult } from './customer-link';
import type { PortalAudit } from './portal-audit';
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
  audit: PortalAudit;
  /** Counts this attempt against the user's rate limit. */
  countAttempt: (userId: string) => Promise<RateDecision>;
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
 * so nobody can open another customer's portal. Every attempt, successful, refused or failed,
 * leaves one audit row.
 */
export async function createPortalSession(
  deps: PortalSessionDeps,
  user: PortalSessionUser,
  locale: Locale = user.locale,
): Promise<{ url: string; expiresAt: string }> {
  let customerId = user.recurCustomerId;
  const audit = (outcome: PortalSessionOutcome, portalSessionId: string | null = null) =>
    deps.audit.record({
      userId: user.id,
      recurCustomerId: customerId,
      portalSessionId,
      outcome,
      ip: deps.clientIp,
    });
  // The failure is what the user must hear about, even if its audit row cannot be written.
  const auditFailure = (outcome: PortalSessionOutcome) =>
    audit(outcome).catch((auditError: unknown) =>
      deps.log(`billing: audit row for user ${user.id} not written: ${describeCause(auditError)}`),
    );

  const decision = await deps.countAttempt(user.id);
  if (!decision.allowed) {
    // One row per throttled burst: the first refusal of the window stands for the rest.
    if (decision.firstRefusal) await audit('throttled');
    throw new PortalAttemptsThrottledError(decision.retryAfterSeconds);
  }

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
      await auditFailure('no_customer');
      throw new NoBillingAccountError();
    }
    await auditFailure(failure.kind);
    throw failure;
  }

  if (!user.recurCustomerId && session.customerId) {
    customerId = session.customerId;
    const link = await deps.linkCustomer({
      userId: user.id,
      customerId: session.customerId,
      source: 'lookup:portal',
    });
    if (link !== 'linked_customer' && link !== 'already_linked') {
      deps.log(`billing: Recur customer for user ${user.id} not linked: ${link}`);
      await auditFailure('link_conflict');
      throw new CustomerLinkConflictError(link);
    }
  }
  await audit('created', session.id);
  return { url: session.url, expiresAt: session.expiresAt };
}
