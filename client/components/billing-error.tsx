import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { describeError } from '../errors';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useLocale } from '../i18n/locale';
import { isAppClientError } from '../trpc';
import { RetryCountdown } from './retry-countdown';

/** Reasons that may be gone a moment later: the message comes with "Try again". */
const TRANSIENT = new Set(['billing_unavailable', 'database_unavailable', null, undefined]);

/**
 * Why "Manage billing" or "Subscribe" failed, with the next step for each reason: choose a plan,
 * wait (counting down) and retry, or retry at once; any other reason in client/errors.ts' words.
 * A session that has ended is handled for the whole app in client/trpc.ts.
 */
export function BillingError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useLocale();
  const countdown = useRetryCountdown(error);
  const data = isAppClientError(error) ? error.data : undefined;
  const retry = (
    <button type="button" className="link-button" onClick={onRetry}>
      {t.billing.retry}
    </button>
  );
  let message: ReactNode;
  let nextStep: ReactNode = null;
  if (countdown) {
    message = <RetryCountdown {...countdown} />;
    if (countdown.left === 0) nextStep = retry;
  } else if (data?.reason === 'no_customer') {
    message = t.billing.errors.noCustomer;
    nextStep = <Link href="/pricing">{t.billing.errors.noCustomerAction}</Link>;
  } else if (data?.reason === 'billing_misconfigured') {
    message = t.billing.errors.misconfigured;
  } else if (!data || TRANSIENT.has(data.reason)) {
    message = data ? t.billing.errors.unavailable : t.errors.network;
    nextStep = retry;
  } else {
    message = describeError(error, t).message ?? t.billing.errors.unavailable;
  }
  return (
    <p className="form-error billing-error" role="alert">
      {message} {nextStep}
    </p>
  );
}
