import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { useOnPageRestore } from '../hooks/use-on-page-restore';
import { useLocale } from '../i18n/locale';
import { isAppClientError, useTRPC } from '../trpc';

/**
 * Opens the Recur customer portal: a fresh session per click (a portal link works once), then a
 * full-page redirect to it. Never prefetched, never cached.
 */
export function ManageBillingButton({ primary = false }: { primary?: boolean }) {
  const { t, locale } = useLocale();
  const trpc = useTRPC();
  const portal = useMutation(
    trpc.billing.createPortalSession.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  );
  // Stays disabled after success while the browser leaves for the portal; Back from the portal
  // brings the page back from the back/forward cache in that state, so start over then.
  useOnPageRestore(portal.reset);
  const busy = portal.isPending || portal.isSuccess;

  return (
    <div className="manage-billing">
      <button
        type="button"
        className={primary ? 'button primary' : 'button'}
        onClick={() => portal.mutate({ locale })}
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? t.billing.opening : t.billing.manage}
      </button>
      {portal.isError && (
        <PortalError error={portal.error} onRetry={() => portal.mutate({ locale })} />
      )}
    </div>
  );
}

/** Each reason gets its own message and next step: subscribe, sign in again, or retry. */
function PortalError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useLocale();
  const data = isAppClientError(error) ? error.data : undefined;
  let message: string;
  let nextStep: ReactNode = null;
  if (data?.reason === 'no_customer') {
    message = t.billing.errors.noCustomer;
    nextStep = <Link href="/pricing">{t.billing.errors.noCustomerAction}</Link>;
  } else if (data?.reason === 'unauthenticated') {
    message = t.billing.errors.signedOut;
    nextStep = <Link href="/sign-in?next=/account">{t.billing.errors.signedOutAction}</Link>;
  } else if (data?.reason === 'rate_limited') {
    message = t.errors.rateLimited(data.retryAfterSeconds ?? 60);
  } else if (data?.reason === 'billing_misconfigured') {
    message = t.billing.errors.misconfigured;
  } else {
    message = data ? t.billing.errors.unavailable : t.errors.network;
    nextStep = (
      <button type="button" className="link-button" onClick={onRetry}>
        {t.billing.retry}
      </button>
    );
  }
  return (
    <p className="form-error" role="alert">
      {message} {nextStep}
    </p>
  );
}
